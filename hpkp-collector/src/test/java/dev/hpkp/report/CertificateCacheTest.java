package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.internal.CertificateFacts;
import dev.hpkp.keys.internal.Certificates;
import dev.hpkp.testing.TestPki;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CertificateCacheTest {

  private static final TestPki PKI = TestPki.localhost();

  @Test
  void theCacheIsBoundedByBytesWhateverTheAttackerVaries() throws Exception {
    long budget = 16 * 1024;
    CertificateCache cache = new CertificateCache(budget);
    AtomicInteger parses = new AtomicInteger();
    long oneEntry = 2 * 1024; // these certificates' subjects and issuers are under 200 chars
    for (int i = 0; i < 300; i++) {
      byte[] der = PKI.leafWithCommonName("host-" + i + "-" + "x".repeat(i % 50)).getEncoded();
      cache.get(der, bytes -> {
        parses.incrementAndGet();
        return facts(KeyMaterial.certificate(bytes, "test"));
      });
      assertThat(cache.bytes()).isLessThanOrEqualTo(budget + oneEntry);
    }
    assertThat(parses.get()).isEqualTo(300);
    assertThat(cache.size()).isLessThan(300);
  }

  @Test
  void theSameCertificateIsParsedOnceWhateverItsPemLooksLike() throws Exception {
    CertificateCache cache = new CertificateCache(CertificateCache.DEFAULT_BUDGET_BYTES);
    AtomicInteger parses = new AtomicInteger();
    String pem = TestPki.pem(PKI.leaf());
    String rewrapped = pem.replace("\n", "\r\n");
    for (String variant : new String[] {pem, rewrapped, pem + "\n\n"}) {
      byte[] der = Certificates.der(variant, "test");
      cache.get(der, bytes -> {
        parses.incrementAndGet();
        return facts(KeyMaterial.certificate(bytes, "test"));
      });
    }
    assertThat(parses.get()).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void pemTextsAnAttackerVariesFillTheSameBudgetAndMapOnlyToTheirOwnCertificate()
      throws Exception {
    long budget = 64 * 1024;
    CertificateCache cache = new CertificateCache(budget);
    String pem = TestPki.pem(PKI.leaf());
    var facts = facts(KeyMaterial.certificate(Certificates.der(pem, "t"), "t"));
    for (int i = 0; i < 2_000; i++) {
      String padded = pem + " ".repeat(i % 700) + "\n".repeat(i % 3);
      cache.rememberText(padded, facts);
      cache.rememberText(padded, facts); // seen twice, so indexed
      assertThat(cache.bytes()).isLessThanOrEqualTo(budget / 4 + 256 + padded.length());
    }
    assertThat(cache.textEntries()).isLessThan(2_000);
    String fresh = pem + "\t"; // not among the padded texts above
    cache.rememberText(fresh, facts);
    assertThat(cache.byText(fresh)).as("a text seen once is not indexed yet").isNull();
    cache.rememberText(fresh, facts);
    assertThat(cache.byText(fresh)).isSameAs(facts);
    assertThat(cache.byText(pem + "x")).as("a text never remembered is a miss").isNull();
  }

  @Test
  void textsThatNeverReturnLeaveTheFactsAndTheIndexAlone() throws Exception {
    CertificateCache cache = new CertificateCache(CertificateCache.DEFAULT_BUDGET_BYTES);
    String pem = TestPki.pem(PKI.leaf());
    var facts = cache.get(Certificates.der(pem, "t"),
        bytes -> facts(KeyMaterial.certificate(bytes, "t")));
    cache.rememberText(pem, facts);
    cache.rememberText(pem, facts);
    for (int i = 0; i < 100_000; i++) { // 100,000 texts each seen once: 150 MB of them
      cache.rememberText(pem + " ".repeat(i % 1000) + i, facts);
    }
    assertThat(cache.byText(pem)).as("indexed, and not pushed out by one-off texts")
        .isSameAs(facts);
    assertThat(cache.textEntries()).isLessThan(100);
    assertThat(cache.size()).isEqualTo(1);

    // Texts that do return fill the index's own quarter of the budget, never the facts'.
    for (int i = 0; i < 20_000; i++) {
      String padded = pem + " ".repeat(i % 1000) + i;
      cache.rememberText(padded, facts);
      cache.rememberText(padded, facts);
    }
    assertThat(cache.size()).as("the facts are still there").isEqualTo(1);
    assertThat(cache.bytes()).isLessThanOrEqualTo(CertificateCache.DEFAULT_BUDGET_BYTES / 4
        + 4096 + 1024);
  }

  @Test
  void quotedPemsAreReusedAndBoundedByBytes() {
    String pem = TestPki.pem(PKI.leaf());
    QuotedPems.of(pem); // the first sight is quoted but not kept
    assertThat(QuotedPems.of(pem)).isSameAs(QuotedPems.of(new String(pem)));
    assertThat(QuotedPems.of(pem).getValue()).isEqualTo(pem);
    for (int i = 0; i < 5_000; i++) {
      QuotedPems.of(pem + i);
      QuotedPems.of(pem + i);
      assertThat(QuotedPems.bytes()).isLessThanOrEqualTo(QuotedPems.BUDGET_BYTES + 4 * 4096);
    }
    String huge = "x".repeat(100_000);
    assertThat(QuotedPems.of(huge)).isNotSameAs(QuotedPems.of(huge));
  }

  private static CertificateFacts facts(java.security.cert.X509Certificate certificate) {
    return CertificateFacts.of(certificate, KeyMaterial.pinOf(certificate));
  }
}
