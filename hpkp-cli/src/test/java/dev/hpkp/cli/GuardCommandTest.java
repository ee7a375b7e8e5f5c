package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hpkp guard}: every verdict, every way to give the policy and the chain, bad input. */
class GuardCommandTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  @AfterEach
  void restoreEnvironment() {
    GuardCommand.environment = System::getenv;
  }

  private Path chainOn(KeyPair key, String name) throws Exception {
    return Files.writeString(dir.resolve(name), TestPki.pem(PKI.renewedOn(key).toArray()));
  }

  private String[] policy() {
    return new String[] {"guard", "--pins", PKI.leafPin().toString(), "--backup-pins",
        PKI.backupPin() + "," + PKI.secondBackupPin(), "--max-age", "600"};
  }

  private static String[] with(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  private static void environment(Map<String, String> variables) {
    GuardCommand.environment = variables::get;
  }

  @Test
  void aRenewalOnThePinnedKeyPasses() throws Exception {
    Cli cli = Cli.run(with(policy(), chainOn(PKI.leafKey(), "same.pem").toString()));

    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).startsWith("pinned: the served chain (leaf CN=localhost")
        .contains("the leaf's key " + PKI.leafPin() + " is pinned")
        .contains("pin " + PKI.backupPin() + ": not served");
  }

  @Test
  void aRenewalOnANewKeyIsALockoutNamingTheNewPin() throws Exception {
    KeyPair fresh = TestPki.ecKey();
    Pin freshPin = KeyMaterial.pinOf(fresh.getPublic());
    Cli cli = Cli.run(with(policy(), chainOn(fresh, "new.pem").toString()));

    assertThat(cli.exit()).isEqualTo(Hpkp.FINDING);
    assertThat(cli.out()).startsWith("lockout: --pins: no pinned key is in the served chain,"
        + " whose leaf CN=localhost has the new key " + freshPin)
        .contains("for up to max-age=600 seconds")
        .contains("certbot renew --cert-name NAME --reuse-key --force-renewal")
        .contains("pin " + PKI.leafPin() + ": not served");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void aRenewalOntoABackupIsARotationAndTheRotatedPolicyPasses() throws Exception {
    Path chain = chainOn(PKI.backupKey(), "backup.pem");
    Cli cli = Cli.run(with(policy(), chain.toString()));

    assertThat(cli.exit()).isEqualTo(Hpkp.FINDING);
    assertThat(cli.out()).startsWith("rotated-onto-backup: --pins: backup pin " + PKI.backupPin()
        + " matches the leaf certificate CN=localhost")
        .contains("move " + PKI.backupPin() + " from --backup-pins to --pins, keep "
            + PKI.secondBackupPin() + " in --backup-pins");

    Cli rotated = Cli.run("guard", "--pins", PKI.backupPin().toString(), "--backup-pins",
        PKI.secondBackupPin() + "," + PKI.leafPin(), chain.toString());
    assertThat(rotated.exit()).as(rotated.out() + rotated.err()).isZero();
    assertThat(rotated.out()).startsWith("pinned: ");
  }

  @Test
  void certbotsCertPemAloneIsRefusedNamingFullchain() throws Exception {
    Path leafOnly = Files.writeString(dir.resolve("cert.pem"), TestPki.pem(PKI.leaf()));
    Cli cli = Cli.run("guard", "--pins", PKI.leafPin().toString(), "--backup-pins",
        PKI.intermediatePin() + "," + PKI.backupPin(), leafOnly.toString());

    assertThat(cli.exit()).isEqualTo(Hpkp.FINDING);
    assertThat(cli.out()).startsWith("refused: CHAIN: holds only the leaf CN=localhost")
        .contains("certbot's fullchain.pem, not cert.pem");
  }

  @Test
  void theGuardSaysWhatTheFilterSaysForTheSameChainAndPolicy() throws Exception {
    Path chain = chainOn(TestPki.ecKey(), "new.pem");
    Path properties = Files.writeString(dir.resolve("hpkp.properties"), "pins="
        + PKI.leafPin() + "\nbackupPins=" + PKI.backupPin() + ", " + PKI.secondBackupPin()
        + "\nreportOnly=false\nservedChain=file:" + chain + "\n");
    Cli cli = Cli.run("guard", "--config", properties.toString(), chain.toString());

    String filter = null;
    try {
      HpkpConfig.of(Map.of("config", properties.toString()), "init-param").toPolicy();
    } catch (PolicyException e) {
      filter = e.getMessage();
    }
    assertThat(cli.exit()).isEqualTo(Hpkp.FINDING);
    assertThat(filter).startsWith("pins: no pinned key is in the served chain");
    assertThat(cli.out()).startsWith("lockout: " + filter + "\n");
  }

  @Test
  void readsThePolicyFromAWebXmlFilterOrItsDropInContextParams() throws Exception {
    Path chain = chainOn(PKI.leafKey(), "same.pem");
    Path filterXml = Files.writeString(dir.resolve("web.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <filter>
            <filter-name>hpkp</filter-name>
            <filter-class>dev.hpkp.servlet.HpkpFilter</filter-class>
            <init-param><param-name>pins</param-name><param-value>%s</param-value></init-param>
            <init-param><param-name>backupPins</param-name>
              <param-value>%s, %s</param-value></init-param>
            <init-param><param-name>servedChain</param-name>
              <param-value>file:/etc/tls/fullchain.pem</param-value></init-param>
          </filter>
        </web-app>
        """.formatted(PKI.leafPin(), PKI.backupPin(), PKI.secondBackupPin()));
    assertThat(Cli.run("guard", "--web-xml", filterXml.toString(), chain.toString()).exit()).isZero();
    Cli lockout = Cli.run("guard", "--web-xml", filterXml.toString(), chainOn(TestPki.ecKey(), "n.pem")
        .toString());
    assertThat(lockout.exit()).isEqualTo(Hpkp.FINDING);
    assertThat(lockout.out()).startsWith("lockout: pins: no pinned key");

    Path dropIn = Files.writeString(dir.resolve("drop-in.xml"), """
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
          <context-param><param-name>hpkp.pins</param-name><param-value>%s</param-value>
          </context-param>
          <context-param><param-name>hpkp.backupPins</param-name>
            <param-value>%s</param-value></context-param>
        </web-app>
        """.formatted(PKI.leafPin(), PKI.backupPin()));
    Cli rotated = Cli.run("guard", "--web-xml", dropIn.toString(), chainOn(PKI.backupKey(), "b.pem")
        .toString());
    assertThat(rotated.out()).startsWith("rotated-onto-backup: ")
        .contains("since no backup pin remains");
  }

  @Test
  void certbotsDeployHookGivesTheLineageAndItsRenewalConfigurationIsRead() throws Exception {
    Path live = Files.createDirectories(dir.resolve("letsencrypt/live/example.com"));
    Path renewal = Files.createDirectories(dir.resolve("letsencrypt/renewal"));
    Files.copy(chainOn(PKI.leafKey(), "x.pem"), live.resolve("fullchain.pem"));
    Files.writeString(renewal.resolve("example.com.conf"), """
        # renew_before_expiry = 30 days
        version = 2.1.0
        renew_before_expiry = 20 days
        [renewalparams]
        authenticator = manual
        key_type = ecdsa
        """);
    environment(Map.of("RENEWED_LINEAGE", live.toString(), "RENEWED_DOMAINS", "example.com"));

    Cli cli = Cli.run(policy());
    assertThat(cli.exit()).as(cli.err()).isZero();
    assertThat(cli.out()).contains("warning: certbot: " + renewal.resolve("example.com.conf")
        + " does not set reuse_key = True, so certbot's default makes a new key at the next"
        + " renewal (due about ")
        .contains("set reuse_key = True under [renewalparams] in "
            + renewal.resolve("example.com.conf"))
        .contains("'certbot renew --cert-name example.com --reuse-key --force-renewal'");

    Files.writeString(renewal.resolve("example.com.conf"), "[renewalparams]\nreuse_key = True\n");
    assertThat(Cli.run(policy()).out()).doesNotContain("warning: certbot");

    Cli plan = Cli.run("plan", "--lineage", live.toString(), "--max-age", "600");
    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("sets reuse_key = True: the next renewal (due about");
  }

  @Test
  void legoAndAcmeShHookVariablesNameTheChain() throws Exception {
    Path chain = chainOn(TestPki.ecKey(), "lego.crt");
    environment(Map.of("LEGO_CERT_PATH", chain.toString()));
    assertThat(Cli.run(policy()).out()).startsWith("lockout: ");
    environment(Map.of("LEGO_HOOK_CERT_PATH", chain.toString()));
    assertThat(Cli.run(policy()).out()).startsWith("lockout: ");
    environment(Map.of("CERT_FULLCHAIN_PATH", chainOn(PKI.leafKey(), "fullchain.cer")
        .toString()));
    assertThat(Cli.run(policy()).exit()).isZero();
  }

  @Test
  void jsonCarriesTheVerdictTheSentenceAndWhatEachPinMatches() throws Exception {
    Cli cli = Cli.run(with(policy(), "--json", chainOn(PKI.backupKey(), "b.pem").toString()));

    assertThat(cli.exit()).isEqualTo(Hpkp.FINDING);
    assertThat(cli.out()).contains("\"verdict\" : \"rotated-onto-backup\"")
        .contains("\"deployable\" : false")
        .contains("\"pin\" : \"" + PKI.backupPin() + "\",\n    \"matches\" : \"leaf CN=localhost\"")
        .contains("\"renewBy\" : ");
  }

  @Test
  void badChainsAndMissingInputAreOneSentenceWithExitTwo() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    String pem = TestPki.pem(PKI.renewedOn(PKI.leafKey()).toArray());
    Path half = Files.writeString(dir.resolve("half.pem"), pem.substring(0,
        pem.indexOf("-----BEGIN", 10) + 100));
    Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");
    Path directory = Files.createDirectories(dir.resolve("a-directory"));
    for (Path bad : new Path[] {empty, half, text, directory, dir.resolve("missing.pem")}) {
      Cli cli = Cli.run(with(policy(), bad.toString()));
      assertThat(cli.exit()).as(bad + ": " + cli.out() + cli.err()).isEqualTo(Hpkp.USAGE);
      assertThat(cli.err()).startsWith("hpkp guard: CHAIN: ").doesNotContain("\tat ")
          .hasLineCount(1);
    }
    environment(Map.of());
    Cli none = Cli.run(policy());
    assertThat(none.exit()).isEqualTo(Hpkp.USAGE);
    assertThat(none.err()).contains("no CHAIN given, and no ACME client's hook variable is set");

    environment(Map.of("RENEWED_LINEAGE", dir.resolve("gone").toString()));
    Cli gone = Cli.run(policy());
    assertThat(gone.exit()).isEqualTo(Hpkp.USAGE);
    assertThat(gone.err()).contains("RENEWED_LINEAGE (certbot's --deploy-hook) is '")
        .contains("which is not a directory");

    Cli noPolicy = Cli.run("guard", empty.toString());
    assertThat(noPolicy.exit()).isEqualTo(Hpkp.USAGE);
    assertThat(noPolicy.err()).contains("no policy given");

    Cli hostile = Cli.run(with(policy(), "bad\u0000\r\nname.pem"));
    assertThat(hostile.exit()).isEqualTo(Hpkp.USAGE);
    assertThat(hostile.err()).hasLineCount(1).doesNotContain("\r");
  }

  @Test
  void aWebXmlWithADoctypeIsRefusedUnread() throws Exception {
    Path xml = Files.writeString(dir.resolve("evil.xml"), "<?xml version=\"1.0\"?><!DOCTYPE x"
        + " [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><web-app>&e;</web-app>");
    Cli cli = Cli.run("guard", "--web-xml", xml.toString(), dir.resolve("x.pem").toString());
    assertThat(cli.exit()).isEqualTo(Hpkp.USAGE);
    assertThat(cli.err()).contains("is not a well-formed web.xml").doesNotContain("root:");
    assertThatThrownBy(() -> CertbotLineage.read(dir.resolve("none"), "--lineage"))
        .isInstanceOf(UsageException.class);
  }
}
