package dev.hpkp.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.testing.TestPki;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class HpkpConfigTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;
  private Path chain;
  private Map<String, String> params;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, String> sys = new LinkedHashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    params = new LinkedHashMap<>();
    params.put("pins", PKI.leafPin().toString());
    params.put("backupPins", PKI.backupPin() + ", " + PKI.secondBackupPin());
    params.put("reportUri", "https://reports.example.net/hpkp");
    params.put("servedChain", chain.toString());
  }

  private PinPolicy policy() {
    return config().toPolicy();
  }

  private HpkpConfig config() {
    return HpkpConfig.of(params, "init-param", env::get, sys::get,
        new URLClassLoader(new URL[] {classpathUrl()}, null));
  }

  private URL classpathUrl() {
    try {
      return dir.toUri().toURL();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void refusesACsrReferenceWithoutTheKeysModuleAndSaysHowToGetThePin() throws Exception {
    // This module's test class path has hpkp-core and no hpkp-keys-bouncycastle, like a filter-only WAR.
    Path csr = TestPki.writeCsr(PKI.backupKey(), "CN=backup", dir.resolve("backup.csr"));
    Files.writeString(dir.resolve("backup.key"), TestPki.pem(PKI.backupKey().getPrivate()));
    params.put("backupPins", "file:" + csr + ", " + PKI.secondBackupPin());

    assertThatThrownBy(this::policy).isInstanceOf(PolicyException.class)
        .hasMessage("backupPins: " + csr + ": PEM block 1 (CERTIFICATE REQUEST) can only be read"
            + " by the hpkp-keys-bouncycastle module (dev.hpkp:hpkp-keys-bouncycastle), which is not on the class path;"
            + " add it to the application, or configure the pin itself: 'hpkp pin " + csr
            + "' prints it");

    params.put("backupPins", "file:" + dir.resolve("backup.key") + ", " + PKI.secondBackupPin());
    assertThatThrownBy(this::policy).hasMessageContaining("(EC PRIVATE KEY) can only be read by the"
        + " hpkp-keys-bouncycastle module");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PKCS12", "JKS", "JCEKS"})
  void readsCertificatesPublicKeysAndKeystoresWithTheJdkAlone(String type) throws Exception {
    Files.writeString(dir.resolve("backup.pub.pem"), TestPki.pem(PKI.backupKey().getPublic()));
    Path keystore = PKI.writeKeystore(dir.resolve("server." + type), "server", type);
    params.put("pins", "classpath:fullchain.pem");
    params.put("backupPins", "classpath:backup.pub.pem, " + PKI.secondBackupPin());
    params.put("servedChain", "file:" + keystore);
    params.put("servedChainPassword", new String(TestPki.PASSWORD));

    PinPolicy policy = policy();

    assertThat(policy.pins()).containsExactly(PKI.leafPin(), PKI.intermediatePin(),
        PKI.rootPin());
    assertThat(policy.backupPins()).containsExactly(PKI.backupPin(), PKI.secondBackupPin());
    assertThat(policy.servedChain()).extracting(c -> c.pin()).startsWith(PKI.leafPin());
  }

  @Test
  void aRootPinMatchesOnceTheServedChainIsCompletedToItsTrustAnchor() throws Exception {
    // fullchain.pem as certbot writes it: leaf and intermediate, no root.
    Files.writeString(dir.resolve("fullchain.pem"), TestPki.pem(PKI.leaf(), PKI.intermediate()));
    Files.writeString(dir.resolve("roots.pem"), TestPki.pem(PKI.root()));
    params.put("pins", PKI.rootPin().toString());

    // The JVM's default trust store does not hold this test root: the chain stays as sent.
    assertThatThrownBy(this::policy).hasMessageEndingWith("put one of the chain's pins in pins"
        + " (the chain's pins are: " + PKI.leafPin() + " (leaf CN=localhost), "
        + PKI.intermediatePin() + " (intermediate CN=HPKP Test Intermediate,O=hpkp-filter"
        + " tests)); the chain ends below its root: to pin the root, add it to the trust anchors"
        + " the chain is completed with — trustStore, or --trust");

    params.put("trustStore", "classpath:roots.pem");
    PinPolicy policy = policy();
    assertThat(policy.servedChain()).extracting(c -> c.role().toString())
        .containsExactly("leaf", "intermediate", "root (trust anchor, not sent)");
    assertThat(policy.describe(PKI.rootPin())).isEqualTo("root (trust anchor, not sent) CN=HPKP"
        + " Test Root,O=hpkp-filter tests");
  }

  @Test
  void aBackupPinThatIsTheTrustAnchorIsRefused() throws Exception {
    Files.writeString(dir.resolve("fullchain.pem"), TestPki.pem(PKI.leaf(), PKI.intermediate()));
    java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("test-root", PKI.root());
    Path roots = dir.resolve("roots.p12");
    try (var out = Files.newOutputStream(roots)) {
      trusted.store(out, TestPki.PASSWORD);
    }
    params.put("trustStore", "file:" + roots);
    params.put("backupPins", PKI.rootPin() + ", " + PKI.backupPin());

    assertThatThrownBy(this::policy).hasMessage("trustStorePassword: " + roots + " is a PKCS12"
        + " keystore and shows no certificate without its password; set the password");

    params.put("trustStorePassword", new String(TestPki.PASSWORD));
    assertThatThrownBy(this::policy).hasMessage("backupPins: " + PKI.rootPin() + " matches the"
        + " root certificate CN=HPKP Test Root,O=hpkp-filter tests (the trust anchor the served"
        + " chain validates to, position 2; servers do not send it); a backup pin must be a key"
        + " that is NOT deployed yet — generate one with 'hpkp backup-key'");
  }

  @Test
  void aServedChainOfBase64WithoutArmourIsToldToAddTheBeginEndLines() throws Exception {
    String body = TestPki.pem(PKI.leaf()).replaceAll("-----[A-Z ]+-----", "").strip();
    Files.writeString(chain, body + "\n");
    assertThatThrownBy(this::policy).hasMessage("servedChain: " + chain + " holds base64 without"
        + " PEM armour; add the line -----BEGIN CERTIFICATE----- before it and -----END"
        + " CERTIFICATE----- after it (or the BEGIN/END lines of the key type it holds)");
  }

  @Test
  void hostileTrustStoresAreNamedErrors() throws Exception {
    Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    params.put("trustStore", "file:" + dir.resolve("garbage.pem"));
    assertThatThrownBy(this::policy).isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("trustStore: " + dir.resolve("garbage.pem"));
    params.put("trustStore", "file:/etc/\u0000roots.pem");
    assertThatThrownBy(this::policy).isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("trustStore: 'file:/etc/\\u0000roots.pem' is not a valid path");
    params.put("trustStore", "file:" + dir.resolve("missing.pem"));
    assertThatThrownBy(this::policy).hasMessageStartingWith("trustStore: file:"
        + dir.resolve("missing.pem") + " does not exist");
    params.remove("trustStore");
    params.put("trustStorePassword", "changeit");
    assertThatThrownBy(this::policy).hasMessage("trustStorePassword: set, but trustStore is"
        + " not; set trustStore to the keystore or PEM bundle of roots it opens, or remove it");
  }

  @Test
  void defaultsAreReportOnlyAndSixtyDays() {
    PinPolicy policy = policy();
    assertThat(policy.reportOnly()).isTrue();
    assertThat(policy.maxAgeSeconds()).isEqualTo(5_184_000L);
    assertThat(policy.includeSubDomains()).isFalse();
    assertThat(policy.toString()).isEqualTo("Public-Key-Pins-Report-Only: "
        + PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
        + PKI.secondBackupPin().toDirective()
        + "; max-age=5184000; report-uri=\"https://reports.example.net/hpkp\"");
  }

  @Test
  void pinListsAcceptNewlinesCommasAndKeyFileReferences() throws Exception {
    Path backupPub = dir.resolve("backup.pub.pem");
    Files.writeString(backupPub, TestPki.pem(PKI.backupKey().getPublic()));
    Files.writeString(dir.resolve("leaf.pem"), TestPki.pem(PKI.leaf()));
    params.put("pins", "\n   classpath:leaf.pem\n");
    params.put("backupPins", "file:" + backupPub + ",\n  " + PKI.secondBackupPin().base64());

    PinPolicy policy = policy();

    assertThat(policy.pins()).containsExactly(PKI.leafPin());
    assertThat(policy.backupPins()).containsExactly(PKI.backupPin(), PKI.secondBackupPin());
  }

  @Test
  void malformedPinNamesTheParameterAndSuggestsFileReference() {
    params.put("backupPins", "keys/backup.pem");
    assertThatThrownBy(this::policy).isInstanceOf(PolicyException.class)
        .hasMessage("backupPins: 'keys/backup.pem' is not a SHA-256 pin: expected sha256/"
            + " followed by 44 characters of base64 ending in one '=' (a 32-byte hash), got 15"
            + " characters; to read a key file write file:keys/backup.pem or"
            + " classpath:keys/backup.pem");
  }

  @Test
  void mistypedShaPinGetsNoFileHint() {
    params.put("pins", "sha256/abc.def");
    assertThatThrownBy(this::policy)
        .hasMessage("pins: 'sha256/abc.def' is not a SHA-256 pin: expected sha256/ followed by 44"
            + " characters of base64 ending in one '=' (a 32-byte hash), got 7 characters");
  }

  @Test
  void maxAgeMustBeANonNegativeInteger() {
    params.put("maxAgeSeconds", "60d");
    assertThatThrownBy(this::policy)
        .hasMessage("maxAgeSeconds: '60d' is not a non-negative whole number of seconds (ASCII"
            + " digits only); use e.g. 300 (5 minutes) while testing, up to 5184000 (60 days)");
    params.put("maxAgeSeconds", "-1");
    assertThatThrownBy(this::policy).hasMessageStartingWith("maxAgeSeconds: '-1' is not a");
    params.put("maxAgeSeconds", "300");
    assertThat(policy().maxAgeSeconds()).isEqualTo(300);
  }

  @Test
  void booleansAreExactlyTrueOrFalse() {
    params.put("reportOnly", "yes");
    assertThatThrownBy(this::policy)
        .hasMessage("reportOnly: 'yes' is not a boolean; write exactly true or false (default"
            + " true)");
    params.put("reportOnly", "TRUE");
    assertThatThrownBy(this::policy).hasMessageStartingWith("reportOnly: 'TRUE' is not a");
    params.put("reportOnly", "false");
    params.put("includeSubDomains", "1");
    assertThatThrownBy(this::policy)
        .hasMessage("includeSubDomains: '1' is not a boolean; write exactly true or false"
            + " (default false)");
  }

  @Test
  void unknownParameterSuggestsTheNearestKnownOne() {
    params.put("backupPin", "x");
    assertThatThrownBy(this::config)
        .hasMessage("backupPin: unknown parameter in init-param; did you mean backupPins?");
    params.remove("backupPin");
    params.put("max-age", "600");
    assertThatThrownBy(this::config)
        .hasMessage("max-age: unknown parameter in init-param; did you mean maxAgeSeconds?");
  }

  @Test
  void placeholdersResolveFromEnvironmentAndSystemProperties() {
    env.put("HPKP_BACKUP", PKI.backupPin().toString());
    sys.put("hpkp.report", "https://reports.example.net/x");
    params.put("backupPins", "${env:HPKP_BACKUP} ${env:HPKP_BACKUP2:-" + PKI.secondBackupPin()
        + "}");
    params.put("reportUri", "${sys:hpkp.report}");

    PinPolicy policy = policy();

    assertThat(policy.backupPins()).containsExactly(PKI.backupPin(), PKI.secondBackupPin());
    assertThat(policy.reportUri()).hasValueSatisfying(
        u -> assertThat(u.toString()).isEqualTo("https://reports.example.net/x"));
  }

  @Test
  void aValueFromThePropertiesFileIsNamedWithTheFileInTheError() throws Exception {
    params.remove("reportUri");
    Files.writeString(dir.resolve("hpkp.properties"), "reportUri=ftp://reports.example.net/x\n");
    params.put("config", "classpath:hpkp.properties");
    assertThatThrownBy(this::policy).hasMessage("reportUri: 'ftp://reports.example.net/x' is not"
        + " an absolute http or https URI with a host; use one such as"
        + " https://reports.example.net/hpkp (set in properties file classpath:hpkp.properties)");
  }

  @Test
  void aNulInAFilePathIsANamedErrorNotAnException() throws Exception {
    params.put("config", "classpath:hpkp.properties");
    params.remove("servedChain");
    Files.writeString(dir.resolve("hpkp.properties"), "servedChain=file:/etc/tls/full\\u0000chain.pem\n");
    assertThatThrownBy(this::policy).isInstanceOf(PolicyException.class)
        .hasMessage("servedChain: 'file:/etc/tls/full\\u0000chain.pem' is not a valid path (Nul"
            + " character not allowed); check the value for stray characters (set in properties"
            + " file classpath:hpkp.properties)");
  }

  @Test
  void hugeMaxAgesAreWarnedOrOutOfRangeNeverAnException() {
    for (String huge : new String[] {"32000000000000000", "9223372036854775807"}) {
      params.put("maxAgeSeconds", huge);
      assertThat(policy().warnings()).contains("maxAgeSeconds: " + huge + " is above 5184000"
          + " (60 days); user agents cap it there (RFC 7469 §4.1), so a longer value buys"
          + " nothing and reads as a mistake");
    }
    params.put("maxAgeSeconds", "99999999999999999999");
    assertThatThrownBy(this::policy).hasMessage("maxAgeSeconds: 99999999999999999999 is out of"
        + " range (above 9223372036854775807); use at most 5184000 (60 days), where user agents"
        + " cap it");
  }

  @Test
  void aSha1PinIsNotSupportedAndGetsNoFileHint() {
    params.put("pins", "sha1/xJNXVqG7MCG4ldeOE5a0G2fd5j4=");
    assertThatThrownBy(this::policy).hasMessage("pins: 'sha1/xJNXVqG7MCG4ldeOE5a0G2fd5j4=' is a"
        + " SHA1 pin, which this library does not support: RFC 7469 user agents honour SHA-256"
        + " pins only; compute the SHA-256 pin with 'hpkp pin' or the openssl pipeline");
  }

  @Test
  void reportUriWithUserInformationIsRefusedAndUnusualHostsAreAccepted() {
    params.put("reportUri", "https://user:secret@reports.example.net/x");
    assertThatThrownBy(this::policy).hasMessage("reportUri: 'https://user:secret@reports"
        + ".example.net/x' carries user information ('user:secret@'), which every response"
        + " would publish; remove it and protect the collector another way");
    params.put("reportUri", "https://r.example.org:99999/x");
    assertThatThrownBy(this::policy).hasMessage("reportUri: 'https://r.example.org:99999/x' has"
        + " the port 99999, above 65535; use one such as https://reports.example.net/hpkp");
    for (String accepted : new String[] {"https://a_b.example.org/x", "https://-r.example.org/x",
        "https://r.example.org:8443/x?y=1", "http://[2001:db8::1]:8080/r"}) {
      params.put("reportUri", accepted);
      assertThat(policy().headerValue()).endsWith("report-uri=\"" + accepted + "\"");
    }
  }

  @Test
  void undefinedPlaceholderNamesTheVariable() {
    params.put("servedChainPassword", "${env:KEYSTORE_PASSWORD}");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChainPassword: '${env:KEYSTORE_PASSWORD}' is not set (environment"
            + " variable KEYSTORE_PASSWORD is undefined); define it, or give a default with"
            + " ${env:KEYSTORE_PASSWORD:-default} in a properties file or in code (in web.xml,"
            + " Tomcat replaces ${…:-…} itself before the application sees it)");
    params.put("servedChainPassword", "${KEYSTORE_PASSWORD}");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChainPassword: '${KEYSTORE_PASSWORD}' is not a known placeholder;"
            + " write ${env:NAME} for an environment variable or ${sys:name} for a system"
            + " property");
  }

  @Test
  void propertiesFileSuppliesSettingsButMayNotRepeatAnInitParam() throws Exception {
    Files.writeString(dir.resolve("hpkp.properties"), "maxAgeSeconds=600\n"
        + "includeSubDomains=true\n");
    params.put("config", "classpath:hpkp.properties");
    PinPolicy policy = policy();
    assertThat(policy.maxAgeSeconds()).isEqualTo(600);
    assertThat(policy.includeSubDomains()).isTrue();

    Files.writeString(dir.resolve("hpkp.properties"), "reportUri=https://other.example/\n");
    assertThatThrownBy(this::policy)
        .hasMessage("reportUri: set both as init-param and in properties file"
            + " classpath:hpkp.properties; keep it in one place");

    Files.writeString(dir.resolve("hpkp.properties"), "reportURI=https://other.example/\n");
    assertThatThrownBy(this::policy)
        .hasMessage("reportURI: unknown parameter in properties file classpath:hpkp.properties;"
            + " did you mean reportUri?");
  }

  @Test
  void missingFilesNameTheParameterAndPath() {
    params.put("servedChain", "file:/nonexistent/fullchain.pem");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChain: file:/nonexistent/fullchain.pem does not exist (resolved to"
            + " /nonexistent/fullchain.pem); check the path, or use classpath: for a file"
            + " packaged with the application");
    params.put("servedChain", "classpath:tls/fullchain.pem");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChain: classpath:tls/fullchain.pem is not on the classpath; put the"
            + " file in the application's resources (src/main/resources: WEB-INF/classes in a"
            + " WAR, the root of a JAR) or use file:/absolute/path");
    params.remove("servedChain");
    params.put("config", "classpath:nope.properties");
    assertThatThrownBy(this::config).hasMessageStartingWith("config: classpath:nope.properties"
        + " is not on the classpath");
  }

  @Test
  void emptyServedChainIsRefused() throws Exception {
    Files.writeString(chain, "");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChain: " + chain + " is empty; expected the served certificate chain"
            + " (PEM or DER, leaf first) or a PKCS#12/JKS/JCEKS keystore");
  }

  @Test
  void keystoreServedChainWithWrongPasswordIsItsOwnMessage() throws Exception {
    Path keystore = PKI.writeKeystore(dir.resolve("server.p12"), "server");
    params.put("servedChain", "file:" + keystore);
    params.put("servedChainPassword", "wrong");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChainPassword: " + keystore + ": wrong password (the key material did"
            + " not decrypt with the password given); check the password setting");
    params.put("servedChainPassword", "changeit");
    assertThat(policy().servedChain()).hasSize(3);
  }

  @Test
  void servedChainCheckCanBeSwitchedOffExplicitlyOnly() {
    params.put("servedChainCheck", "false");
    assertThatThrownBy(this::policy)
        .hasMessage("servedChainCheck: false, but servedChain is set to '" + chain + "'; remove"
            + " servedChain, or set servedChainCheck=true to check against it");
    params.remove("servedChain");
    PinPolicy policy = policy();
    assertThat(policy.servedChain()).isEmpty();
    assertThat(policy.warnings()).hasSize(1);
  }
}
