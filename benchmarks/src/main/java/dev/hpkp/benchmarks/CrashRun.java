package dev.hpkp.benchmarks;

import dev.hpkp.testing.CrashDrill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * kill -9 of the collector's JVM in the middle of a 64-client load run; then every report that
 * got a 204 must be in the file exactly once. Prints PASS or FAIL last.
 */
public final class CrashRun {

  private CrashRun() {}

  public static void main(String[] args) throws Exception {
    int killAfter = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    Path file = Files.createTempFile("hpkp-crash", ".jsonl");
    try {
      Set<String> acknowledged = CrashDrill.loadThenKill(file, List.of("-Xmx256m"), 64,
          killAfter, Duration.ofSeconds(120));
      CrashDrill.Stored stored = CrashDrill.read(file);
      long missing = acknowledged.stream().filter(h -> !stored.lines().containsKey(h)).count();
      long duplicated = stored.lines().values().stream().filter(n -> n > 1).count();
      boolean pass = missing == 0 && duplicated == 0 && stored.torn() <= 1;
      System.out.println("acknowledged " + acknowledged.size() + ", lines stored "
          + stored.lines().size() + " (+" + stored.torn() + " torn), acknowledged but missing "
          + missing + ", duplicated " + duplicated);
      System.out.println((pass ? "PASS" : "FAIL") + ": every acknowledged report on disk exactly"
          + " once after kill -9 (" + acknowledged.size() + " acknowledged, " + missing
          + " missing, " + duplicated + " duplicated)");
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
