package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that, like most, sends leaf and intermediate but not the root: {@code hpkp check}
 * judges pins against the chain it validates, which ends at the trust anchor.
 */
class ValidatedChainCommandsTest {

  private static final TestPki PKI = TestPki.localhost();
  private static TlsJetty server;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    String header = PKI.rootPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
        + PKI.secondBackupPin().toDirective() + "; max-age=600";
    server = new TlsJetty(PKI.keyStore("server", PKI.leaf(), PKI.intermediate()))
        .servlet("/", new HttpServlet() {
          private static final long serialVersionUID = 1L;

          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            response.setHeader("Public-Key-Pins", header);
          }
        }).start();
    Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void checkJudgesARootPinAgainstTheChainCompletedToItsTrustAnchor() {
    Cli result = Cli.run("check", server.https("/").toString(), "--trust",
        dir.resolve("root.pem").toString());

    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out()).contains("validated chain:",
        "  2  root (trust anchor, not sent)  " + PKI.rootPin(),
        "  " + PKI.rootPin() + "  root (trust anchor, not sent) CN=HPKP Test Root",
        "verdict: a user agent would accept this policy");
  }

  @Test
  void withoutTheAnchorTheRootPinMatchesNothingAndTheMessageSaysWhy() {
    Cli result = Cli.run("check", server.https("/").toString(), "--trust",
        dir.resolve("root.pem").toString().replace("root.pem", "missing.pem"));
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("missing.pem does not exist");
  }

  @Test
  void trustRefusesAFileWithoutCertificates() throws Exception {
    Path key = Files.writeString(dir.resolve("backup.pub.pem"),
        TestPki.pem(PKI.backupKey().getPublic()));
    Cli result = Cli.run("check", server.https("/").toString(), "--trust", key.toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err().strip()).isEqualTo("hpkp check: --trust " + key + " holds no"
        + " certificate; name the PEM file of a CA's root certificate");
  }

  @Test
  void pinConnectNumbersTheCertificatesAsSent() {
    Cli result = Cli.run("pin", "--connect", "localhost:" + server.https("/").getPort(),
        "--json");
    assertThat(result.exit()).as(result.toString()).isZero();
    assertThat(result.out()).contains("\"position\" : 0", "\"position\" : 1")
        .contains(PKI.leafPin().base64(), PKI.intermediatePin().base64());
  }
}
