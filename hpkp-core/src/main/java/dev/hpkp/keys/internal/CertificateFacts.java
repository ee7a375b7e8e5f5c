package dev.hpkp.keys.internal;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What pin validation needs of one certificate, wherever it stands in a chain: the one
 * conversion from an {@link X509Certificate}, for {@code KeyMaterial.toChain} and for the
 * collector, which keeps these facts per certificate and places them in each report's chains.
 * Internal: public only because the collector is another module; not API.
 *
 * @param selfIssued whether subject and issuer are the same name ({@code X500Principal}
 *     equality, not string equality)
 */
public record CertificateFacts(String subject, String issuer, Instant notAfter, Pin pin,
    boolean selfIssued) {

  /**
   * The facts of {@code certificate}, whose key has {@code pin} ({@code KeyMaterial.pinOf}: the
   * caller computes it, so this package imports nothing of {@code dev.hpkp.keys}'s API).
   */
  public static CertificateFacts of(X509Certificate certificate, Pin pin) {
    return new CertificateFacts(certificate.getSubjectX500Principal().getName(),
        certificate.getIssuerX500Principal().getName(), certificate.getNotAfter().toInstant(),
        pin, certificate.getSubjectX500Principal().equals(
        certificate.getIssuerX500Principal()));
  }

  /**
   * This certificate at {@code position} of a served chain: the leaf at 0, then a root when
   * self-issued, else an intermediate.
   */
  public ChainCertificate at(int position, List<String> dnsNames) {
    ChainCertificate.Role role = position == 0 ? ChainCertificate.Role.LEAF
        : selfIssued ? ChainCertificate.Role.ROOT : ChainCertificate.Role.INTERMEDIATE;
    return new ChainCertificate(position, subject, issuer, notAfter, pin, role, dnsNames);
  }
}
