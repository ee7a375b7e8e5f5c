package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer types first, and what it should answer. */
class NewcomerCliTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  @Test
  void theReadmeSaysToInstallTheProjectBeforeItsDependencySnippet() throws Exception {
    String readme = java.nio.file.Files.readString(Path.of("").toAbsolutePath().getParent()
        .resolve("README.md"));
    int install = readme.indexOf("`./mvnw -B install -DskipTests`");
    int snippet = readme.indexOf("<artifactId>hpkp-filter</artifactId>");
    assertThat(install).as("the install step is in the README").isPositive();
    assertThat(install).as("the install step comes before the first dependency snippet")
        .isLessThan(snippet);
  }

  @Test
  void maxAgeTakesDurationsAndPlanSaysThemInWords() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    Cli header = Cli.run("header", "--pin", PKI.leafPin().toString(), "--backup",
        PKI.backupPin().toString(), "--backup", PKI.secondBackupPin().toString(), "--chain",
        chain.toString(), "--max-age", "60d", "--enforce");
    assertThat(header.exit()).as(header.toString()).isZero();
    assertThat(header.out()).contains("max-age=5184000");

    Cli plan = Cli.run("plan", "--chain", chain.toString(), "--max-age", "10m");
    assertThat(plan.out()).contains("max-age 600 s (10 minutes): start any renewal by");
  }

  @Test
  void aPlanPastItsDeadlinesSaysOverdueSince() throws Exception {
    TestPki expiring = TestPki.create("localhost", Duration.ofDays(20));
    Path chain = expiring.writeChainPem(dir.resolve("expiring.pem"));
    Cli plan = Cli.run("plan", "--chain", chain.toString(), "--max-age", "60d");
    assertThat(plan.exit()).isZero();
    assertThat(Cli.run("plan", "--chain", chain.toString(), "--max-age", "60d", "--strict")
        .exit()).isEqualTo(1);
    assertThat(plan.out()).contains("   overdue since ").doesNotContain("   by ");
  }

  @Test
  void aMissingPinFileIsNamedAsMissing() {
    Cli header = Cli.run("header", "--pin", "missing.pem", "--backup",
        PKI.backupPin().toString());
    assertThat(header.exit()).isEqualTo(2);
    assertThat(header.err().strip()).isEqualTo("hpkp header: --pin missing.pem: no such file"
        + " (relative to " + Path.of("").toAbsolutePath() + "); give a pin (sha256/…) or the"
        + " path of an existing certificate, CSR or key");
  }

  @Test
  void anUntrustedCertificateSuggestsTrustAndNamesNoJavaClass() throws Exception {
    try (TlsJetty server = new TlsJetty(PKI).servlet("/", new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Public-Key-Pins-Report-Only", PKI.leafPin().toDirective() + "; "
            + PKI.backupPin().toDirective() + "; report-uri=\"https://r.example/\"");
      }
    }).start()) {
      Cli check = Cli.run("check", server.https("/").toString());
      assertThat(check.exit()).isEqualTo(1);
      assertThat(check.out()).contains("error [tls] the certificate does not validate (",
          "if the server uses a private CA, name its root certificate with --trust FILE")
          .doesNotContain("Exception");
    }
  }

  @Test
  void lintAndCheckSpeakJsonWithTheRuleTablesFields() throws Exception {
    Cli lint = Cli.run("lint", "--json", PKI.leafPin().toDirective() + "; max-age=1; max-age=2");
    assertThat(lint.exit()).isEqualTo(1);
    com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory()
        .createParser(lint.out());
    while (parser.nextToken() != null) {
      parser.skipChildren(); // the output is one well-formed JSON document
    }
    assertThat(lint.out()).contains("\"code\" : \"duplicate-max-age\"",
        "\"severity\" : \"error\"", "\"section\" : \"§2.1\"", "\"valid\" : false");

    String header = PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
        + PKI.secondBackupPin().toDirective() + "; max-age=600";
    Path root = java.nio.file.Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root()));
    try (TlsJetty server = new TlsJetty(PKI).servlet("/", new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Public-Key-Pins", header);
      }
    }).start()) {
      Cli check = Cli.run("check", "--json", server.https("/").toString(), "--trust",
          root.toString());
      assertThat(check.exit()).as(check.toString()).isZero();
      assertThat(check.out()).contains("\"header\" : \"Public-Key-Pins\"",
          "\"matches\" : \"leaf CN=localhost\"", "\"role\" : \"leaf\"",
          "\"accepted\" : true").doesNotContain("\"accepted\" : false");
    }
  }

  @Test
  void aMistypedOptionIsNamedBeforeAMissingOne() {
    Cli header = Cli.run("header", "--frobnicate");
    assertThat(header.exit()).isEqualTo(2);
    assertThat(header.err().strip()).isEqualTo("hpkp header: unknown option '--frobnicate' (see"
        + " 'hpkp header --help')");
  }
}
