package dev.hpkp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.testing.TestPki;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParsedHeaderTest {

  private static final String A = "pin-sha256=\"xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eM=\"";
  private static final String B = "pin-sha256=\"xUBOfKdQc0FPkBVqKW3gN8JXnnCmP7FORHaKyK7yNl8=\"";

  @Test
  void parsesTheRfcExampleShape() {
    ParsedHeader parsed = ParsedHeader.parse(A + "; " + B + "; max-age=5184000;"
        + " includeSubDomains; report-uri=\"https://r.example/hpkp\"", false);

    assertThat(parsed.findings()).isEmpty();
    assertThat(parsed.valid()).isTrue();
    assertThat(parsed.pins()).hasSize(2);
    assertThat(parsed.maxAgeSeconds()).contains(5184000L);
    assertThat(parsed.includeSubDomains()).isTrue();
    assertThat(parsed.reportUri()).contains("https://r.example/hpkp");
  }

  @Test
  void directiveNamesAreCaseInsensitiveAndQuotedMaxAgeIsAllowed() {
    ParsedHeader parsed = ParsedHeader.parse("PIN-SHA256=\"xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSq"
        + "aWw08eM=\";" + B + ";Max-Age=\"600\";INCLUDESUBDOMAINS", false);
    assertThat(parsed.findings()).isEmpty();
    assertThat(parsed.maxAgeSeconds()).contains(600L);
    assertThat(parsed.includeSubDomains()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "missing max-age              | " + A + "; " + B + "                                  | missing-max-age",
      "duplicate max-age            | " + A + "; " + B + "; max-age=1; max-age=2            | duplicate-max-age",
      "non-numeric max-age          | " + A + "; " + B + "; max-age=-5                      | invalid-max-age",
      "valued includeSubDomains     | " + A + "; " + B + "; max-age=1; includeSubDomains=1  | valued-include-subdomains",
      "duplicate includeSubDomains  | " + A + "; " + B + "; max-age=1; includeSubDomains; includeSubDomains | duplicate-include-subdomains",
      "short pin                    | pin-sha256=\"abc=\"; " + B + "; max-age=1             | invalid-pin",
      "unquoted pin                 | pin-sha256=abc; " + B + "; max-age=1                  | invalid-pin",
      "duplicate report-uri         | " + A + "; " + B + "; max-age=1; report-uri=\"https://a.example/\"; report-uri=\"https://b.example/\" | duplicate-report-uri",
      "relative report-uri          | " + A + "; " + B + "; max-age=1; report-uri=\"/r\"    | invalid-report-uri",
      "single pin                   | " + A + "; max-age=1                                  | no-backup-pin",
      "no pins                      | max-age=1                                             | no-pins",
      "single quotes                | " + A + "; " + B + "; max-age=1; report-uri='https://a.example/' | parse-error",
      "unterminated quote           | " + A + "; " + B + "; max-age=1; report-uri=\"https://a | parse-error",
      "garbage between directives   | " + A + " , " + B + "; max-age=1                      | parse-error",
      "sha256/ inside the quotes    | pin-sha256=\"sha256/xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eM=\"; " + B + "; max-age=1 | invalid-pin",
      "spaces inside the quotes     | pin-sha256=\" xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eM= \"; " + B + "; max-age=1 | invalid-pin",
      "Arabic-Indic digit max-age   | " + A + "; " + B + "; max-age=\"\u0663\"                 | invalid-max-age",
      "full-width digits max-age    | " + A + "; " + B + "; max-age=\"\uff16\uff10\"           | invalid-max-age",
      "max-age of 2^64              | " + A + "; " + B + "; max-age=18446744073709551616    | invalid-max-age",
      "report-uri port above 65535  | " + A + "; " + B + "; max-age=1; report-uri=\"https://r.example:99999/\" | invalid-report-uri",
      "report-uri with userinfo     | " + A + "; " + B + "; max-age=1; report-uri=\"https://u:p@r.example/\" | invalid-report-uri",
  })
  void reportsEachProblemByName(String description, String header, String code) {
    ParsedHeader parsed = ParsedHeader.parse(header.strip(), false);
    assertThat(parsed.findings()).extracting(Finding::code).contains(code.strip());
    assertThat(parsed.valid()).isFalse();
  }

  @Test
  void maxAgeAtOrAbove2To64SaysWhatBrowsersDidAndPrintsTheValueAsWritten() {
    assertThat(ParsedHeader.parse(A + "; " + B + "; max-age=18446744073709551616", false)
        .findings()).extracting(Finding::message).containsExactly("18446744073709551616 is out of"
        + " range (2^64 or more: Firefox rejected such a header, Chromium clamped it to its"
        + " 60-day cap); use at most 5184000 (60 days), where user agents cap it");
    ParsedHeader below = ParsedHeader.parse(A + "; " + B + "; max-age=18446744073709551615",
        false);
    assertThat(below.valid()).isTrue();
    assertThat(below.maxAgeSeconds()).contains(Long.MAX_VALUE);
    assertThat(below.findings()).extracting(Finding::message).containsExactly(
        "18446744073709551615 is above 5184000 (60 days); user agents cap it there (RFC 7469"
            + " §4.1), so a longer value buys nothing and reads as a mistake");
  }

  @Test
  void reportUriHostsAUrlParserAcceptsAreAccepted() {
    for (String uri : new String[] {"https://a_b.example.org/x", "https://-r.example.org/x",
        "https://r.example.org:65535/x"}) {
      assertThat(ParsedHeader.parse(A + "; " + B + "; max-age=1; report-uri=\"" + uri + "\"",
          false).findings()).as(uri).isEmpty();
    }
  }

  @Test
  void whitespaceAroundEqualsAndEmptyDirectivesAreWarnedAsWhatBrowsersAccepted() {
    for (String header : new String[] {A + "; " + B + "; max-age = 600",
        A + ";; " + B + "; max-age=600", "; " + A + "; " + B + "; max-age=600"}) {
      ParsedHeader parsed = ParsedHeader.parse(header, false);
      assertThat(parsed.valid()).as(header).isTrue();
      assertThat(parsed.maxAgeSeconds()).as(header).contains(600L);
      assertThat(parsed.findings()).as(header).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo("lenient-syntax");
        assertThat(f.message()).contains("Chromium and Firefox both");
      });
    }
  }

  @Test
  void strictFindingsSayWhatChromiumAndFirefoxDid() {
    assertThat(messageOf(A + "; " + B + "; max-age=1; report-uri=\"https://r.example/\u007f\"",
        "parse-error")).endsWith("RFC 7230 quoted text excludes it (Firefox rejected such a"
        + " header; Chromium did not check quoted text)");
    assertThat(messageOf("pin-sha256=\"xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eN=\"; " + B
        + "; max-age=1", "non-canonical-pin")).endsWith("(Chromium and Firefox accepted such a"
        + " pin, since it decodes to 32 bytes; RFC 7469 §2.4 asks for the base64 of the hash)");
    assertThat(messageOf(A + "; max-age=0", "no-backup-pin")).endsWith("(with max-age=0, Firefox"
        + " forgot the host's pins all the same; Chromium ignored the header)");
    assertThat(messageOf("max-age=0", "no-pins")).endsWith("(with max-age=0, Firefox forgot the"
        + " host's pins all the same; Chromium ignored the header)");
    for (String uri : new String[] {"ftp://r.example/x", "https://r.example/a b"}) {
      assertThat(messageOf(A + "; " + B + "; max-age=1; report-uri=\"" + uri + "\"",
          "invalid-report-uri")).as(uri).endsWith("(Firefox did not check report-uri and"
          + " Chromium took any URL its parser accepted, so neither ignored the header for it;"
          + " the reports would not arrive)");
    }
  }

  private static String messageOf(String header, String code) {
    return ParsedHeader.parse(header, false).findings().stream()
        .filter(f -> f.code().equals(code)).findFirst().orElseThrow(
            () -> new AssertionError("no " + code + " in " + header)).message();
  }

  @Test
  void reportOnlyNeedsReportUriButNotMaxAge() {
    assertThat(ParsedHeader.parse(A + "; " + B, true).findings()).extracting(Finding::code)
        .containsExactly("report-only-without-report-uri");
    assertThat(ParsedHeader.parse(A + "; " + B + "; report-uri=\"https://r.example/\"", true)
        .findings()).isEmpty();
  }

  @Test
  void warnsButAcceptsUnknownDirectivesAndLongMaxAge() {
    ParsedHeader parsed = ParsedHeader.parse(A + "; " + B + "; pin-sha1=\"x\"; foo;"
        + " max-age=99999999", false);
    assertThat(parsed.valid()).isTrue();
    assertThat(parsed.findings()).extracting(Finding::code)
        .containsExactly("unknown-pin-algorithm", "unknown-directive", "max-age-above-cap");
  }

  @Test
  void judgesPinsAgainstAChain() {
    TestPki pki = TestPki.localhost();
    List<ChainCertificate> chain = KeyMaterial.toChain(pki.chain());
    String onlyChain = pki.leafPin().toDirective() + "; " + pki.rootPin().toDirective()
        + "; max-age=60";
    assertThat(ParsedHeader.parse(onlyChain, false).judgeAgainst(chain))
        .extracting(Finding::code).containsExactly("no-backup-pin");
    String noneInChain = pki.backupPin().toDirective() + "; "
        + pki.secondBackupPin().toDirective() + "; max-age=60";
    assertThat(ParsedHeader.parse(noneInChain, false).judgeAgainst(chain))
        .extracting(Finding::code).containsExactly("no-pin-matches-chain");
  }

  /**
   * Every header the policy builder can emit parses back under RFC 7469 §2.1 to the same
   * settings, with at least one pin in the served chain and at least one outside it.
   */
  @Test
  void everyHeaderThePolicyCanEmitParsesBackAndIsAccepted() {
    TestPki pki = TestPki.localhost();
    List<ChainCertificate> chain = KeyMaterial.toChain(pki.chain());
    List<Pin> chainPins = List.of(pki.leafPin(), pki.intermediatePin(), pki.rootPin());
    List<Pin> backups = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      backups.add(KeyMaterial.pinOf(TestPki.ecKey().getPublic()));
    }
    String[] uris = {null, "https://r.example/hpkp", "http://r.example:8080/a/b?c=d&e=f%20g",
        "https://xn--bcher-kva.example/r#frag"};
    Random random = new Random(7469);
    for (int round = 0; round < 500; round++) {
      List<Pin> pins = pick(random, chainPins, 1);
      List<Pin> backupPins = pick(random, backups, 1);
      boolean reportOnly = random.nextBoolean();
      String uri = uris[random.nextInt(uris.length)];
      if (reportOnly && uri == null) {
        uri = uris[1];
      }
      long maxAge = random.nextInt(3) == 0 ? random.nextInt(10) : random.nextInt(20_000_000);
      boolean subdomains = random.nextBoolean();
      PinPolicy policy = PinPolicy.builder().pins(pins).backupPins(backupPins)
          .reportOnly(reportOnly).reportUri(uri).maxAgeSeconds(maxAge)
          .includeSubDomains(subdomains).servedChain(chain).build();

      ParsedHeader parsed = ParsedHeader.parse(policy.headerValue(), reportOnly);

      assertThat(parsed.valid()).as(policy.headerValue()).isTrue();
      // One rule table: what lint finds in the header and the chain is what start-up warned of.
      List<String> headerCodes = new ArrayList<>();
      parsed.findings().forEach(f -> headerCodes.add(f.code()));
      parsed.judgeAgainst(chain).forEach(f -> headerCodes.add(f.code()));
      assertThat(headerCodes).as(policy.headerValue()).containsExactlyInAnyOrderElementsOf(
          policy.findings().stream().map(Finding::code).toList());
      assertThat(parsed.pins()).containsExactlyElementsOf(policy.allPins());
      assertThat(parsed.maxAgeSeconds()).contains(maxAge);
      assertThat(parsed.includeSubDomains()).isEqualTo(subdomains);
      assertThat(parsed.reportUri().orElse(null)).isEqualTo(uri);
      assertThat(parsed.pins()).anyMatch(chainPins::contains);
      assertThat(parsed.pins()).anyMatch(p -> !chainPins.contains(p));
      assertThat(policy.headerValue()).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\uffff]");
    }
  }

  private static List<Pin> pick(Random random, List<Pin> from, int atLeast) {
    List<Pin> result = new ArrayList<>();
    for (Pin pin : from) {
      if (random.nextBoolean()) {
        result.add(pin);
      }
    }
    while (result.size() < atLeast) {
      Pin pin = from.get(random.nextInt(from.size()));
      if (!result.contains(pin)) {
        result.add(pin);
      }
    }
    return result;
  }

  @Test
  void aNonCanonicalPinIsOneFindingAndStillCountsAsAPin() {
    String unpadded = B.substring(B.indexOf('"') + 1, B.lastIndexOf('"')).replace("=", "");
    ParsedHeader parsed = ParsedHeader.parse(A + "; pin-sha256=\"" + unpadded + "\"; max-age=1",
        false);

    assertThat(parsed.findings()).extracting(f -> f.rule().code())
        .containsExactly("non-canonical-pin");
    assertThat(parsed.findings().get(0).message()).contains("write " + B);
    assertThat(parsed.pins()).hasSize(2);
  }

  @Test
  void aValuelessMaxAgeSaysSo() {
    ParsedHeader parsed = ParsedHeader.parse(A + "; " + B + "; max-age", false);

    assertThat(parsed.findings()).extracting(Finding::toString).anySatisfy(finding ->
        assertThat(finding).contains("max-age has no value; write max-age=SECONDS")
            .doesNotContain("'null'"));
  }
}
