package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.report.JsonLinesReportSink;
import dev.hpkp.report.ReceivedReport;
import dev.hpkp.report.ReportParser;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsCommandTest {

  @TempDir Path dir;

  @Test
  void summarizesByHostAndServedChainAndSkipsATornLine() throws Exception {
    TestPki pinned = TestPki.localhost();
    TestPki attacker = TestPki.localhost();
    ReportParser parser = new ReportParser(65_536, 10);
    Path file = dir.resolve("hpkp.jsonl");
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1 << 20, 1)) {
      for (int i = 0; i < 3; i++) {
        sink.accept(ReceivedReport.of(Instant.parse("2026-11-0" + (i + 1) + "T10:00:00Z"),
            "192.0.2." + i, parser.parse(Reports.interception(attacker, "shop.example")
                .getBytes(StandardCharsets.UTF_8))));
      }
      sink.accept(ReceivedReport.of(Instant.parse("2026-11-05T10:00:00Z"), "192.0.2.9",
          parser.parse(Reports.valid("api.example", pinned.chain(), attacker.chain(),
              List.of(pinned.intermediatePin(), pinned.backupPin()))
              .getBytes(StandardCharsets.UTF_8))));
    }
    Files.writeString(file, "{\"hostname\":\"torn", StandardOpenOption.APPEND);

    Cli cli = Cli.run("reports", "summarize", file.toString());

    assertThat(cli.exit()).isZero();
    assertThat(cli.out()).startsWith("4 reports, 1 unreadable lines skipped: 3 likely"
        + " interception (no pinned key served), 1 misconfiguration (pinned key not validated),"
        + " 0 stale or forged (pins match)");
    assertThat(cli.out()).containsPattern("shop\\.example:443\\s+3  2026-11-01 10:00:00Z"
        + "\\s+2026-11-03 10:00:00Z  \\{no-pinned-key-served=3}");
    assertThat(cli.out()).containsPattern("api\\.example:443\\s+1 ");
    assertThat(cli.out()).contains("      3  " + attacker.leafPin());

    Cli json = Cli.run("reports", "summarize", "--json", file.toString());
    assertThat(json.out()).contains("\"reports\" : 4", "\"skippedLines\" : 1",
        "\"pinned-key-not-validated\" : 1");
  }
}
