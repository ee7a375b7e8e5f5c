package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.CollectorProcess;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a load run: every report that got a 204 is in the file after a
 * restart, exactly once; a torn last line is tolerated and skipped on read.
 */
class CollectorCrashDurabilityTest {

  private static final Pattern HOST = Pattern.compile("\"hostname\":\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void everyAcknowledgedReportSurvivesKillNineExactlyOnce() throws Exception {
    TestPki pki = TestPki.localhost();
    Path file = dir.resolve("reports.jsonl");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    CollectorProcess collector = CollectorProcess.start(file, List.of("-Xmx128m"), "0");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < 16; c++) {
      int client = c;
      clients.add(pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          String host = "c" + client + "-" + i + ".example";
          try {
            if (collector.post("127.0.0.2", Reports.interception(pki, host)
                .getBytes(StandardCharsets.UTF_8)) == 204) {
              acknowledged.add(host);
            }
          } catch (java.io.IOException killed) {
            return null; // the collector is gone
          }
        }
        return null;
      }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (acknowledged.size() < 400 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    collector.kill(); // SIGKILL while requests are in flight
    for (Future<?> client : clients) {
      client.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(acknowledged.size()).isGreaterThanOrEqualTo(400);

    // Restart on the same file: a torn line is closed, and new reports append whole.
    try (CollectorProcess restarted = CollectorProcess.start(file, List.of("-Xmx128m"), "0")) {
      assertThat(restarted.post("127.0.0.2", Reports.interception(pki, "after-restart.example")
          .getBytes(StandardCharsets.UTF_8))).isEqualTo(204);
    }

    Map<String, Integer> stored = new HashMap<>();
    int torn = 0;
    for (String line : Files.readAllLines(file)) {
      Matcher host = HOST.matcher(line);
      if (!line.endsWith("}") || !host.find()) {
        torn++; // at most the line being written when the process died
        continue;
      }
      stored.merge(host.group(1), 1, Integer::sum);
    }
    assertThat(torn).isLessThanOrEqualTo(1);
    assertThat(stored).containsKey("after-restart.example");
    for (String host : acknowledged) {
      assertThat(stored.get(host)).as(host).isEqualTo(1);
    }
    assertThat(stored.values()).allMatch(count -> count == 1);
  }
}
