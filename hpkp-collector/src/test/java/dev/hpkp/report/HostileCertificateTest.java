package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Certificates built to break parsers, sent inside otherwise valid reports: each is a 400 that
 * names the field and index, nothing is stored, and no 5xx, exception or raw control character
 * reaches the client or the log.
 */
class HostileCertificateTest {

  private static final TestPki PKI = TestPki.localhost();

  /** A tag-length-value with a definite DER length. */
  static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  /** A certificate shaped like PKI's leaf but with {@code validity} and {@code subject} swapped in. */
  static byte[] certificate(byte[] validity, byte[] subject) throws Exception {
    org.bouncycastle.asn1.x509.Certificate real =
        org.bouncycastle.asn1.x509.Certificate.getInstance(PKI.leaf().getEncoded());
    org.bouncycastle.asn1.x509.TBSCertificate tbs = real.getTBSCertificate();
    byte[] body = tlv(0x30,
        tlv(0xa0, tlv(0x02, new byte[] {2})),
        tbs.getSerialNumber().getEncoded(),
        tbs.getSignature().getEncoded(),
        tbs.getIssuer().getEncoded(),
        validity,
        subject,
        tbs.getSubjectPublicKeyInfo().getEncoded());
    return tlv(0x30, body, real.getSignatureAlgorithm().getEncoded(),
        real.getSignature().getEncoded());
  }

  static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
  }

  static String report(String servedLeafPem) {
    return Reports.interception(PKI, "shop.example").replaceFirst(
        "\"served-certificate-chain\": \\[\"[^\"]*\"",
        "\"served-certificate-chain\": [\"" + servedLeafPem.replace("\n", "\\\\n") + "\"");
  }

  static Map<String, Supplier<String>> hostile() throws Exception {
    byte[] utc = tlv(0x17, "260101000000Z".getBytes(StandardCharsets.US_ASCII));
    byte[] goodValidity = tlv(0x30, utc, utc);
    byte[] realSubject = org.bouncycastle.asn1.x509.Certificate.getInstance(
        PKI.leaf().getEncoded()).getTBSCertificate().getSubject().getEncoded();
    byte[] badGeneralizedTime = tlv(0x30, utc,
        tlv(0x18, "9999ZZZZZZZZZZ".getBytes(StandardCharsets.US_ASCII)));
    byte[] shortUtcTime = tlv(0x30, tlv(0x17, "99".getBytes(StandardCharsets.US_ASCII)), utc);
    byte[] wrongTypesInName = hex("30 09 31 07 30 05 a0 00 0c 01 41");
    ByteArrayOutputStream indefinite = new ByteArrayOutputStream();
    for (int i = 0; i < 5000; i++) {
      indefinite.writeBytes(hex("30 80"));
    }
    indefinite.writeBytes(hex("05 00"));
    for (int i = 0; i < 5000; i++) {
      indefinite.writeBytes(hex("00 00"));
    }
    byte[] definite = hex("05 00");
    for (int i = 0; i < 3000; i++) {
      definite = tlv(0x30, definite);
    }
    byte[] real = PKI.leaf().getEncoded();
    byte[] trailing = Arrays.copyOf(real, real.length + 2);
    String goodPem = TestPki.pem(PKI.leaf());
    Map<String, Supplier<String>> cases = new java.util.LinkedHashMap<>();
    byte[] timeBomb = certificate(badGeneralizedTime, realSubject);
    byte[] shortTime = certificate(shortUtcTime, realSubject);
    byte[] nameBomb = certificate(goodValidity, wrongTypesInName);
    byte[] indefiniteBytes = indefinite.toByteArray();
    byte[] definiteBytes = definite;
    cases.put("GeneralizedTime 9999ZZZZZZZZZZ", () -> report(pem(timeBomb)));
    cases.put("UTCTime 99", () -> report(pem(shortTime)));
    cases.put("wrong ASN.1 types in the subject Name", () -> report(pem(nameBomb)));
    cases.put("indefinite-length nesting 5000 deep", () -> report(pem(indefiniteBytes)));
    cases.put("definite-length nesting 3000 deep", () -> report(pem(definiteBytes)));
    cases.put("truncated DER", () -> report(pem(Arrays.copyOf(real, real.length / 2))));
    cases.put("bytes after the DER", () -> report(pem(trailing)));
    cases.put("junk before the armour", () -> report("junk\n" + goodPem));
    cases.put("junk after the armour", () -> report(goodPem + "FORGED\n"));
    return cases;
  }

  @Test
  void everyHostileCertificateIsA400ThatNamesTheFieldAndStoresNothing() throws Exception {
    List<ReceivedReport> stored = new ArrayList<>();
    ReportCollector collector = ReportCollector.builder(stored::add).build();
    for (Map.Entry<String, Supplier<String>> hostile : hostile().entrySet()) {
      byte[] body = hostile.getValue().get().getBytes(StandardCharsets.UTF_8);
      ReportCollector.Response response = collector.handle("192.0.2.7", "application/json",
          body.length, () -> new ByteArrayInputStream(body));

      assertThat(response.status()).as(hostile.getKey() + ": " + response).isEqualTo(400);
      assertThat(response.message()).as(hostile.getKey())
          .startsWith("served-certificate-chain[0] ")
          .doesNotContain("\n", "\r", "\u001b", "Exception");
    }
    assertThat(stored).isEmpty();
    assertThat(collector.stats().accepted()).isZero();
  }

  @Test
  void aSubjectThatForgesLogLinesIsStoredButLoggedOnOneEscapedLine() {
    X509Certificate evil = PKI.leafWithCommonName("evil\n2026-01-01 00:00:00.000:INFO"
        + " :oejs.Server:main: FORGED admin logged in\r\u001b[2J");
    String json = Reports.valid("shop.example", List.of(evil, PKI.intermediate()),
        List.of(evil, PKI.intermediate()), List.of(PKI.backupPin(), PKI.secondBackupPin()));
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    List<String> logged = new ArrayList<>();
    Logger logger = Logger.getLogger(LogReportSink.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(capture);
    try {
      ReportCollector collector = ReportCollector.builder(new LogReportSink()).build();
      assertThat(collector.handle("192.0.2.8", "application/json", body.length,
          () -> new ByteArrayInputStream(body)).status()).isEqualTo(204);
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(logged).singleElement().asString()
        .contains("CN=evil\\n2026-01-01 00:00:00.000:INFO :oejs.Server:main: FORGED admin"
            + " logged in\\r\\u001b[2J")
        .doesNotContain("\n", "\r", "\u001b");
  }
}
