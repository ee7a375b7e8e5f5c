package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every container must do with the example WAR, deployed unchanged from
 * {@code target/hpkp-filter-example.war}.
 */
abstract class ContainerContract {

  @TempDir Path dir;

  /** The container under test. */
  abstract ContainerDeployment container();

  /** Logger-name prefix of the container's own log lines. */
  abstract String containerLogger();

  /**
   * Whether the container also finds the filter jar on its own class path, as embedded Tomcat
   * does here (as with the jars in $CATALINA_BASE/lib): then its initializer runs whatever the
   * webapp's ordering says.
   */
  boolean initializerOnContainerClassPath() {
    return false;
  }

  static Path war() {
    Path war = Path.of(System.getProperty("example.war", "target/hpkp-filter-example.war"));
    assertThat(war).as("the built WAR (run through 'mvn verify')").isRegularFile();
    return war;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpClient client(Path dataDir) {
    List<KeyEntry> chain = KeyMaterial.read(dataDir.resolve("keys/fullchain.pem"), null);
    X509Certificate root = chain.get(chain.size() - 1).certificate().orElseThrow();
    return HttpClient.newBuilder().sslContext(TestPki.trusting(root))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void servesTheReportOnlyHeaderOnHttpsOnlyAndShowsReportsOnTheStatusPage() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    int httpsPort = freePort();
    try (ContainerDeployment app = container().deploy(war(), data, "127.0.0.1", httpsPort, 0)) {
      HttpClient client = client(data);
      assertThat(app.header("hpkp")).as("the filter started").isNotNull();
      List<ChainCertificate> chain = KeyMaterial.readServedChain(
          data.resolve("keys/fullchain.pem"), null, null);
      String expected = chain.get(0).pin().toDirective() + "; "
          + KeyMaterial.read(data.resolve("keys/backup-1.csr"), null).get(0).pin().toDirective()
          + "; "
          + KeyMaterial.read(data.resolve("keys/backup-2.csr"), null).get(0).pin().toDirective()
          + "; max-age=600; report-uri=\"https://localhost:" + httpsPort + "/hpkp-report\"";

      HttpResponse<String> secure = client.send(HttpRequest.newBuilder(app.https("/")).build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> plain = client.send(HttpRequest.newBuilder(app.http("/")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(secure.statusCode()).isEqualTo(200);
      assertThat(secure.headers().allValues("Public-Key-Pins-Report-Only"))
          .containsExactly(expected);
      assertThat(app.header("hpkp")).isEqualTo("Public-Key-Pins-Report-Only: " + expected);
      assertThat(secure.headers().firstValue("Public-Key-Pins")).isEmpty();
      assertThat(secure.body()).contains("<h1>hpkp-filter example</h1>",
          "report-only", "backup</span> (not deployed)", "leaf CN=localhost");
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(client.send(HttpRequest.newBuilder(app.https("/no-such-page")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode())
          .as("the status page, mapped at /, is the context root only").isEqualTo(404);
      assertThat(plain.headers().firstValue("Public-Key-Pins-Report-Only")).isEmpty();
      assertThat(plain.headers().firstValue("Public-Key-Pins")).isEmpty();

      HttpResponse<String> report = client.send(HttpRequest.newBuilder(app.https("/hpkp-report"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofFile(data.resolve("sample-report.json"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(report.statusCode()).isEqualTo(204);

      String page = client.send(HttpRequest.newBuilder(app.https("/")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(page).contains("accepted <strong id=\"accepted\">1</strong>",
          "<span class=\"bad\">no-pinned-key-served</span>", "localhost:8443", "127.0.0.x")
          .doesNotContain(">127.0.0.1<");
      assertThat(Files.readAllLines(data.resolve("reports/hpkp-reports.jsonl")))
          .singleElement().asString().contains("\"verdict\":\"no-pinned-key-served\"");
    }
  }

  @Test
  void refusesToDeployWhenABackupPinIsInTheServedChain() throws Exception {
    Path data = ExampleKeys.prepareBackupInChain(dir.resolve("broken"));
    List<ChainCertificate> chain = KeyMaterial.readServedChain(
        data.resolve("keys/fullchain.pem"), null, null);
    try (LogCapture log = new LogCapture();
        ContainerDeployment app = container().deploy(war(), data, "127.0.0.1", 0, 0)) {
      HttpClient client = client(data);
      HttpResponse<String> secure = client.send(HttpRequest.newBuilder(app.https("/")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(secure.statusCode()).isIn(404, 503);
      assertThat(secure.body()).doesNotContain("hpkp-filter example");
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only")).isEmpty();
      assertThat(log.from(containerLogger())).anySatisfy(line -> assertThat(line).contains(
          "HPKP filter hpkp refuses to start: backupPins: " + chain.get(1).pin()
              + " matches the intermediate certificate " + chain.get(1).subject()
              + " (position 1 of the served chain); a backup pin must be a key that is NOT"
              + " deployed yet — generate one with 'hpkp backup-key'"));
    }
  }

  // ---- what a WAR carries (the module split) -------------------------------------------------

  private TestWar pastedPins(ExamplePins pins) {
    return new TestWar().param("pins", pins.leaf()).param("backupPins", pins.backups())
        .param("reportUri", "https://reports.example.net/hpkp").param("maxAgeSeconds", "600")
        .param("servedChain", pins.chain());
  }

  /** backupPins names a CSR file; {@code withKeys} adds hpkp-keys-bouncycastle and BouncyCastle. */
  private TestWar csrWar(ExamplePins pins, boolean withKeys) {
    TestWar war = pastedPins(pins).param("backupPins", "file:" + pins.csr() + ", "
        + pins.backups().split(", ")[1]).lib("hpkp-core-").lib("hpkp-filter-");
    return withKeys ? war.lib("hpkp-keys-bouncycastle-").lib("bcprov-").lib("bcpkix-").lib("bcutil-") : war;
  }

  /** The example's generated chain and backup CSRs, as init-param values. */
  private record ExamplePins(String leaf, String backups, String chain, Path csr) {
    static ExamplePins of(Path data) {
      Path chain = data.resolve("keys/fullchain.pem");
      Path csr = data.resolve("keys/backup-1.csr");
      return new ExamplePins(KeyMaterial.readServedChain(chain, null, null).get(0).pin()
          .toString(), KeyMaterial.read(csr, null).get(0).pin() + ", "
          + KeyMaterial.read(data.resolve("keys/backup-2.csr"), null).get(0).pin(),
          "file:" + chain, csr);
    }
  }

  @Test
  void deploysAWarThatPastesPinsWithOnlyHpkpFilterAndHpkpCore() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path war = pastedPins(pins).lib("hpkp-core-").lib("hpkp-filter-")
        .writeTo(dir.resolve("pasted.war"));
    assertThat(TestWar.libs(war)).hasSize(2).allMatch(jar -> jar.startsWith("hpkp-core-")
        || jar.startsWith("hpkp-filter-"));
    try (ContainerDeployment app = container().deploy(war, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(secure.statusCode()).isEqualTo(200);
      assertThat(secure.body()).isEqualTo("hello");
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only")).hasValueSatisfying(
          value -> assertThat(value).startsWith("pin-sha256=\"" + pins.leaf().substring(7)));
    }
  }

  @Test
  void refusesToDeployAWarThatReferencesACsrWithoutHpkpKeys() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path war = csrWar(pins, false).writeTo(dir.resolve("csr-without-keys.war"));
    try (LogCapture log = new LogCapture();
        ContainerDeployment app = container().deploy(war, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(secure.statusCode()).isIn(404, 503);
      assertThat(secure.body()).doesNotContain("hello");
      assertThat(log.from(containerLogger())).anySatisfy(line -> assertThat(line).contains(
          "HPKP filter hpkp refuses to start: backupPins: " + pins.csr() + ": PEM block 1"
              + " (CERTIFICATE REQUEST) can only be read by the hpkp-keys-bouncycastle module"
              + " (dev.hpkp:hpkp-keys-bouncycastle), which is not on the class path; add it to the"
              + " application, or configure the pin itself: 'hpkp pin " + pins.csr()
              + "' prints it"));
    }
  }

  @Test
  void deploysAWarThatReferencesACsrWithHpkpKeys() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path war = csrWar(pins, true).writeTo(dir.resolve("csr-with-keys.war"));
    try (ContainerDeployment app = container().deploy(war, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(secure.statusCode()).isEqualTo(200);
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only")).hasValueSatisfying(
          value -> assertThat(value).contains(pins.backups().split(", ")[0].substring(7)));
    }
  }

  // ---- the drop-in: context-params only, no <filter> (#22 item 3) ----------------------------

  @Test
  void aWarWithOnlyTheFilterJarAndContextParamsSendsTheHeader() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path war = pastedPins(pins).asContextParams().lib("hpkp-core-").lib("hpkp-filter-")
        .writeTo(dir.resolve("drop-in.war"));
    assertThat(Files.readString(war.resolve("WEB-INF/web.xml"))).doesNotContain("<filter>")
        .contains("<param-name>hpkp.pins</param-name>");
    try (ContainerDeployment app = container().deploy(war, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(
          app.https("/some/page")).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> plain = client(data).send(HttpRequest.newBuilder(app.http("/"))
          .build(), HttpResponse.BodyHandlers.ofString());

      assertThat(secure.body()).isEqualTo("hello");
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only")).hasValueSatisfying(
          value -> assertThat(value).startsWith("pin-sha256=\"" + pins.leaf().substring(7)));
      assertThat(plain.headers().firstValue("Public-Key-Pins-Report-Only")).isEmpty();
    }
  }

  @Test
  void aDropInWarWithABadValueRefusesToDeployNamingTheContextParam() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path war = pastedPins(pins).param("maxAgeSeconds", "60d").asContextParams()
        .lib("hpkp-core-").lib("hpkp-filter-").writeTo(dir.resolve("drop-in-bad.war"));
    try (LogCapture log = new LogCapture();
        ContainerDeployment app = container().deploy(war, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(secure.statusCode()).isIn(404, 503);
      assertThat(secure.body()).doesNotContain("hello");
      assertThat(log.from(containerLogger())).anySatisfy(line -> assertThat(line).contains(
          "HPKP filter hpkp refuses to start: hpkp.maxAgeSeconds: '60d' is not a non-negative"
              + " whole number of seconds"));
    }
  }

  // ---- renewals: a fragment name for absolute orderings, the served chain replaced (#30) ------

  @Test
  void anAbsoluteOrderingThatNamesTheFragmentKeepsTheDropInAndAnEmptyOneSkipsIt()
      throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path named = pastedPins(pins).asContextParams().ordering("  <absolute-ordering><name>"
        + "hpkp_filter</name></absolute-ordering>\n").lib("hpkp-core-").lib("hpkp-filter-")
        .writeTo(dir.resolve("ordered.war"));
    try (ContainerDeployment app = container().deploy(named, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(secure.body()).isEqualTo("hello");
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only")).isPresent();
    }
    Path empty = pastedPins(pins).asContextParams().ordering("  <absolute-ordering/>\n")
        .lib("hpkp-core-").lib("hpkp-filter-").writeTo(dir.resolve("unordered.war"));
    try (ContainerDeployment app = container().deploy(empty, data, "127.0.0.1", 0, 0)) {
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      // what the README warns of: the initializer skipped, no header and no word (unless the
      // container runs it from its own class path)
      assertThat(secure.body()).isEqualTo("hello");
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only").isPresent())
          .isEqualTo(initializerOnContainerClassPath());
    }
  }

  @Test
  void aServedChainReplacedWithANewKeyIsASevereLineAndTheWebappKeepsServing() throws Exception {
    Path data = ExampleKeys.prepare(dir.resolve("data"));
    ExamplePins pins = ExamplePins.of(data);
    Path live = Files.createDirectories(dir.resolve("live"));
    Path chain = Files.copy(data.resolve("keys/fullchain.pem"), live.resolve("fullchain.pem"));
    Path war = pastedPins(pins).param("servedChain", "file:" + chain)
        .param("servedChainQuietPeriodMillis", "300").lib("hpkp-core-").lib("hpkp-filter-")
        .writeTo(dir.resolve("watched.war"));
    try (LogCapture log = new LogCapture();
        ContainerDeployment app = container().deploy(war, data, "127.0.0.1", 0, 0)) {
      // a renewal on a key no pin covers, moved into place as an ACME client does
      Path next = Files.writeString(live.resolve("fullchain.pem.new"),
          TestPki.pem(TestPki.localhost().chain().toArray()));
      Files.move(next, chain, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (log.from("dev.hpkp.servlet.HpkpFilter").stream()
          .noneMatch(line -> line.contains("changed: lockout: "))) {
        assertThat(System.nanoTime()).as("a lockout line within 20 s").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(log.from("dev.hpkp.servlet.HpkpFilter")).anySatisfy(line -> assertThat(line)
          .startsWith("dev.hpkp.servlet.HpkpFilter SEVERE HPKP filter hpkp: servedChain "
              + chain + " changed: lockout: pins: no pinned key is in the served chain"));
      HttpResponse<String> secure = client(data).send(HttpRequest.newBuilder(app.https("/"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(secure.body()).isEqualTo("hello");
      assertThat(secure.headers().firstValue("Public-Key-Pins-Report-Only")).isPresent();
    }
  }
}
