package dev.hpkp.benchmarks;

import dev.hpkp.testing.CollectorProcess;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
 * bodies, 100 deeply nested JSON bodies, 100 slow bodies, a one-address flood of 2,000 reports,
 * a cache flood of 300 distinct certificates with 8 KB subjects sent within the rate limit, 300
 * chains padded with unique text after the armour, certificates that are ASN.1 nesting bombs
 * (indefinite and definite), and subjects that forge log lines — all at once, while a legitimate
 * client from another loopback address keeps reporting. Bounded in count and time (at most
 * 120 s); loopback only. Prints PASS or FAIL last.
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
        List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
            "-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$s %3$s %5$s%6$s%n"),
        "20", "40", "log")) {
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
      TestPki pki = TestPki.localhost();
      attacks.add(pool.submit(() -> { // distinct certificates, paced under the 20/s limit
        for (int i = 0; i < 300; i++) {
          X509Certificate leaf = pki.leafWithCommonName("flood-" + i + "-" + "x".repeat(8_000));
          count(hostile, collector.post("127.0.0.6", report(pki, TestPki.pem(leaf))));
          Thread.sleep(55);
        }
        return null;
      }));
      attacks.add(pool.submit(() -> { // the old cache flood: unique text after the armour
        for (int i = 0; i < 300; i++) {
          String padded = TestPki.pem(pki.leaf()) + i + "-" + "y".repeat(59_000);
          count(hostile, collector.post("127.0.0.7", report(pki, padded)));
          Thread.sleep(55);
        }
        return null;
      }));
      attacks.add(pool.submit(() -> { // ASN.1 nesting bombs as certificates
        for (int i = 0; i < 100; i++) {
          count(hostile, collector.post("127.0.0.8", report(pki, pem(i % 2 == 0
              ? indefiniteBomb() : definiteBomb()))));
          Thread.sleep(55);
        }
        return null;
      }));
      attacks.add(pool.submit(() -> { // subjects that forge log lines
        for (int i = 0; i < 20; i++) {
          X509Certificate forged = pki.leafWithCommonName("evil\n2026-01-01 00:00:00 INFO"
              + " org.eclipse.jetty.server.Server FORGED admin logged in " + i + "\r\u001b[2J");
          count(hostile, collector.post("127.0.0.9", report(pki, TestPki.pem(forged))));
          Thread.sleep(55);
        }
        return null;
      }));
      // The legitimate client stays under its own address's limit (20/s): about 15 reports/s.
      Map<Integer, Integer> legitimateStatuses = new TreeMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long slowestMillis = 0;
      while (!attacks.stream().allMatch(Future::isDone) && System.nanoTime() < deadline) {
        legitimate++;
        long sent = System.nanoTime();
        int status = collector.post("127.0.0.2", valid);
        slowestMillis = Math.max(slowestMillis,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
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
      // Every line the collector printed starts a log record (one-line format, see below).
      List<String> strays = collector.output().stream()
          .filter(line -> !line.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [A-Z]+ .*"))
          .toList();
      long forgedLogged = collector.output().stream()
          .filter(line -> line.contains("FORGED admin logged in")).count();
      boolean pass = alive && no5xx && served == legitimate && maxHeap.get() < (128L << 20)
          && strays.isEmpty() && forgedLogged == 20 && slowestMillis < 2_000;
      System.out.println("attack statuses " + statuses + " in " + seconds + " s");
      System.out.println("legitimate client (127.0.0.2): " + served + " of " + legitimate
          + " stored, statuses " + legitimateStatuses);
      System.out.println("collector alive (no OutOfMemoryError): " + alive + "; max heap used "
          + (maxHeap.get() >> 20) + " MiB of 128 MiB");
      System.out.println("legitimate client: slowest answer " + slowestMillis + " ms");
      System.out.println("collector log: " + collector.output().size() + " lines, "
          + strays.size() + " not starting a log record" + (strays.isEmpty() ? ""
          : " (first: " + strays.get(0) + ")") + "; forged subjects logged escaped on their own"
          + " record: " + forgedLogged + " of 20");
      System.out.println((pass ? "PASS" : "FAIL") + ": no 5xx " + no5xx + ", legitimate served "
          + served + "/" + legitimate + " (slowest " + slowestMillis + " ms), max heap "
          + (maxHeap.get() >> 20) + " MiB, stray log lines " + strays.size());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A valid report whose served chain starts with {@code leafPem}, JSON-escaped. */
  private static byte[] report(TestPki pki, String leafPem) {
    return Reports.interception(pki, "shop.example").replaceFirst(
        "\"served-certificate-chain\": \\[\"[^\"]*\"",
        java.util.regex.Matcher.quoteReplacement("\"served-certificate-chain\": [\""
            + leafPem.replace("\\", "\\\\").replace("\n", "\\n") + "\""))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64,
        new byte[] {'\n'}).encodeToString(der) + "\n-----END CERTIFICATE-----\n";
  }

  /** 30 80 × 5000, 05 00, 00 00 × 5000: indefinite-length nesting. */
  private static byte[] indefiniteBomb() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 5000; i++) {
      out.write(0x30);
      out.write(0x80);
    }
    out.write(0x05);
    out.write(0x00);
    out.writeBytes(new byte[10_000]);
    return out.toByteArray();
  }

  /** SEQUENCE in SEQUENCE, 3000 deep, definite lengths. */
  private static byte[] definiteBomb() {
    byte[] inner = {0x05, 0x00};
    for (int i = 0; i < 3000; i++) {
      int length = inner.length;
      byte[] header = length < 0x80 ? new byte[] {0x30, (byte) length}
          : length < 0x100 ? new byte[] {0x30, (byte) 0x81, (byte) length}
          : new byte[] {0x30, (byte) 0x82, (byte) (length >> 8), (byte) length};
      byte[] outer = java.util.Arrays.copyOf(header, header.length + length);
      System.arraycopy(inner, 0, outer, header.length, length);
      inner = outer;
    }
    return inner;
  }

  private static Void count(Map<Integer, AtomicInteger> statuses, int status) {
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    return null;
  }
}
