package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.report.ReceivedReport;
import dev.hpkp.report.ReportParser;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one report writer (the client's) against the one reader (the collector's). */
class ReportFormatTest {

  private static final TestPki SITE = TestPki.localhost();
  private static final TestPki OTHER = TestPki.otherCa("Other CA");
  private static final ReportParser COLLECTOR = new ReportParser(65_536, 10);

  private static OutgoingReport report(Instant expires) {
    return new OutgoingReport(Instant.parse("2026-11-23T10:15:30.123Z"), "www.example.com",
        8443, expires, true, "example.com", List.of(OTHER.leaf(), OTHER.intermediate()),
        OTHER.chain(), List.of(SITE.leafPin(), SITE.backupPin()));
  }

  @Test
  void everyFieldTheClientWritesTheCollectorReadsBack() throws Exception {
    OutgoingReport sent = report(Instant.parse("2027-01-22T10:15:30Z"));
    byte[] json = sent.toJson();

    dev.hpkp.report.PinFailureReport read = COLLECTOR.parse(json);

    assertThat(read.dateTime().toInstant()).isEqualTo(sent.dateTime());
    assertThat(read.hostname()).isEqualTo("www.example.com");
    assertThat(read.port()).isEqualTo(8443);
    assertThat(read.effectiveExpirationDate().toInstant()).isEqualTo(sent.effectiveExpirationDate());
    assertThat(read.includeSubdomains()).isTrue();
    assertThat(read.notedHostname()).isEqualTo("example.com");
    assertThat(read.servedChain()).extracting(c -> c.pin())
        .containsExactly(OTHER.leafPin(), OTHER.intermediatePin());
    assertThat(read.validatedChain()).extracting(c -> c.pin())
        .containsExactly(OTHER.leafPin(), OTHER.intermediatePin(), OTHER.rootPin());
    assertThat(read.knownPins()).containsExactly(SITE.leafPin(), SITE.backupPin());
    assertThat(ReceivedReport.of(Instant.now(), "127.0.0.1", read).verdict())
        .isEqualTo(ReceivedReport.Verdict.NO_PINNED_KEY_SERVED);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .startsWith("{\"date-time\":\"2026-11-23T10:15:30.123Z\",\"hostname\":\"www.example.com\""
            + ",\"port\":8443,")
        .contains("\"known-pins\":[\"pin-sha256=\\\"" + SITE.leafPin().base64() + "\\\"\"");
  }

  @Test
  void aPreloadedEntryThatNeverExpiresStillGivesAReadableDate() throws Exception {
    dev.hpkp.report.PinFailureReport read = COLLECTOR.parse(report(Instant.MAX).toJson());

    assertThat(read.effectiveExpirationDate().getYear()).isEqualTo(9999);
    assertThat(KeyMaterial.pinOf(OTHER.leaf())).isEqualTo(read.servedChain().get(0).pin());
  }
}
