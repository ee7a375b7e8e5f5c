package dev.hpkp.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's layers, read from the main sources of every module (so it lives here, in the
 * module that checks the whole build, not in one of the modules it reads): a package imports
 * only packages of its own or a lower layer (core ← keys ← filter/collector ← cli/example/
 * benchmarks), the filter and the collector never import each other, no two classes import
 * each other round a circle, and no class grows past ~350 lines without a reason in {@link
 * #LONGER}.
 */
class LayeringTest {

  /** Layer of each package; a package may import packages of a lower or equal layer. */
  private static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("dev.hpkp.text", 0),
      Map.entry("dev.hpkp.config", 0),
      Map.entry("dev.hpkp.files", 0),
      Map.entry("dev.hpkp.policy", 1),
      Map.entry("dev.hpkp.keys", 2),
      // public for the collector only; not API
      Map.entry("dev.hpkp.keys.internal", 2),
      Map.entry("dev.hpkp.keys.pkcs", 3),
      Map.entry("dev.hpkp.keys.backup", 3),
      Map.entry("dev.hpkp.servlet", 4),
      Map.entry("dev.hpkp.report", 4),
      Map.entry("dev.hpkp.client", 4),
      Map.entry("dev.hpkp.client.okhttp", 4),
      Map.entry("dev.hpkp.watch", 4),
      Map.entry("dev.hpkp.cli", 5),
      Map.entry("dev.hpkp.spring", 5),
      Map.entry("dev.hpkp.spring.boot3", 5),
      Map.entry("dev.hpkp.spring.boot4", 5),
      Map.entry("dev.hpkp.example", 5),
      // test support (generated PKI, TLS Jetty), used from main code only by the benchmarks
      Map.entry("dev.hpkp.testing", 5),
      Map.entry("dev.hpkp.benchmarks", 6));

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?(dev\\.hpkp\\.[\\w.]+)\\.[\\w*]+;");
  private static final Pattern CLASS_IMPORT = Pattern.compile(
      "(?m)^import (dev\\.hpkp\\.[\\w.]+);");
  private static final int MAX_LINES = 350;

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static List<Path> mainSources() throws IOException {
    assertThat(ROOT.resolve("hpkp-core/pom.xml")).as("run from a module of the project")
        .isRegularFile();
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.toList()) {
        Path main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          try (Stream<Path> files = Files.walk(main)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
          }
        }
      }
    }
    return sources;
  }

  /** The package an import names: the longest known package it starts with. */
  private static String packageOf(String imported) {
    String best = null;
    for (String known : LAYERS.keySet()) {
      if ((imported.equals(known) || imported.startsWith(known + "."))
          && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return best == null ? imported : best;
  }

  @Test
  void noPackageImportsAHigherLayerAndFilterAndCollectorStayApart() throws IOException {
    List<Path> sources = mainSources();
    assertThat(sources).hasSizeGreaterThan(40);
    List<String> violations = new ArrayList<>();
    for (Path source : sources) {
      String text = Files.readString(source);
      Matcher declared = PACKAGE.matcher(text);
      assertThat(declared.find()).as(source.toString()).isTrue();
      String own = declared.group(1);
      assertThat(LAYERS).as("layer of " + own + " (" + source + ")").containsKey(own);
      Matcher imports = IMPORT.matcher(text);
      while (imports.find()) {
        String target = packageOf(imports.group(1));
        Integer layer = LAYERS.get(target);
        if (layer == null) {
          violations.add(source + " imports " + imports.group(1) + ", a package of no layer");
        } else if (layer > LAYERS.get(own) || layer.equals(LAYERS.get(own))
            && !target.equals(own) && !target.startsWith(own + ".")
            && !own.startsWith(target + ".")) {
          violations.add(ROOT.relativize(source) + " (" + own + ", layer " + LAYERS.get(own)
              + ") imports " + target + " (layer " + layer + ")");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  /**
   * The files allowed past {@link #MAX_LINES}, each with its own budget and the reason; a file
   * that grows past its budget, or shrinks under the rule, fails until this list is updated.
   */
  private static final Map<String, Integer> LONGER = Map.of(
      // the public Builder: one documented setter per setting, each checked against its limit
      "hpkp-collector/src/main/java/dev/hpkp/report/ReportCollector.java", 460,
      // the public Builder, and the policy's derived values (renewal date, effective max-age)
      "hpkp-core/src/main/java/dev/hpkp/policy/PinPolicy.java", 365,
      // the public Builder (140 lines, one documented setting each); the work is in
      // HeaderJudge, PinNoter and ReportSender
      "hpkp-client/src/main/java/dev/hpkp/client/HpkpAgent.java", 400,
      // per-origin queues, their limits and the sending, which the class comment explains
      "hpkp-client/src/main/java/dev/hpkp/client/ReportSender.java", 355,
      // the public Builder (one documented setting each, 150 lines) beside the parallel round
      // it configures; a log's round is LogFollower, the verdicts, the logs' APIs, the
      // settings and the sinks are classes of their own
      "hpkp-watch/src/main/java/dev/hpkp/watch/CtWatcher.java", 400);

  @Test
  void noClassIsLongerThanAboutThreeHundredFiftyLinesWithoutAReason() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path source : mainSources()) {
      int lines = Files.readAllLines(source).size();
      String name = ROOT.relativize(source).toString();
      int budget = LONGER.getOrDefault(name, MAX_LINES);
      if (lines > budget) {
        tooLong.add(name + " has " + lines + " lines, over its budget of " + budget);
      } else if (LONGER.containsKey(name) && lines <= MAX_LINES) {
        tooLong.add(name + " has " + lines + " lines now: take it off the list of exceptions");
      }
    }
    assertThat(tooLong).isEmpty();
  }

  @Test
  void noClassesImportEachOtherRoundACircle() throws IOException {
    Map<String, List<String>> imports = new TreeMap<>();
    for (Path source : mainSources()) {
      String text = Files.readString(source);
      Matcher pkg = PACKAGE.matcher(text);
      if (!pkg.find()) {
        continue;
      }
      String name = source.getFileName().toString().replace(".java", "");
      List<String> imported = new ArrayList<>();
      Matcher each = CLASS_IMPORT.matcher(text);
      while (each.find()) {
        imported.add(each.group(1));
      }
      imports.put(pkg.group(1) + "." + name, imported);
    }
    List<String> circles = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
    for (String start : imports.keySet()) {
      circle(start, imports, state, new ArrayDeque<>(), circles);
    }
    assertThat(circles).as("imports round a circle").isEmpty();
  }

  /** Depth first from {@code at}; a class met again on the path closes a circle. */
  private static void circle(String at, Map<String, List<String>> imports,
      Map<String, Integer> state, Deque<String> path, List<String> circles) {
    Integer seen = state.get(at);
    if (seen != null) {
      if (seen == 1) {
        List<String> loop = new ArrayList<>(path);
        java.util.Collections.reverse(loop);
        circles.add(String.join(" -> ", loop.subList(loop.indexOf(at), loop.size())) + " -> "
            + at);
      }
      return;
    }
    state.put(at, 1);
    path.push(at);
    for (String imported : imports.getOrDefault(at, List.of())) {
      // a nested type (CtWatcher.Progress) is its top-level class
      String target = imported;
      while (!imports.containsKey(target) && target.contains(".")) {
        target = target.substring(0, target.lastIndexOf('.'));
      }
      if (imports.containsKey(target)) {
        circle(target, imports, state, path, circles);
      }
    }
    path.pop();
    state.put(at, 2);
  }

  @Test
  void noLineOfMainCodeIsOverOneHundredCharacters() throws IOException {
    List<String> tooWide = new ArrayList<>();
    for (Path source : mainSources()) {
      List<String> lines = Files.readAllLines(source);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.length() > 100 && !line.startsWith("import ")) {
          tooWide.add(ROOT.relativize(source) + ":" + (i + 1) + " has " + line.length()
              + " characters");
        }
      }
    }
    assertThat(tooWide).isEmpty();
  }

  /** The imports of {@code module}'s main code of the Servlet API or BouncyCastle. */
  private static List<String> servletOrBouncyCastleImports(String module) throws IOException {
    List<String> imports = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve(module + "/src/main/java"))) {
      for (Path source : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(source)) {
          if (line.startsWith("import jakarta.") || line.startsWith("import javax.servlet")
              || line.startsWith("import org.bouncycastle")) {
            imports.add(ROOT.relativize(source) + ": " + line);
          }
        }
      }
    }
    return imports;
  }

  @Test
  void theCtWatcherNeedsNeitherTheServletApiNorBouncyCastle() throws IOException {
    assertThat(servletOrBouncyCastleImports("hpkp-watch")).isEmpty();
    assertThat(Files.readString(ROOT.resolve("hpkp-watch/pom.xml")))
        .as("hpkp-watch's compile-scope dependencies")
        .doesNotContainPattern("<artifactId>(jakarta.servlet-api|bc[a-z]+-jdk18on|hpkp-keys-bouncycastle|"
            + "hpkp-filter|hpkp-collector)</artifactId>\\s*</dependency>");
  }

  @Test
  void theClientNeedsNeitherTheServletApiNorBouncyCastle() throws IOException {
    assertThat(servletOrBouncyCastleImports("hpkp-client")).isEmpty();
    assertThat(Files.readString(ROOT.resolve("hpkp-client/pom.xml")))
        .as("hpkp-client's compile-scope dependencies")
        .doesNotContainPattern("<artifactId>(jakarta.servlet-api|bc[a-z]+-jdk18on|hpkp-keys-bouncycastle|"
            + "hpkp-filter|hpkp-collector)</artifactId>\\s*</dependency>");
  }
}
