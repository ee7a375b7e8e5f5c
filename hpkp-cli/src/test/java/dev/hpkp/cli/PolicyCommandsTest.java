package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** header, lint, check and plan against generated chains and a local TLS server. */
class PolicyCommandsTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  @Test
  void headerBuildsTheValueAndTheSnippets() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    Path backup = Files.writeString(dir.resolve("backup.pub.pem"),
        TestPki.pem(PKI.backupKey().getPublic()));

    Cli cli = Cli.run("header", "--pin", PKI.leafPin().toString(), "--backup", backup.toString(),
        "--backup", PKI.secondBackupPin().base64(), "--chain", chain.toString(), "--max-age",
        "600", "--enforce", "--include-subdomains");

    assertThat(cli.exit()).as(cli.err()).isZero();
    String value = PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
        + PKI.secondBackupPin().toDirective() + "; max-age=600; includeSubDomains";
    assertThat(cli.out()).startsWith("Public-Key-Pins: " + value + "\n")
        .contains("<param-value>" + PKI.leafPin() + "</param-value>",
            "  pins = " + PKI.leafPin(),
            "  Header always set Public-Key-Pins \"" + value.replace("\"", "\\\"") + "\"",
            "  add_header Public-Key-Pins '" + value + "' always;");
  }

  @Test
  void headerRefusesWhatTheFilterRefuses() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    Cli cli = Cli.run("header", "--pin", PKI.leafPin().toString(), "--backup",
        PKI.rootPin().toString(), "--chain", chain.toString(), "--enforce");
    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).isEqualTo("hpkp header: --backup: " + PKI.rootPin() + " matches the"
        + " root certificate CN=HPKP Test Root,O=hpkp-filter tests (position 2 of the served"
        + " chain); a backup pin must be a key that is NOT deployed yet — generate one with"
        + " 'hpkp backup-key'\n");

    Cli warned = Cli.run("header", "--pin", PKI.leafPin().toString(), "--backup",
        PKI.backupPin().toString(), "--enforce");
    assertThat(warned.exit()).as("warnings alone exit 0").isZero();
    assertThat(Cli.run("header", "--pin", PKI.leafPin().toString(), "--backup",
        PKI.backupPin().toString(), "--enforce", "--strict").exit()).isEqualTo(1);
    assertThat(warned.err()).contains("warning: --backup: only one backup pin",
        "warning: --chain: the served-chain check is switched off")
        .doesNotContain("backupPins", "servedChain");

    Cli nowhere = Cli.run("header", "--pin", PKI.leafPin().toString(), "--backup",
        PKI.backupPin().toString(), "--chain", chain.toString());
    assertThat(nowhere.exit()).isEqualTo(2);
    assertThat(nowhere.err()).startsWith("hpkp header: --report-uri: not set, but a")
        .contains("set --report-uri to a report collector on another host, or set --enforce to"
            + " enforce")
        .doesNotContain("reportUri", "reportOnly");
  }

  @Test
  void lintNamesEveryProblemAndJudgesAgainstAChain() throws Exception {
    Cli bad = Cli.run("lint", PKI.leafPin().toDirective() + "; max-age=1; max-age=2;"
        + " includeSubDomains=yes");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).contains("error [duplicate-max-age]", "error [valued-include-subdomains]",
        "error [no-backup-pin]");

    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    String good = PKI.intermediatePin().toDirective() + "; " + PKI.backupPin().toDirective()
        + "; " + PKI.secondBackupPin().toDirective() + "; max-age=600";
    Cli ok = Cli.run("lint", good, "--chain", chain.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("pin " + PKI.intermediatePin() + ": intermediate CN=HPKP Test"
        + " Intermediate", "pin " + PKI.backupPin() + ": backup (not in the chain)",
        "ok: 3 pins, max-age=600");

    Cli oneBackup = Cli.run("lint", PKI.intermediatePin().toDirective() + "; "
        + PKI.backupPin().toDirective() + "; max-age=600", "--chain", chain.toString());
    assertThat(oneBackup.exit()).as("a warning alone exits 0").isZero();
    assertThat(oneBackup.out()).contains("warning [single-backup-pin] only one backup pin "
        + PKI.backupPin());
    assertThat(Cli.run("lint", PKI.intermediatePin().toDirective() + "; "
        + PKI.backupPin().toDirective() + "; max-age=600", "--chain", chain.toString(),
        "--strict").exit()).as("--strict: a warning exits 1").isEqualTo(1);

    Cli noBackup = Cli.run("lint", PKI.leafPin().toDirective() + "; " + PKI.rootPin()
        .toDirective() + "; max-age=600", "--chain", chain.toString());
    assertThat(noBackup.exit()).isEqualTo(1);
    assertThat(noBackup.out()).contains("error [no-backup-pin] every pin matches a certificate");

    Cli reportOnly = Cli.run("lint", "Public-Key-Pins-Report-Only: " + good);
    assertThat(reportOnly.exit()).isEqualTo(1);
    assertThat(reportOnly.out()).contains("error [report-only-without-report-uri]");
  }

  @Test
  void checkJudgesALiveSiteAsAUserAgentWould() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    Path root = Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root()));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("pins", PKI.leafPin().toString());
    params.put("backupPins", PKI.backupPin() + " " + PKI.secondBackupPin());
    params.put("reportOnly", "false");
    params.put("maxAgeSeconds", "600");
    params.put("servedChain", chain.toString());
    try (TlsJetty jetty = new TlsJetty(PKI).filter("hpkp", HpkpFilter.class, params)
        .servlet("/*", new Ok()).start()) {
      String url = jetty.https("/").toString();

      Cli trusted = Cli.run("check", url, "--trust", root.toString());
      assertThat(trusted.exit()).as(trusted.out()).isZero();
      assertThat(trusted.out()).contains("  " + PKI.leafPin() + "  leaf CN=localhost",
          "  " + PKI.backupPin() + "  backup (not in chain)",
          "verdict: a user agent would accept this policy");

      Cli untrusted = Cli.run("check", url);
      assertThat(untrusted.exit()).isEqualTo(1);
      assertThat(untrusted.out()).contains("error [tls] the certificate does not validate");
    }
  }

  @Test
  void checkFailsASiteWhosePinsDoNotMatchItsChain() throws Exception {
    Path root = Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root()));
    Pin stranger = KeyMaterial.pinOf(TestPki.ecKey().getPublic());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("pins", stranger.toString());
    params.put("backupPins", PKI.backupPin() + " " + PKI.secondBackupPin());
    params.put("reportOnly", "false");
    params.put("servedChainCheck", "false");
    try (TlsJetty jetty = new TlsJetty(PKI).filter("hpkp", HpkpFilter.class, params)
        .servlet("/*", new Ok()).start()) {
      Cli cli = Cli.run("check", jetty.https("/").toString(), "--trust", root.toString());
      assertThat(cli.exit()).isEqualTo(1);
      assertThat(cli.out()).contains("error [no-pin-matches-chain]",
          "verdict: a user agent would REJECT this policy");
    }
    try (TlsJetty plain = new TlsJetty(PKI).servlet("/*", new Ok()).start()) {
      Cli none = Cli.run("check", plain.https("/").toString(), "--trust", root.toString());
      assertThat(none.exit()).isEqualTo(1);
      assertThat(none.out()).contains("error [no-policy]");
    }
  }

  @Test
  void planDatesFollowTheLeafExpiry() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    Path backup = Files.writeString(dir.resolve("backup.pub.pem"),
        TestPki.pem(PKI.backupKey().getPublic()));
    ChainCertificate leaf = KeyMaterial.readServedChain(chain, null, null).get(0);
    LocalDate expiry = leaf.notAfter().atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);

    Cli cli = Cli.run("plan", "--chain", chain.toString(), "--max-age", "5184000", "--backup",
        backup.toString(), "--today", today.toString());

    assertThat(cli.exit()).isZero();
    LocalDate startBy = leaf.notAfter().minusSeconds(5_184_000).minusSeconds(30L * 86_400)
        .atZone(ZoneOffset.UTC).toLocalDate();
    assertThat(cli.out()).contains("expires " + expiry + ".",
        "start any renewal by " + startBy + " (30 days + max-age before expiry)",
        "request a certificate for the backup key " + PKI.backupPin(),
        "on " + expiry.minusDays(30) + "  deploy the certificate on the new key; remove "
            + PKI.leafPin());

    Cli late = Cli.run("plan", "--chain", chain.toString(), "--max-age", "5184000",
        "--today", expiry.toString());
    assertThat(late.exit()).as("overdue is a warning").isZero();
    assertThat(Cli.run("plan", "--chain", chain.toString(), "--max-age", "5184000", "--today",
        expiry.toString(), "--strict").exit()).isEqualTo(1);
    assertThat(late.out()).contains("OVERDUE by 90 days",
        "no --backup given: without a backup key this way is closed");
  }

  static final class Ok extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.getWriter().write("ok");
    }
  }
}
