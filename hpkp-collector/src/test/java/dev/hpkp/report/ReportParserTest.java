package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainCertificate.Role;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportParserTest {

  private static final TestPki PKI = TestPki.localhost();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsedChainsCarryPinsSubjectsAndRolesAlsoWhenCached() throws Exception {
    ReportParser parser = new ReportParser(65_536, 10);
    byte[] body = utf8(Reports.interception(PKI, "a.example"));

    for (int round = 0; round < 2; round++) { // the second round is served from the cache
      PinFailureReport report = parser.parse(body);
      assertThat(report.servedChain()).extracting(ChainCertificate::role)
          .containsExactly(Role.LEAF, Role.INTERMEDIATE, Role.ROOT);
      assertThat(report.servedChain()).extracting(ChainCertificate::pin)
          .containsExactly(PKI.leafPin(), PKI.intermediatePin(), PKI.rootPin());
      assertThat(report.servedChain().get(0).issuer())
          .isEqualTo("CN=HPKP Test Intermediate,O=hpkp-filter tests");
    }

    // The cached intermediate, now first in a chain, takes the role of its new position.
    PinFailureReport shifted = parser.parse(utf8(Reports.valid("b.example",
        List.of(PKI.intermediate(), PKI.root()), List.of(), List.of(PKI.backupPin()))));
    assertThat(shifted.servedChain()).extracting(ChainCertificate::role)
        .containsExactly(Role.LEAF, Role.ROOT);
    assertThat(shifted.servedChain()).extracting(ChainCertificate::position)
        .containsExactly(0, 1);
  }

  /**
   * What the parser made of a body: the hostname, or the reason it refused it for (Jackson's own
   * wording of a syntax error differs between its byte and character parsers).
   */
  private static String outcome(ReportParser parser, String body) {
    try {
      return "stored " + parser.parse(utf8(body)).hostname();
    } catch (RejectedReportException e) {
      return "refused " + e.reason();
    }
  }

  @Test
  void asciiBodiesAreJudgedAsTheDecodedPathJudgesThem() {
    String valid = Reports.interception(PKI, "shop.example");
    List<String> bodies = List.of(
        valid,
        valid + " {}",
        valid.replace("\"port\":", "\"port\": 1, \"port\":"),
        valid.replace("\"hostname\":", "\"ignored\": [1, {\"a\": null}], \"hostname\":"),
        valid.replace("\"hostname\": \"shop.example\"", "\"hostname\": \"shop\\u002eexample\""),
        valid.replace("\"hostname\": \"shop.example\"", "\"hostname\": \"shop\\qexample\""),
        valid.replace("\"hostname\": \"shop.example\"", "\"hostname\": \"shop\texample\""),
        valid.replace("\"hostname\": \"shop.example\"", "'hostname': 'shop.example'"),
        valid.replace("\"port\": 443", "\"port\": 0443"),
        valid.replace("\"port\": 443", "\"port\": 443.0"),
        valid.replace("\"port\": 443", "\"port\": NaN"),
        valid.replace("\"port\": 443", "\"port\": 123456789012345678901234567890"),
        valid.replace("\"port\": 443", "\"port\": 443 /* c */"),
        valid.replace("\"port\": 443,", "\"port\": 443,,"),
        valid.replace("\"include-subdomains\": false", "\"include-subdomains\": False"),
        valid.replace("\"hostname\":", "\"deep\": [[[[[[[[[[1]]]]]]]]]], \"hostname\":"),
        valid.substring(0, valid.length() / 2),
        valid.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----\\nAAAA"));
    assertThat(bodies.subList(1, bodies.size())).as("every case changes the report")
        .doesNotContain(valid).doesNotHaveDuplicates();
    for (String body : bodies) {
      assertThat(body).as("the case itself is ASCII").matches("\\p{ASCII}*");
      // The same body with a non-ASCII character in a field the parser skips takes the
      // strict-decoding path.
      String decoded = body.replaceFirst("\\{", "{\"note\": \"caf\u00e9\", ");
      String onBytes = outcome(new ReportParser(65_536, 10), body);
      assertThat(onBytes).as(body).isEqualTo(outcome(new ReportParser(65_536, 10), decoded));
    }
    assertThat(outcome(new ReportParser(65_536, 10), valid)).isEqualTo("stored shop.example");
  }

  @Test
  void aByteWithItsHighBitSetAnywhereIsNotAscii() {
    for (int length = 0; length <= 20; length++) {
      byte[] ascii = new byte[length];
      java.util.Arrays.fill(ascii, (byte) 0x7f);
      assertThat(ReportParser.isAscii(ascii)).as("length %d", length).isTrue();
      for (int at = 0; at < length; at++) {
        byte[] other = ascii.clone();
        other[at] = (byte) 0x80;
        assertThat(ReportParser.isAscii(other)).as("0x80 at %d of %d", at, length).isFalse();
        other[at] = 0;
        assertThat(ReportParser.isAscii(other)).as("NUL at %d of %d", at, length).isFalse();
      }
    }
  }

  @Test
  void aBodyInUtf16OrUtf32IsRefusedAsNotUtf8() throws Exception {
    ReportParser parser = new ReportParser(65_536, 10);
    String valid = Reports.interception(PKI, "shop.example");
    assertThat(parser.parse(utf8(valid)).hostname()).isEqualTo("shop.example");

    for (java.nio.charset.Charset charset : List.of(StandardCharsets.UTF_16BE,
        StandardCharsets.UTF_16LE, java.nio.charset.Charset.forName("UTF-32BE"),
        java.nio.charset.Charset.forName("UTF-32LE"))) {
      byte[] body = valid.getBytes(charset);
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> parser.parse(body), RejectedReportException.class))
          .as(charset.name()).satisfies(e -> {
            assertThat(e.reason()).isEqualTo(Rejection.NOT_UTF8);
            assertThat(e.getMessage()).contains("RFC 8259 §8.1");
          });
    }
  }
}
