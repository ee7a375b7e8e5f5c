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

  /** One stored report about {@code hostname}, as the collector writes it, plus {@code extra}. */
  private Path collectorFile(String name, String hostname, byte[] extra) throws Exception {
    Path file = dir.resolve(name);
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1 << 20, 1)) {
      sink.accept(ReceivedReport.of(Instant.parse("2026-11-01T10:00:00Z"), "192.0.2.1",
          new ReportParser(65_536, 10).parse(Reports.interception(TestPki.localhost(), hostname)
              .getBytes(StandardCharsets.UTF_8))));
    }
    Files.write(file, extra, StandardOpenOption.APPEND);
    return file;
  }

  @Test
  void mobileAppsReportsAreSummarizedByApp() throws Exception {
    TestPki pki = TestPki.localhost();
    ReportParser parser = new ReportParser(65_536, 10);
    Path file = dir.resolve("apps.jsonl");
    List<dev.hpkp.policy.Pin> pins = List.of(pki.backupPin(), pki.secondBackupPin());
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1 << 20, 1)) {
      for (int i = 0; i < 2; i++) {
        sink.accept(ReceivedReport.of(Instant.parse("2026-12-0" + (i + 1) + "T10:00:00Z"),
            "192.0.2." + i, parser.parse(dev.hpkp.testing.TrustKitReports.ios("shop.example",
            0, pki.chain(), pins, "2027-01-15").getBytes(StandardCharsets.UTF_8))));
      }
      sink.accept(ReceivedReport.of(Instant.parse("2026-12-03T10:00:00Z"), "192.0.2.9",
          parser.parse(dev.hpkp.testing.TrustKitReports.android("shop.example", pki.chain(),
          pki.chain(), pins).getBytes(StandardCharsets.UTF_8))));
      sink.accept(ReceivedReport.of(Instant.parse("2026-12-04T10:00:00Z"), "192.0.2.8",
          parser.parse(Reports.interception(pki, "shop.example")
          .getBytes(StandardCharsets.UTF_8))));
    }

    Cli cli = Cli.run("reports", "summarize", file.toString());

    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).startsWith("4 reports: 4 likely interception")
        .contains("By app (TrustKit reports):",
            "  com.example.shop                 IOS      4.2              2  2026-12-01 10:00:00Z"
                + "  2026-12-02 10:00:00Z  {no-pinned-key-served=2}",
            "  com.example.shop                 ANDROID  42               1  2026-12-03"
                + " 10:00:00Z  2026-12-03 10:00:00Z  {no-pinned-key-served=1}")
        // TrustKit knew no port: the host alone
        .contains(String.format("  %-32s %7d ", "shop.example", 3),
            String.format("  %-32s %7d ", "shop.example:443", 1));
    Cli json = Cli.run("reports", "summarize", "--json", file.toString());
    assertThat(json.out()).contains("\"apps\" : [ {", "\"bundleId\" : \"com.example.shop\"",
        "\"platform\" : \"IOS\"", "\"version\" : \"4.2\"");
  }

  @Test
  void theWatchersAlertsInTheSameFileAreCountedByKindNotSkipped() throws Exception {
    Path file = collectorFile("both.jsonl", "shop.example", ("{\"kind\":\"ct-unpinned-issuance\","
        + "\"log\":\"https://ct.example/\",\"index\":7}\n{\"kind\":\"log-misbehaviour\","
        + "\"log\":\"https://ct.example/\"}\n").getBytes(StandardCharsets.UTF_8));

    Cli cli = Cli.run("reports", "summarize", file.toString());
    assertThat(cli.exit()).as(cli.toString()).isZero();
    assertThat(cli.out()).startsWith("1 report:").contains("CT watch alerts (hpkp watch):"
        + " {ct-unpinned-issuance=1, log-misbehaviour=1}").doesNotContain("unreadable");

    Path alertsOnly = Files.writeString(dir.resolve("alerts.jsonl"),
        "{\"kind\":\"ct-unpinned-issuance\",\"index\":1}\n");
    Cli json = Cli.run("reports", "summarize", "--json", alertsOnly.toString());
    assertThat(json.exit()).as(json.toString()).isZero();
    assertThat(json.out()).contains("\"ct-unpinned-issuance\" : 1");
  }

  @Test
  void aTornUtf8CharacterSkipsItsLineNotTheFile() throws Exception {
    byte[] torn = {'{', '"', 'h', 'o', 's', 't', (byte) 0xc3, '\n'};
    Path file = collectorFile("torn.jsonl", "shop.example", torn);
    Files.write(file, Files.readAllBytes(collectorFile("more.jsonl", "api.example", new byte[0])),
        StandardOpenOption.APPEND);

    Cli cli = Cli.run("reports", "summarize", file.toString());

    assertThat(cli.exit()).as(cli.toString()).isZero();
    assertThat(cli.out()).startsWith("2 reports, 1 unreadable lines skipped:")
        .contains("shop.example:443", "api.example:443");
  }

  @Test
  void readsStandardInput() throws Exception {
    Path file = collectorFile("stdin.jsonl", "shop.example", new byte[0]);
    java.io.InputStream original = System.in;
    try {
      System.setIn(Files.newInputStream(file));
      Cli cli = Cli.run("reports", "summarize", "-");
      assertThat(cli.exit()).as(cli.toString()).isZero();
      assertThat(cli.out()).startsWith("1 report: ").contains("shop.example:443");
    } finally {
      System.setIn(original);
    }
  }

  @Test
  void aFileWithoutReportsOrADirectoryIsOneLineAndExitTwo() throws Exception {
    Path pem = Files.writeString(dir.resolve("cert.pem"), TestPki.pem(TestPki.localhost().leaf()));
    Cli notReports = Cli.run("reports", "summarize", pem.toString());
    assertThat(notReports.exit()).isEqualTo(2);
    assertThat(notReports.err().strip()).matches("hpkp reports summarize: " + java.util.regex
        .Pattern.quote(pem.toString()) + " holds no collector report \\(\\d+ lines, none a"
        + " report\\); name the collector's JSON-lines file");

    Cli directory = Cli.run("reports", "summarize", dir.toString());
    assertThat(directory.exit()).isEqualTo(2);
    assertThat(directory.err().strip()).isEqualTo("hpkp reports summarize: " + dir + " is a"
        + " directory; name the collector's JSON-lines file (its 'file' init-param)");
  }

  @Test
  void attackerTextIsPrintedEscaped() throws Exception {
    Path file = collectorFile("escape.jsonl", "shop.example", new byte[0]);
    String line = Files.readString(file).replace("CN=HPKP Test Intermediate",
        "CN=evil\\u001b[2J\\r\\nFORGED");
    Files.writeString(file, line);

    Cli cli = Cli.run("reports", "summarize", file.toString());

    assertThat(cli.exit()).as(cli.toString()).isZero();
    assertThat(cli.out()).contains("CN=evil\\u001b[2J\\r\\nFORGED").doesNotContain("\u001b", "\r");
  }

  @Test
  void lintShowsAnInvisibleCarriageReturnAsEscaped() {
    Cli cli = Cli.run("lint", "max-age=1\rX");
    assertThat(cli.out()).contains("found '\\r'").doesNotContain("\r");
  }
}
