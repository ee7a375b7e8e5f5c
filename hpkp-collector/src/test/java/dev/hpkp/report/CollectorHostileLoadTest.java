package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.CollectorProcess;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector under attack, in its own JVM limited to a 128 MiB heap, at a size that fits CI
 * (the benchmarks module runs the full-size version): 10 MiB bodies, deep nesting, slow bodies
 * and a one-address flood, all at once, while a legitimate client from another loopback address
 * keeps reporting. Each kind of attack comes from its own loopback address (127.0.0.1, .3, .4,
 * .5), the legitimate client from 127.0.0.2. Bounded in count and time; loopback only.
 */
class CollectorHostileLoadTest {

  @TempDir Path dir;

  @Test
  void hostileClientsGetOnly4xxAndLegitimateClientsAreStillServed() throws Exception {
    TestPki pki = TestPki.localhost();
    byte[] valid = Reports.interception(pki, "shop.example").getBytes(StandardCharsets.UTF_8);
    // mobile apps' reports (TrustKit for iOS and Android) among the legitimate ones
    byte[][] legitimateBodies = {valid, dev.hpkp.testing.TrustKitReports.ios("shop.example", 0,
        pki.chain(), List.of(pki.backupPin(), pki.secondBackupPin()), null)
        .getBytes(StandardCharsets.UTF_8), dev.hpkp.testing.TrustKitReports.android(
        "shop.example", pki.chain(), pki.chain(), List.of(pki.backupPin(),
        pki.secondBackupPin())).getBytes(StandardCharsets.UTF_8)};
    byte[] huge = new byte[10 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    byte[] deep = ("{\"x\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}")
        .getBytes(StandardCharsets.US_ASCII);
    Path file = dir.resolve("reports.jsonl");

    try (CollectorProcess collector = CollectorProcess.start(file,
        List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"), "20", "40")) {
      Map<Integer, AtomicInteger> hostile = new ConcurrentHashMap<>();
      AtomicLong maxHeap = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(48);
      List<Future<?>> attacks = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) { // 10 MiB bodies, 20 at once
        attacks.add(pool.submit(() -> count(hostile, collector.post("127.0.0.3", huge))));
      }
      for (int i = 0; i < 10; i++) { // 100 KB of nesting: over the body cap, 413 before parsing
        attacks.add(pool.submit(() -> count(hostile, collector.post("127.0.0.4", deep))));
      }
      for (int i = 0; i < 10; i++) { // slow bodies: one byte every 200 ms
        attacks.add(pool.submit(() -> count(hostile,
            collector.postSlowly("127.0.0.5", 1000, 15, 200))));
      }
      for (int t = 0; t < 4; t++) { // flood from one address
        attacks.add(pool.submit(() -> {
          for (int i = 0; i < 100; i++) {
            count(hostile, collector.post("127.0.0.1", valid));
          }
          return null;
        }));
      }
      int legitimate = 0;
      int legitimateStored = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!attacks.stream().allMatch(Future::isDone) && System.nanoTime() < deadline) {
        int status = collector.post("127.0.0.2", legitimateBodies[legitimate % 3]);
        legitimate++;
        if (status == 204) {
          legitimateStored++;
        }
        maxHeap.accumulateAndGet(collector.heap()[0], Math::max);
        Thread.sleep(50);
      }
      for (Future<?> attack : attacks) {
        attack.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(collector.isAlive()).as("no OutOfMemoryError").isTrue();
      long[] heap = collector.heap();
      assertThat(hostile.keySet()).as("statuses answered to attackers: " + hostile)
          .allMatch(status -> status == -1 || status >= 400 && status < 500 || status == 204);
      assertThat(hostile.getOrDefault(413, new AtomicInteger()).get()).as(hostile.toString())
          .isEqualTo(30);
      assertThat(hostile.getOrDefault(408, new AtomicInteger()).get())
          .as("slow bodies, cut off at the body deadline").isEqualTo(10);
      assertThat(hostile.getOrDefault(429, new AtomicInteger()).get()).isGreaterThan(300);
      assertThat(legitimate).isGreaterThan(0);
      assertThat(legitimateStored).as("legitimate reports from 127.0.0.2 stored")
          .isEqualTo(legitimate);
      // The peak used heap seen while under attack, with headroom left below -Xmx128m (a heap
      // at the limit would have ended in OutOfMemoryError and a dead collector instead).
      assertThat(maxHeap.get()).as("peak used heap").isPositive().isLessThan(96L << 20);
      long lines = Files.readAllLines(file).size();
      assertThat(lines).isEqualTo(heap[2]);
    }
  }

  private static Void count(Map<Integer, AtomicInteger> statuses, int status) {
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    return null;
  }
}
