package dev.hpkp.watch;

import dev.hpkp.policy.HostNames;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.text.Printable;
import java.net.IDN;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
    host = checked(host);
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
          names.add(normalize(cn));
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      return List.of();
    }
    return names;
  }

  /** A name as certificates carry it: ASCII lower case, no trailing dot. */
  static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static String checked(String host) {
    String ascii;
    try {
      ascii = IDN.toASCII(host.strip(), IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + Printable.escape(host)
          + "' is not a host name (" + e.getMessage() + ")");
    }
    String name = normalize(ascii);
    if (name.isEmpty() || name.length() > 253 || name.startsWith(".") || name.contains("..")
        || name.startsWith("*")) {
      throw new IllegalArgumentException("'" + Printable.escape(host)
          + "' is not a host name; write it as certificates name it, e.g. shop.example");
    }
    if (HostNames.isIpAddress(name)) {
      throw new IllegalArgumentException("'" + name + "' is an IP address; pins and CT"
          + " watching are for host names");
    }
    return name;
  }

  /**
   * Whether a certificate naming {@code certificateName} (normalized) is one for this host: the
   * host itself, a subdomain when {@code includeSubDomains}, or a wildcard covering the host
   * ({@code *.shop.example} covers {@code www.shop.example}, and every subdomain of {@code
   * shop.example} when that includes subdomains). Never a substring: {@code
   * shop.example.evil.test} and {@code notshop.example} are not {@code shop.example}.
   */
  boolean covers(String certificateName) {
    if (certificateName.equals(host)) {
      return true;
    }
    if (includeSubDomains && certificateName.endsWith("." + host)) {
      return true; // a subdomain, or a wildcard for subdomains of the host
    }
    if (certificateName.startsWith("*.")) {
      String parent = certificateName.substring(2);
      return host.endsWith("." + parent)
          && host.indexOf('.') == host.length() - parent.length() - 1;
    }
    return false;
  }

  /** Whether any of {@code names} is one for this host. */
  boolean coversAny(List<String> names) {
    for (String name : names) {
      if (covers(name)) {
        return true;
      }
    }
    return false;
  }
}
