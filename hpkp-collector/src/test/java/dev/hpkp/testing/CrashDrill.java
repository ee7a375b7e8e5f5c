package dev.hpkp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * kill -9 of a collector JVM in the middle of a load run, shared by the CI-size test and the
 * full-size benchmark: clients report distinct host names from 127.0.0.2 and remember which got
 * a 204; the process is killed once enough did.
 */
public final class CrashDrill {

  private static final Pattern HOST = Pattern.compile("\"hostname\":\"([^\"]+)\"");

  private CrashDrill() {}

  /** What was acknowledged before the kill. */
  public static Set<String> loadThenKill(Path file, List<String> jvmOptions, int clients,
      int killAfter, Duration timeout) throws Exception {
    TestPki pki = TestPki.localhost();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    CollectorProcess collector = CollectorProcess.start(file, jvmOptions, "0");
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 1_000_000; i++) {
          String host = "c" + client + "-" + i + ".example";
          try {
            if (collector.post("127.0.0.2", Reports.interception(pki, host)
                .getBytes(StandardCharsets.UTF_8)) == 204) {
              acknowledged.add(host);
            }
          } catch (IOException killed) {
            return null; // the collector is gone
          }
        }
        return null;
      }));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (acknowledged.size() < killAfter && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    collector.kill(); // SIGKILL while requests are in flight
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    return Set.copyOf(acknowledged);
  }

  /** Lines per host name in the file, and how many lines were torn (not a whole report). */
  public record Stored(Map<String, Integer> lines, int torn) {}

  public static Stored read(Path file) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    int torn = 0;
    for (String line : Files.readAllLines(file)) {
      Matcher host = HOST.matcher(line);
      if (!line.endsWith("}") || !host.find()) {
        torn++;
        continue;
      }
      lines.merge(host.group(1), 1, Integer::sum);
    }
    return new Stored(lines, torn);
  }
}
