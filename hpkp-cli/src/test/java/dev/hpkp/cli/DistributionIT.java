package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as people install it: the archive built by 'package' unpacked, {@code bin/hpkp} run
 * with nothing but a JRE (JAVA_HOME), and the completion script loaded in bash.
 */
class DistributionIT {

  @TempDir Path dir;

  private static Path zip() {
    Path zip = Path.of(System.getProperty("hpkp.dist", "target/hpkp-0.1.0-SNAPSHOT.zip"));
    assertThat(zip).as("built by 'mvn package'").isRegularFile();
    return zip;
  }

  private record Run(int exit, String out) {}

  private Run run(Path home, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().put("HPKP_HOME", home.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out);
  }

  /** The tar.gz unpacked with tar, which keeps bin/hpkp executable. */
  private Path unpacked() throws Exception {
    Path tarball = Path.of(zip().toString().replace(".zip", ".tar.gz"));
    assertThat(run(dir, "tar", "xzf", tarball.toString(), "-C", dir.toString()).exit())
        .isZero();
    return dir.resolve("hpkp-" + System.getProperty("hpkp.version", "0.1.0-SNAPSHOT"));
  }

  @Test
  void theZipHoldsTheLaunchersTheLibrariesAndTheCompletion() throws Exception {
    List<String> entries = new ArrayList<>();
    try (ZipFile zip = new ZipFile(zip().toFile())) {
      zip.stream().forEach(entry -> entries.add(entry.getName()));
    }
    String base = "hpkp-" + System.getProperty("hpkp.version", "0.1.0-SNAPSHOT") + "/";
    assertThat(entries).contains(base + "bin/hpkp", base + "bin/hpkp.bat",
        base + "completion/hpkp", base + "README.txt")
        .anyMatch(e -> e.startsWith(base + "lib/hpkp-cli-"))
        .anyMatch(e -> e.startsWith(base + "lib/picocli-"))
        .anyMatch(e -> e.startsWith(base + "lib/bcpkix-"));
  }

  @Test
  void binHpkpRunsOnAJreAndPrintsTheVersionAndCommit() throws Exception {
    Path home = unpacked();

    Run version = run(home, home.resolve("bin/hpkp").toString(), "--version");

    assertThat(version.exit()).as(version.out()).isZero();
    assertThat(version.out().strip()).matches("hpkp "
        + java.util.regex.Pattern.quote(System.getProperty("hpkp.version", "0.1.0-SNAPSHOT"))
        + " \\(commit ([0-9a-f]{12}|unknown)\\)");
  }

  @Test
  void binHpkpPinsACertificateAsTheJarDoes() throws Exception {
    Path home = unpacked();
    TestPki pki = TestPki.localhost();
    Path cert = Files.writeString(dir.resolve("leaf.pem"), TestPki.pem(pki.leaf()));

    Run pin = run(home, home.resolve("bin/hpkp").toString(), "pin", cert.toString());

    assertThat(pin.exit()).as(pin.out()).isZero();
    assertThat(pin.out().strip()).isEqualTo(pki.leafPin().base64());
  }

  @Test
  void everyCommandHasAManPageThatManRenders() throws Exception {
    Path home = unpacked();
    Path man1 = home.resolve("man/man1");
    for (String page : List.of("hpkp", "hpkp-pin", "hpkp-backup-key", "hpkp-header", "hpkp-lint",
        "hpkp-check", "hpkp-plan", "hpkp-reports-summarize", "hpkp-fetch", "hpkp-watch")) {
      Path file = man1.resolve(page + ".1");
      assertThat(file).as(page).isRegularFile();
      String title = page.toUpperCase(java.util.Locale.ROOT).replace("-", "\\-");
      assertThat(Files.readString(file)).contains(".TH \"" + title + "\" \"1\"");
    }
    if (Files.isExecutable(Path.of("/usr/bin/man"))) {
      Run man = run(home, "/usr/bin/man", "-l", man1.resolve("hpkp-watch.1").toString());
      assertThat(man.exit()).as(man.out()).isZero();
      assertThat(man.out()).contains("NAME", "hpkp-watch - Watches Certificate Transparency logs",
          "--from-index", "[--[no-]progress]");
    }
  }

  @Test
  void theCompletionScriptLoadsInBashAndCompletesCommands() throws Exception {
    Path home = unpacked();

    Run bash = run(home, "bash", "-c", "source \"$HPKP_HOME/completion/hpkp\" && complete -p hpkp"
        + " && COMP_WORDS=(hpkp pi) && COMP_CWORD=1 && COMP_LINE='hpkp pi' && COMP_POINT=7"
        + " && _complete_hpkp hpkp pi hpkp && printf '%s\\n' \"${COMPREPLY[@]}\"");

    assertThat(bash.exit()).as(bash.out()).isZero();
    assertThat(bash.out()).contains("complete", "hpkp").contains("pin");
  }
}
