package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

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

/** A restarted collector shows the reports its JSON-lines file already holds (#14 item 14). */
class JsonLinesTailTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final ReportParser PARSER = new ReportParser(65_536, 10);

  @TempDir Path dir;

  private static ReceivedReport report(int i) throws Exception {
    return ReceivedReport.of(Instant.parse("2026-11-23T00:00:00Z").plusSeconds(i),
        "192.0.2." + i, PARSER.parse(Reports.interception(PKI, "h" + i + ".example")
            .getBytes(StandardCharsets.UTF_8)));
  }

  private Path fileWith(int reports) throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1 << 30, 1)) {
      for (int i = 0; i < reports; i++) {
        sink.accept(report(i));
      }
    }
    return file;
  }

  private static List<String> hosts(JsonLinesTail.Result result) {
    return result.reports().stream().map(r -> r.report().hostname()).toList();
  }

  @Test
  void readsTheNewestLinesOldestFirstWithTheirDerivedFields() throws Exception {
    Path file = fileWith(25);

    JsonLinesTail.Result result = JsonLinesTail.read(file, 20, PARSER);

    assertThat(result.skipped()).isZero();
    assertThat(hosts(result)).hasSize(20).startsWith("h5.example").endsWith("h24.example");
    ReceivedReport last = result.reports().get(19);
    ReceivedReport original = report(24);
    assertThat(last.receivedAt()).isEqualTo(original.receivedAt());
    assertThat(last.remoteAddress()).isEqualTo("192.0.2.24");
    assertThat(last.verdict()).isEqualTo(ReceivedReport.Verdict.NO_PINNED_KEY_SERVED);
    assertThat(last.servedPins()).isEqualTo(original.servedPins());
    assertThat(last.report().knownPins()).isEqualTo(original.report().knownPins());
  }

  @Test
  void leavesOutATornLastLineAndCountsLinesThatDoNotParse() throws Exception {
    Path file = fileWith(3);
    List<String> lines = Files.readAllLines(file);
    Files.write(file, List.of(lines.get(0), "{\"hostname\":\"edited by hand\"}", lines.get(1),
        "not json", lines.get(2)));
    Files.writeString(file, lines.get(0).substring(0, 100), StandardOpenOption.APPEND);

    JsonLinesTail.Result result = JsonLinesTail.read(file, 20, PARSER);

    assertThat(hosts(result)).containsExactly("h0.example", "h1.example", "h2.example");
    assertThat(result.skipped()).isEqualTo(2);
  }

  @Test
  void aWindowThatBeginsInsideALineSkipsOnlyThatFragment() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    Files.writeString(file, "x".repeat(JsonLinesTail.MAX_TAIL_BYTES + 10) + "\n");
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, 1L << 30, 1)) {
      sink.accept(report(1));
      sink.accept(report(2));
    }

    JsonLinesTail.Result result = JsonLinesTail.read(file, 20, PARSER);

    assertThat(hosts(result)).containsExactly("h1.example", "h2.example");
    assertThat(result.skipped()).isZero();
  }

  @Test
  void completesFromTheRotatedFileAndAnAbsentFileHasNone() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    int line = ReportLines.of(report(0)).length;
    try (JsonLinesReportSink sink = new JsonLinesReportSink(file, line * 3L, 2)) {
      for (int i = 0; i < 5; i++) {
        sink.accept(report(i));
      }
    }
    assertThat(Files.readAllLines(file)).hasSize(2);

    assertThat(hosts(JsonLinesTail.newest(file, 4, PARSER)))
        .containsExactly("h1.example", "h2.example", "h3.example", "h4.example");
    assertThat(JsonLinesTail.newest(dir.resolve("none.jsonl"), 4, PARSER).reports()).isEmpty();
  }
}
