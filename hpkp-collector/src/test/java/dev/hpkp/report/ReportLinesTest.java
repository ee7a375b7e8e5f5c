package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.Pin;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON-lines file has one codec: what the collector writes, the summary reads back. */
class ReportLinesTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final ReportParser PARSER = new ReportParser(65_536, 10);
  private static final Instant AT = Instant.parse("2026-12-03T10:00:00.123456789Z");

  private static ReceivedReport received(List<Pin> knownPins) throws Exception {
    return ReceivedReport.of(AT, "192.0.2.7", PARSER.parse(Reports.valid("shop.example",
        PKI.chain(), PKI.chain(), knownPins).getBytes(StandardCharsets.UTF_8)));
  }

  private static String line(ReceivedReport received) throws Exception {
    return new String(ReportLines.of(received), StandardCharsets.UTF_8).strip();
  }

  @Test
  void everyVerdictWrittenIsReadBackAsItself() throws Exception {
    Set<ReceivedReport.Verdict> seen = EnumSet.noneOf(ReceivedReport.Verdict.class);
    for (List<Pin> known : List.of(List.of(PKI.backupPin()), List.of(PKI.leafPin()))) {
      ReceivedReport received = received(known);
      ReportLines.Summary summary = ReportLines.summary(line(received));

      assertThat(summary).isEqualTo(new ReportLines.Summary("shop.example", 443, AT,
          received.verdict(), received.servedLeafIssuer(), PKI.leafPin().toString(), null));
      seen.add(summary.verdict());
    }
    assertThat(seen).contains(ReceivedReport.Verdict.NO_PINNED_KEY_SERVED,
        ReceivedReport.Verdict.PINS_MATCH);
    for (ReceivedReport.Verdict verdict : ReceivedReport.Verdict.values()) {
      assertThat(ReceivedReport.Verdict.of(verdict.code())).isSameAs(verdict);
    }
  }

  @Test
  void aVerdictThisVersionDoesNotKnowIsNotCountedAsAnother() throws Exception {
    String line = line(received(List.of(PKI.backupPin())));
    String renamed = line.replace("\"verdict\":\"no-pinned-key-served\"",
        "\"verdict\":\"interception\"");

    assertThat(renamed).isNotEqualTo(line);
    assertThat(ReportLines.summary(renamed)).isNull();
  }

  @Test
  void linesThatAreNotWholeReportsHaveNoSummary() throws Exception {
    String line = line(received(List.of(PKI.backupPin())));

    assertThat(ReportLines.summary(line.substring(0, line.length() / 2))).isNull();
    assertThat(ReportLines.summary("[]")).isNull();
    assertThat(ReportLines.summary(line.replace("\"received-at\":\"", "\"received-at\":\"x"))).isNull();
    assertThat(ReportLines.summary(line.replace("\"port\":443", "\"port\":\"443\"")))
        .extracting(ReportLines.Summary::port).isNull();
    assertThat(ReportLines.summary("[".repeat(10_000))).isNull();
  }

  @Test
  void theRestartReadBackChecksTheReportAgain() throws Exception {
    ReceivedReport received = received(List.of(PKI.backupPin()));
    byte[] line = ReportLines.of(received);

    ReceivedReport back = ReportLines.read(line, PARSER);

    assertThat(back.receivedAt()).isEqualTo(AT);
    assertThat(back.remoteAddress()).isEqualTo("192.0.2.7");
    assertThat(back.verdict()).isEqualTo(received.verdict());
    assertThat(back.servedPins()).isEqualTo(received.servedPins());
  }
}
