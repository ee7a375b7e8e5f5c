package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinCommandTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir static Path dir;
  static boolean openssl;

  @BeforeAll
  static void findOpenssl() {
    try {
      openssl = new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      openssl = false;
    }
  }

  /** Runs a shell pipeline and returns its standard output, byte for byte. */
  static String sh(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(command).isZero();
    return out;
  }

  private static final String DIGEST = "openssl pkey -pubin -outform der | openssl dgst -sha256"
      + " -binary | base64";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RSA -pkeyopt rsa_keygen_bits:2048", "EC -pkeyopt"
      + " ec_paramgen_curve:P-256", "ED25519"})
  void outputIsByteIdenticalToTheOpensslPipeline(String algorithm) throws Exception {
    assumeTrue(openssl, "openssl is not installed: skipping the comparison with its output");
    String name = algorithm.split(" ")[0].toLowerCase();
    sh("openssl genpkey -algorithm " + algorithm + " -out " + name + ".key 2>/dev/null");
    sh("openssl req -new -x509 -key " + name + ".key -subj /CN=cli.example -days 30 -out "
        + name + ".crt");
    sh("openssl req -new -key " + name + ".key -subj /CN=cli.example -out " + name + ".csr");

    String fromCertificate = sh("openssl x509 -pubkey -noout -in " + name + ".crt | " + DIGEST);
    String fromCsr = sh("openssl req -in " + name + ".csr -pubkey -noout | " + DIGEST);
    String fromKey = sh("openssl pkey -in " + name + ".key -pubout | " + DIGEST);

    assertThat(Cli.run("pin", dir.resolve(name + ".crt").toString()).out())
        .isEqualTo(fromCertificate);
    assertThat(Cli.run("pin", dir.resolve(name + ".csr").toString()).out()).isEqualTo(fromCsr);
    assertThat(Cli.run("pin", dir.resolve(name + ".key").toString()).out()).isEqualTo(fromKey);
    assertThat(fromCertificate).isEqualTo(fromCsr).isEqualTo(fromKey).hasSize(45);
  }

  @Test
  void chainPrintsOneRowPerCertificateWithRole() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));

    Cli cli = Cli.run("pin", chain.toString());

    assertThat(cli.exit()).isZero();
    List<String> rows = cli.out().lines().toList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).startsWith(" 0  leaf          EC P-256    ")
        .contains(PKI.leafPin().base64() + "  CN=localhost");
    assertThat(rows.get(1)).startsWith(" 1  intermediate  ").contains(PKI.intermediatePin().base64());
    assertThat(rows.get(2)).startsWith(" 2  root          ").contains(PKI.rootPin().base64());
  }

  @Test
  void keystoreNeedsAPasswordAndTakesItFromAFile() throws Exception {
    Path keystore = PKI.writeKeystore(dir.resolve("server.p12"), "web");
    Cli without = Cli.run("pin", keystore.toString());
    assertThat(without.exit()).isEqualTo(2);
    assertThat(without.err()).contains("is a PKCS12 keystore and shows no certificate without its"
        + " password", "--password-file FILE");

    Path password = Files.writeString(dir.resolve("pw.txt"), "changeit\n");
    Cli with = Cli.run("pin", "--password-file", password.toString(), keystore.toString());
    assertThat(with.exit()).isZero();
    assertThat(with.out()).contains(PKI.leafPin().base64(), "[alias web]");
  }

  @Test
  void jsonListsEveryKey() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("chain-json.pem"));
    Cli cli = Cli.run("pin", "--json", chain.toString());
    assertThat(cli.out()).contains("\"role\" : \"leaf\"", "\"pin\" : \"" + PKI.leafPin() + "\"",
        "\"role\" : \"root\"");
  }

  @Test
  void connectReadsALiveServersChain() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("served.pem"));
    try (TlsJetty jetty = new TlsJetty(PKI).filter("hpkp", HpkpFilter.class, Map.of(
        "pins", PKI.leafPin().toString(), "backupPins", PKI.backupPin().toString(),
        "reportOnly", "false", "servedChain", chain.toString()))
        .servlet("/*", new jakarta.servlet.http.HttpServlet() {}).start()) {
      String target = "localhost:" + jetty.https("/").getPort();

      Cli cli = Cli.run("pin", "--connect", target);

      assertThat(cli.exit()).isZero();
      assertThat(cli.out().lines()).hasSize(3);
      assertThat(cli.out()).contains(PKI.leafPin().base64(), PKI.rootPin().base64());
    }
  }

  @Test
  void unreadableInputIsExitTwoWithThePath() {
    Cli cli = Cli.run("pin", dir.resolve("missing.pem").toString());
    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).startsWith("hpkp pin: " + dir.resolve("missing.pem")
        + " does not exist");
    assertThat(Cli.run("pin").exit()).isEqualTo(2);
  }
}
