package dev.hpkp.client;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.text.Printable;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A connection to a known pinned host whose validated chain holds none of its pins (RFC 7469
 * §2.6): the request was not sent. The message names the host, each certificate of the
 * validated chain with its pin and subject, and the pins known for the host.
 */
public final class PinValidationException extends SSLPeerUnverifiedException {

  private static final long serialVersionUID = 1L;

  private final String host;
  private final transient List<Pin> validatedPins;
  private final transient Set<Pin> knownPins;

  PinValidationException(String message, String host, List<Pin> validatedPins,
      Set<Pin> knownPins) {
    super(message);
    this.host = host;
    this.validatedPins = List.copyOf(validatedPins);
    this.knownPins = Set.copyOf(knownPins);
  }

  /** The failure for a connection to {@code host}, with the chain it was checked against. */
  static PinValidationException of(String host, int port, PinnedHost entry,
      List<X509Certificate> path, boolean validated) {
    StringBuilder message = new StringBuilder("Public key pinning failure for ").append(host)
        .append(':').append(port).append(validated
            ? ": no certificate of the validated chain holds a pinned key (RFC 7469 §2.6);"
            + " the request was not sent"
            : ": no chain to a trust anchor could be built to check the pins against; the"
            + " request was not sent");
    message.append("\n  ").append(validated ? "Validated chain:" : "Served chain:");
    for (int i = 0; i < path.size(); i++) {
      X509Certificate certificate = path.get(i);
      message.append("\n    ").append(KeyMaterial.pinOf(certificate)).append(": ")
          .append(Printable.escape(certificate.getSubjectX500Principal().getName()))
          .append(i == 0 ? " (leaf)" : validated && i == path.size() - 1
              ? " (trust anchor)" : "");
    }
    message.append("\n  Pinned keys for ").append(entry.host())
        .append(entry.includeSubDomains() ? " and its subdomains" : "")
        .append(entry.source() == PinnedHost.Source.PRELOADED ? " (preloaded)"
            : " (noted " + entry.notedAt().truncatedTo(ChronoUnit.SECONDS)
                + ", expire " + entry.expiresAt().truncatedTo(ChronoUnit.SECONDS)
                + ")")
        .append(':');
    for (Pin pin : entry.pins()) {
      message.append("\n    ").append(pin);
    }
    return new PinValidationException(message.toString(), host,
        path.stream().map(KeyMaterial::pinOf).toList(), entry.pins());
  }

  /** The host the connection was made to. */
  public String host() {
    return host;
  }

  /** The pins of the validated chain, leaf first, trust anchor last. */
  public List<Pin> validatedPins() {
    return validatedPins;
  }

  /** The pins known for the host, none of which the chain holds. */
  public Set<Pin> knownPins() {
    return knownPins;
  }

  /** The pin failure in {@code error}'s causes (as a handshake failure wraps it), or null. */
  public static PinValidationException in(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PinValidationException found) {
        return found;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
