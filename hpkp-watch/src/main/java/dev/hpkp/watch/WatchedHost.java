package dev.hpkp.watch;

import dev.hpkp.policy.HostName;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.text.Printable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A host whose certificates are watched, with the keys its owner considers legitimate: the
 * policy's pins and backup pins. {@code includeSubDomains} extends the watch to every subdomain,
 * as the policy does in user agents.
 */
public record WatchedHost(String host, Set<Pin> pins, boolean includeSubDomains) {

  public WatchedHost {
    Objects.requireNonNull(host, "host");
    host = HostName.of(host).value();
    pins = Set.copyOf(pins);
    if (pins.isEmpty()) {
      throw new IllegalArgumentException(host + " has no pins; a watched host needs the pins"
          + " (and backup pins) of its legitimate keys");
    }
  }

  /**
   * The hosts a policy protects, its pins and backup pins as their legitimate keys: {@code
   * names}, or when there are none the DNS names of the policy's served leaf. Empty when neither
   * names a host.
   *
   * @throws IllegalArgumentException naming a name that is no host name (an IP address, …)
   */
  public static List<WatchedHost> of(PinPolicy policy, List<String> names) {
    List<String> hosts = names;
    if (hosts.isEmpty() && !policy.servedChain().isEmpty()) {
      // as for logged certificates (CertificateNames): the DNS names, else the CN
      hosts = policy.servedChain().get(0).dnsNames();
      if (hosts.isEmpty()) {
        hosts = commonNames(policy.servedChain().get(0).subject());
      }
    }
    Set<Pin> keys = new LinkedHashSet<>(policy.allPins());
    List<WatchedHost> watched = new ArrayList<>();
    for (String name : hosts) {
      watched.add(new WatchedHost(name, keys, policy.includeSubDomains()));
    }
    return watched;
  }

  /** The CNs of an RFC 2253 subject, normalized; empty when it has none or does not parse. */
  static List<String> commonNames(String subject) {
    List<String> names = new ArrayList<>();
    try {
      for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn) {
          names.add(HostName.normalize(cn));
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      return List.of();
    }
    return names;
  }

  /**
   * Whether a certificate naming {@code certificateName} is one for this host: {@link
   * HostName#covers}, the one rule, with this host's includeSubDomains.
   */
  boolean covers(String certificateName) {
    return HostName.covers(certificateName, host, includeSubDomains);
  }

  /** True when {@link #covers} holds for any of {@code names}. */
  boolean coversAny(List<String> names) {
    for (String name : names) {
      if (covers(name)) {
        return true;
      }
    }
    return false;
  }
}
