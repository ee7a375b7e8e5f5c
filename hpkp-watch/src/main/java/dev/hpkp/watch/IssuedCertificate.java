package dev.hpkp.watch;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.HostName;
import dev.hpkp.policy.Pin;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What an alert says of a logged certificate or precertificate: its DNS names (the SANs, the
 * CN only when there is no SAN), serial, validity, subject, issuer, the pin of its key and the
 * SHA-256 of its DER (what CT search engines look it up by).
 */
record IssuedCertificate(List<String> names, String serial, Instant notBefore,
    Instant notAfter, String subject, String issuer, Pin pin, String sha256) {

  /**
   * The certificate {@code der}, parsed by the JDK after a bounded structure check.
   *
   * @throws IllegalArgumentException when it is not a certificate the JDK reads
   */
  static IssuedCertificate of(byte[] der, String where) {
    X509Certificate certificate;
    try {
      certificate = KeyMaterial.certificate(der, where);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new IssuedCertificate(names(certificate), certificate.getSerialNumber().toString(16),
        certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
        certificate.getSubjectX500Principal().getName(),
        certificate.getIssuerX500Principal().getName(), KeyMaterial.pinOf(certificate),
        Checkpoint.hex(Merkle.sha256().digest(der)));
  }

  /** The DNS names, lower case and without a trailing dot. */
  static List<String> names(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String name) {
            names.add(HostName.normalize(name));
          }
        }
        return names;
      }
    } catch (CertificateParsingException e) {
      return names; // a SAN extension the JDK cannot read names nothing it could check
    }
    names.addAll(WatchedHost.commonNames(certificate.getSubjectX500Principal().getName()));
    return names;
  }

  /** Lower-case hex, as CT search engines and openssl print a serial. */
  String serialHex() {
    return serial.toLowerCase(Locale.ROOT);
  }
}
