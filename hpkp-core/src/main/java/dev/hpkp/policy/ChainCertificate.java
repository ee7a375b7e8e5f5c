package dev.hpkp.policy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One certificate of the chain a server presents, reduced to what pin validation needs.
 *
 * @param position 0 for the leaf, then in the order the server sends them
 * @param subject RFC 2253 subject name
 * @param issuer RFC 2253 issuer name
 * @param notAfter end of validity
 * @param pin the pin of the certificate's public key
 * @param role leaf, intermediate or root, from the position and whether it is self-issued; or
 *     the trust anchor that completes the chain
 * @param dnsNames the DNS names of its subjectAltName extension (empty for CA certificates)
 */
public record ChainCertificate(
    int position, String subject, String issuer, Instant notAfter, Pin pin, Role role,
    List<String> dnsNames) {

  /** Where a certificate stands in a served chain. */
  public enum Role {
    LEAF, INTERMEDIATE, ROOT,
    /** The root the validated chain ends at, found in a trust store: servers do not send it. */
    TRUST_ANCHOR;

    @Override
    public String toString() {
      return this == TRUST_ANCHOR ? "root (trust anchor, not sent)"
          : name().toLowerCase(Locale.ROOT);
    }
  }

  public ChainCertificate {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(role, "role");
    dnsNames = List.copyOf(dnsNames);
  }

  /** This certificate in another role, e.g. the trust anchor a validated chain ends at. */
  public ChainCertificate as(Role role) {
    return new ChainCertificate(position, subject, issuer, notAfter, pin, role, dnsNames);
  }

  /** How error messages name this certificate: {@code the leaf certificate CN=x (position 0 …)}. */
  public String describe() {
    return role == Role.TRUST_ANCHOR ? "the root certificate " + subject + " (the trust anchor"
        + " the served chain validates to, position " + position + "; servers do not send it)"
        : "the " + role + " certificate " + subject + " (position " + position
        + " of the served chain)";
  }
}
