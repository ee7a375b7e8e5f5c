package dev.hpkp.spring;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Which Spring Boot generation each starter on the class path serves, from the {@value #MARKER}
 * file it carries, and the one sentence said when the application runs on another: the shared
 * auto-configuration only uses types Boot 3.5 and 4 both have, but the starters' own classes
 * (the health indicator) do not.
 */
final class BootGeneration {

  /** In each starter's jar: {@code artifact}, {@code from} and {@code below} (Boot versions). */
  static final String MARKER = "META-INF/hpkp-spring-boot-starter.properties";

  /**
   * A starter and the Boot versions it serves, {@code from} included, {@code below} excluded.
   *
   * @param artifact the starter's artifactId
   * @param from the first Boot version served, e.g. {@code 4.0}
   * @param below the first Boot version no longer served, e.g. {@code 5.0}
   */
  record Starter(String artifact, String from, String below) {
    boolean serves(int[] version) {
      return compare(version, parse(from)) >= 0 && compare(version, parse(below)) < 0;
    }
  }

  private BootGeneration() {}

  /** The starters whose marker files {@code loader} sees. */
  static List<Starter> starters(ClassLoader loader) {
    List<Starter> starters = new ArrayList<>();
    try {
      for (URL url : Collections.list(loader.getResources(MARKER))) {
        Properties marker = new Properties();
        try (InputStream in = url.openStream()) {
          marker.load(in);
        }
        starters.add(new Starter(marker.getProperty("artifact"), marker.getProperty("from"),
            marker.getProperty("below")));
      }
    } catch (IOException e) {
      throw new IllegalStateException(MARKER + " cannot be read: " + e.getMessage(), e);
    }
    return starters;
  }

  /**
   * Null when one of {@code starters} serves Boot {@code bootVersion} (or none is present, or
   * the version is unknown); otherwise the refusal, naming both and the artifact to use.
   */
  static HpkpStartupException check(String bootVersion, List<Starter> starters) {
    if (bootVersion == null || starters.isEmpty()) {
      return null;
    }
    int[] version = parse(bootVersion);
    if (version.length == 0 || starters.stream().anyMatch(s -> s.serves(version))) {
      return null;
    }
    Starter starter = starters.get(0);
    String use = version[0] >= 4 ? "dev.hpkp:hpkp-spring-boot-starter (Spring Boot 4.x)"
        : version[0] == 3 && version.length > 1 && version[1] >= 5
            ? "dev.hpkp:hpkp-spring-boot3-starter (Spring Boot 3.5)"
            : null;
    return new HpkpStartupException("Spring Boot " + bootVersion + " is on the class path, but"
        + " dev.hpkp:" + starter.artifact() + " supports Spring Boot " + starter.from()
        + " up to (not including) " + starter.below(),
        use != null ? "Replace dev.hpkp:" + starter.artifact() + " with " + use
            : "Upgrade to Spring Boot 3.5 (then use dev.hpkp:hpkp-spring-boot3-starter) or"
                + " Spring Boot 4 (dev.hpkp:hpkp-spring-boot-starter)", null);
  }

  /** {@code 4.0.7} or {@code 3.5.7-SNAPSHOT} as {4, 0, 7}; empty when it starts with no digit. */
  static int[] parse(String version) {
    String[] parts = version.split("[.-]");
    List<Integer> numbers = new ArrayList<>();
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 6
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        break;
      }
      numbers.add(Integer.parseInt(part));
    }
    return numbers.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] : 0;
      int y = i < b.length ? b[i] : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }
}
