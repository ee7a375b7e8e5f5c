package dev.hpkp.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published jars as an application on the module path sees them: each has its stable
 * module name, no two share a package, and a module that requires {@code dev.hpkp.filter} and
 * {@code dev.hpkp.client} compiles against them and runs.
 */
class ModulePathIT {

  private static final Map<String, String> MODULE_OF_ARTIFACT = Map.of(
      "hpkp-core", "dev.hpkp.core",
      "hpkp-keys-bouncycastle", "dev.hpkp.keys.bouncycastle",
      "hpkp-filter", "dev.hpkp.filter",
      "hpkp-collector", "dev.hpkp.collector",
      "hpkp-client", "dev.hpkp.client",
      "hpkp-watch", "dev.hpkp.watch");

  private static List<Path> jars;
  private static Path work;

  @BeforeAll
  static void jarsOfTheClassPath() throws IOException {
    jars = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(Path::of)
        .filter(path -> isHpkpJar(path) || name(path).startsWith("jakarta.servlet-api")
            || name(path).startsWith("jackson-core") || name(path).startsWith("bc"))
        .collect(Collectors.toList());
    work = Path.of(System.getProperty("work.dir"));
    Files.createDirectories(work);
  }

  @Test
  void everyPublishedJarHasItsStableModuleName() {
    Set<String> found = new java.util.TreeSet<>();
    for (Path jar : jars) {
      if (!isHpkpJar(jar)) {
        continue;
      }
      assertThat(jar.toString()).as("a packaged jar, with its manifest").endsWith(".jar");
      ModuleReference module = ModuleFinder.of(jar).findAll().iterator().next();
      String artifact = name(jar).replaceFirst("-\\d.*$", "");
      assertThat(module.descriptor().name()).as(jar.toString())
          .isEqualTo(MODULE_OF_ARTIFACT.get(artifact));
      assertThat(module.descriptor().isAutomatic()).isTrue();
      found.add(module.descriptor().name());
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(MODULE_OF_ARTIFACT.values());
  }

  @Test
  void thePublishedJarsLoadAsOneLayerWithoutSplitPackages() {
    ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
    Configuration configuration = ModuleLayer.boot().configuration()
        .resolve(finder, ModuleFinder.of(), MODULE_OF_ARTIFACT.values());
    ModuleLayer layer = ModuleLayer.boot()
        .defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
    assertThat(layer.findModule("dev.hpkp.filter")).isPresent();
    assertThat(layer.findModule("dev.hpkp.watch").orElseThrow().getPackages())
        .contains("dev.hpkp.watch");
  }

  @Test
  void anApplicationModuleUsesTheFilterAndTheClient() throws Exception {
    String modulePath = jars.stream().map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
    Path sources = Path.of(System.getProperty("app.sources"));
    Path classes = work.resolve("classes");
    List<String> javac = new ArrayList<>(List.of("--module-path", modulePath, "-d",
        classes.toString(), "-Xlint:all,-requires-automatic", "-Werror"));
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> javac.add(p.toString()));
    }
    java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics,
        javac.toArray(String[]::new));
    assertThat(compiled).as("javac " + javac + "\n" + diagnostics).isZero();

    Path keystore = work.resolve("site.p12");
    Files.deleteIfExists(keystore);
    run(List.of(tool("keytool"), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
        "-alias", "site", "-dname", "CN=site.example", "-validity", "30",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"));

    List<String> out = run(List.of(tool("java"),
        "--module-path", classes + java.io.File.pathSeparator + modulePath,
        "-m", "app/app.Main", keystore.toString(), "changeit"));
    assertThat(out).anySatisfy(line -> assertThat(line)
        .startsWith("policy Public-Key-Pins: pin-sha256=\"").endsWith("max-age=600"));
    assertThat(out).anySatisfy(line -> assertThat(line)
        .startsWith("filter set {Public-Key-Pins=pin-sha256="));
    assertThat(out).contains("client accepted site.example", "client refused other.example",
        "client wraps true", "module Main app", "module PinPolicy dev.hpkp.core",
        "module HpkpFilter dev.hpkp.filter", "module HpkpAgent dev.hpkp.client",
        "module HttpServletResponse jakarta.servlet");
  }

  private static List<String> run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(command + "\n" + output).isZero();
    return output.lines().collect(Collectors.toList());
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static boolean isHpkpJar(Path path) {
    return name(path).startsWith("hpkp-") && !name(path).contains("-tests")
        && !name(path).startsWith("hpkp-module-path-test");
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }
}
