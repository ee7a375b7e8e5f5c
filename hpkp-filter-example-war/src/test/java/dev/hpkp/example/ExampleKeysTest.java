package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.report.ReportParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleKeysTest {

  @TempDir Path dir;

  @Test
  void theSampleReportIsForTheHostAndPortTheExampleServesAndDatedNow() throws Exception {
    ExampleKeys.prepare(dir);
    ExampleKeys.writeSampleReport(dir, "localhost", 9443);

    String report = Files.readString(dir.resolve("sample-report.json"));
    assertThat(report).contains("\"hostname\": \"localhost\"", "\"port\": 9443",
        "\"noted-hostname\": \"localhost\"").doesNotContain("2014", "example.com");
    String dateTime = report.replaceAll("(?s).*\"date-time\": \"([^\"]+)\".*", "$1");
    assertThat(Duration.between(Instant.parse(dateTime), Instant.now()))
        .isLessThan(Duration.ofMinutes(1));
    // and the collector takes it
    assertThat(new ReportParser(64 * 1024, 10).parse(report.getBytes(StandardCharsets.UTF_8)))
        .isNotNull();
  }
}
