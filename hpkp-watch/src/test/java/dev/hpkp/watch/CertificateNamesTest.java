package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quick name walk finds what the JDK finds, and refuses what it does not understand. */
class CertificateNamesTest {

  private static final TestCa CA = new TestCa("Names CA");

  @Test
  void theNamesAreTheJdksNames() {
    List<X509Certificate> certificates = List.of(
        CA.leaf(TestCa.key(), "shop.example", "WWW.Shop.Example.", "*.api.shop.example"),
        CA.leafWithoutSan(TestCa.key(), "Legacy.Example"),
        CA.issuance(TestCa.key(), "pre.shop.example").precert(), CA.intermediate);
    for (X509Certificate certificate : certificates) {
      byte[] der = encoded(certificate);
      assertThat(CertificateNames.of(der)).as(certificate.getSubjectX500Principal().getName())
          .isEqualTo(IssuedCertificate.names(certificate));
    }
    assertThat(CertificateNames.of(encoded(certificates.get(0))))
        .containsExactly("shop.example", "www.shop.example", "*.api.shop.example");
    assertThat(CertificateNames.of(encoded(certificates.get(1)))).containsExactly(
        "legacy.example");
  }

  @Test
  void truncatedOrGarbageDerIsRefusedNotMisread() {
    byte[] der = encoded(CA.leaf(TestCa.key(), "shop.example"));
    for (int cut = 0; cut < der.length; cut += 7) {
      List<String> names = CertificateNames.of(Arrays.copyOf(der, cut));
      assertThat(names == null || names.isEmpty() || names.equals(List.of("shop.example")))
          .as("cut at " + cut).isTrue();
    }
    assertThat(CertificateNames.of(new byte[] {0x30, (byte) 0x84, 0x7f, 0, 0, 0})).isNull();
    assertThat(CertificateNames.of(new byte[0])).isNull();
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
