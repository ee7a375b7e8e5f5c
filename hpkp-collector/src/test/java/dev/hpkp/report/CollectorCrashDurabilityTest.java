package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.CollectorProcess;
import dev.hpkp.testing.CrashDrill;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a load run: every report that got a 204 is in the file after a
 * restart, exactly once; a torn last line is tolerated and skipped on read. CI size: 16 clients,
 * killed after 400 acknowledgements (benchmarks/run-crash.sh runs 64 clients and 5,000).
 */
class CollectorCrashDurabilityTest {

  @TempDir Path dir;

  @Test
  void everyAcknowledgedReportSurvivesKillNineExactlyOnce() throws Exception {
    Path file = dir.resolve("reports.jsonl");
    Set<String> acknowledged = CrashDrill.loadThenKill(file, List.of("-Xmx128m"), 16, 400,
        Duration.ofSeconds(20));
    assertThat(acknowledged.size()).isGreaterThanOrEqualTo(400);

    // Restart on the same file: a torn line is closed, and new reports append whole.
    try (CollectorProcess restarted = CollectorProcess.start(file, List.of("-Xmx128m"), "0")) {
      assertThat(restarted.post("127.0.0.2", Reports.interception(TestPki.localhost(),
          "after-restart.example").getBytes(StandardCharsets.UTF_8))).isEqualTo(204);
      TestPki pki = TestPki.localhost();
      assertThat(restarted.post("127.0.0.2", dev.hpkp.testing.TrustKitReports.ios(
          "app-after-restart.example", 0, pki.chain(), List.of(pki.backupPin(),
          pki.secondBackupPin()), "2027-01-15").getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(204);
    }

    CrashDrill.Stored stored = CrashDrill.read(file);
    assertThat(stored.torn()).isLessThanOrEqualTo(1);
    assertThat(stored.lines()).containsKey("after-restart.example")
        .containsKey("app-after-restart.example");
    for (String host : acknowledged) {
      assertThat(stored.lines().get(host)).as(host).isEqualTo(1);
    }
    assertThat(stored.lines().values()).allMatch(count -> count == 1);
  }
}
