package dev.hpkp.benchmarks;

import dev.hpkp.testing.CollectorProcess;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector under attack at full size, in a JVM with a 128 MiB heap: 200 concurrent 10 MiB
 * bodies, 100 deeply nested bodies, 100 slow bodies and a one-address flood of 2,000 reports, all
 * at once, while a legitimate client from another loopback address keeps reporting. Bounded in
 * count and time (at most 120 s); loopback only. Prints PASS or FAIL last.
 */
public final class CollectorAttack {

  private CollectorAttack() {}

  public static void main(String[] args) throws Exception {
    byte[] valid = Reports.interception(TestPki.localhost(), "shop.example")
        .getBytes(StandardCharsets.UTF_8);
    byte[] huge = new byte[10 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    byte[] deep = ("{\"x\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}")
        .getBytes(StandardCharsets.US_ASCII);
    Path file = Files.createTempFile("hpkp-attack", ".jsonl");
    Map<Integer, AtomicInteger> hostile = new ConcurrentHashMap<>();
    AtomicLong maxHeap = new AtomicLong();
    int legitimate = 0;
    int served = 0;
    long start = System.nanoTime();
    try (CollectorProcess collector = CollectorProcess.start(file,
        List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"), "20", "40")) {
      ExecutorService pool = Executors.newFixedThreadPool(404);
      List<Future<?>> attacks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        attacks.add(pool.submit(() -> count(hostile, collector.post("127.0.0.3", huge))));
      }
      for (int i = 0; i < 100; i++) {
        attacks.add(pool.submit(() -> count(hostile, collector.post("127.0.0.4", deep))));
      }
      for (int i = 0; i < 100; i++) {
        attacks.add(pool.submit(() -> count(hostile,
            collector.postSlowly("127.0.0.5", 1000, 30, 200))));
      }
      for (int t = 0; t < 4; t++) {
        attacks.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            count(hostile, collector.post("127.0.0.1", valid));
          }
          return null;
        }));
      }
      // The legitimate client stays under its own address's limit (20/s): about 15 reports/s.
      Map<Integer, Integer> legitimateStatuses = new TreeMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!attacks.stream().allMatch(Future::isDone) && System.nanoTime() < deadline) {
        legitimate++;
        int status = collector.post("127.0.0.2", valid);
        legitimateStatuses.merge(status, 1, Integer::sum);
        if (status == 204) {
          served++;
        }
        maxHeap.accumulateAndGet(collector.heap()[0], Math::max);
        Thread.sleep(65);
      }
      pool.shutdownNow();
      boolean alive = collector.isAlive();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      Map<Integer, Integer> statuses = new TreeMap<>();
      hostile.forEach((status, n) -> statuses.put(status, n.get()));
      boolean no5xx = statuses.keySet().stream().noneMatch(s -> s >= 500);
      boolean pass = alive && no5xx && served == legitimate && maxHeap.get() < (128L << 20);
      System.out.println("attack statuses " + statuses + " in " + seconds + " s");
      System.out.println("legitimate client (127.0.0.2): " + served + " of " + legitimate
          + " stored, statuses " + legitimateStatuses);
      System.out.println("collector alive (no OutOfMemoryError): " + alive + "; max heap used "
          + (maxHeap.get() >> 20) + " MiB of 128 MiB");
      System.out.println((pass ? "PASS" : "FAIL") + ": no 5xx " + no5xx + ", legitimate served "
          + served + "/" + legitimate + ", max heap " + (maxHeap.get() >> 20) + " MiB");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Void count(Map<Integer, AtomicInteger> statuses, int status) {
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    return null;
  }
}
