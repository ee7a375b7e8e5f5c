package dev.hpkp.benchmarks;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes valid RFC 7469 reports (generated three-certificate chains): {@code FILE} writes one;
 * {@code DIR COUNT} writes r1.json … rCOUNT.json, each about a different chain.
 */
public final class WriteSampleReport {

  private WriteSampleReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1) {
      Files.writeString(Path.of(args[0]), Reports.interception(TestPki.localhost(),
          "shop.example"));
      return;
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    int count = Integer.parseInt(args[1]);
    for (int i = 1; i <= count; i++) {
      Files.writeString(dir.resolve("r" + i + ".json"),
          Reports.interception(TestPki.localhost(), "h" + i + ".example"));
    }
  }
}
