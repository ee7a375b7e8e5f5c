package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.testing.TestPki;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pastes every command of the README's CLI section after the run command, as a newcomer would
 * (#14): check-readme-commands.sh against the example on a free port, with its sample report
 * posted first, as the run command's output suggests.
 */
class ReadmeCommandsIT {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path CLI_JAR = MODULE.resolveSibling("hpkp-cli/target/hpkp.jar");

  @TempDir Path dir;

  @Test
  void everyReadmeCommandRunsAgainstTheExample() throws Exception {
    assumeTrue(Files.isRegularFile(CLI_JAR), "the CLI is not built (" + CLI_JAR + "); the full"
        + " ./mvnw verify builds it before this module");
    assumeTrue(onPath("bash") && onPath("openssl"), "bash and openssl are needed: the README's"
        + " commands are shell commands and one compares with openssl");
    Path data = ExampleKeys.prepare(dir.resolve("hpkp-example"));
    int port = ContainerContract.freePort();
    Path war = Path.of(System.getProperty("example.war"));
    // enforce mode, as the README's client commands (hpkp fetch, pin-store) ask for
    System.setProperty("example.reportOnly", "false");
    int impostorPort = ContainerContract.freePort();
    try (ContainerDeployment app = new JettyDeployment().deploy(war, data, "127.0.0.1", port, 0);
        dev.hpkp.testing.TlsJetty impostor = ExampleServer.impostor(data, impostorPort)) {
      System.clearProperty("example.reportOnly");
      assertThat(app.header("hpkp")).startsWith("Public-Key-Pins: ");
      List<KeyEntry> chain = KeyMaterial.read(data.resolve("keys/fullchain.pem"), null);
      X509Certificate root = chain.get(chain.size() - 1).certificate().orElseThrow();
      HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trusting(root)).build();
      assertThat(client.send(HttpRequest.newBuilder(app.https("/hpkp-report"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofFile(data.resolve("sample-report.json"))).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);

      // -Dreadme.write=true rewrites the README's samples from this run instead of checking them
      List<String> command = new java.util.ArrayList<>(List.of("bash",
          MODULE.resolve("check-readme-commands.sh").toString()));
      if (Boolean.getBoolean("readme.write")) {
        command.add("--write");
      }
      ProcessBuilder script = new ProcessBuilder(command).redirectErrorStream(true);
      script.environment().put("HPKP_EXAMPLE_DIR", data.toString());
      script.environment().put("HPKP_EXAMPLE_HTTPS_PORT", Integer.toString(port));
      script.environment().put("HPKP_EXAMPLE_IMPOSTOR_PORT", Integer.toString(impostorPort));
      Process process = script.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

      assertThat(process.exitValue()).as(output).isZero();
      Matcher tally = Pattern.compile("(\\d+) passed, 0 failed").matcher(output);
      assertThat(tally.find()).as(output).isTrue();
      assertThat(Integer.parseInt(tally.group(1))).as(output).isGreaterThanOrEqualTo(10);
      assertThat(output).contains("ok: hpkp check https://localhost:8443/",
          "ok: hpkp reports summarize", "ok: hpkp fetch https://localhost:8443/",
          "ok: hpkp fetch https://localhost:8444/", "ok: hpkp pin-store forget localhost");
    }
  }

  private static boolean onPath(String program) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
