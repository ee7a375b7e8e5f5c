package dev.hpkp.policy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One certificate of the chain a server presents, reduced to what pin validation needs.
 *
 * @param position 0 for the leaf, then in the order the server sends them
 * @param subject RFC 2253 subject name
 * @param issuer RFC 2253 issuer name
 * @param notAfter end of validity
 * @param pin the pin of the certificate's public key
 * @param role leaf, intermediate or root, from the position and whether it is self-issued
 * @param dnsNames the DNS names of its subjectAltName extension (empty for CA certificates)
 */
public record ChainCertificate(
    int position, String subject, String issuer, Instant notAfter, Pin pin, Role role,
    List<String> dnsNames) {

  /** Where a certificate stands in a served chain. */
  public enum Role {
    LEAF, INTERMEDIATE, ROOT;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
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

  /** How error messages name this certificate: {@code the leaf certificate CN=x (position 0 …)}. */
  public String describe() {
    return "the " + role + " certificate " + subject + " (position " + position
        + " of the served chain)";
  }
}
