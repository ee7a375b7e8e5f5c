package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.Pin;
import dev.hpkp.springapp.BootTests;
import dev.hpkp.springapp.TlsApp;
import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Boot application whose PEM SSL bundle has {@code reload-on-update: true}, with its files
 * replaced as an ACME client renews: on a new key the policy is judged again, the lockout is an
 * ERROR line in the guard's words, the health DOWN, {@code /actuator/hpkp} shows the chain served
 * now, and Micrometer counts it; onto a backup key, a WARN and a health that says so.
 */
@SpringBootTest(classes = TlsApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReloadServletIT {

  /** What the re-check logs (System.Logger reaches java.util.logging here). */
  private static final java.util.logging.Logger LOGGER =
      java.util.logging.Logger.getLogger(HpkpPolicySet.class.getName());
  private static final java.util.List<String> LINES =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private static final java.util.logging.Handler CAPTURE = new java.util.logging.Handler() {
    @Override
    public void publish(java.util.logging.LogRecord record) {
      LINES.add(record.getLevel() + " " + record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private java.util.logging.Level level;

  /**
   * Once the context has started (Boot's logging set-up resets java.util.logging): every level,
   * since the tests' logback configuration passes on only ERROR, and INFO and WARN are asserted.
   */
  @org.junit.jupiter.api.BeforeEach
  void capture() {
    level = LOGGER.getLevel();
    LOGGER.setLevel(java.util.logging.Level.ALL);
    LOGGER.addHandler(CAPTURE);
  }

  @org.junit.jupiter.api.AfterEach
  void release() {
    LOGGER.removeHandler(CAPTURE);
    LOGGER.setLevel(level);
  }

  private static String output() {
    synchronized (LINES) {
      return String.join("\n", LINES);
    }
  }

  private static final TestPki PKI = TlsApp.PKI;
  private static final Path DIR = TlsApp.pemBundle("hpkp-reload");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.ssl.bundle.pem.web.keystore.certificate",
        () -> "file:" + DIR.resolve("chain.pem"));
    registry.add("spring.ssl.bundle.pem.web.keystore.private-key",
        () -> "file:" + DIR.resolve("key.pem"));
    registry.add("spring.ssl.bundle.pem.web.reload-on-update", () -> "true");
    registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "300ms");
    registry.add("server.ssl.bundle", () -> "web");
    registry.add("hpkp.pins", () -> PKI.leafPin().toString());
    registry.add("hpkp.backup-pins", () -> PKI.backupPin() + "," + PKI.secondBackupPin());
    registry.add("hpkp.max-age", () -> "600s");
    registry.add("hpkp.report-only", () -> "false");
    registry.add("management.endpoints.web.exposure.include", () -> "hpkp,health");
    registry.add("management.endpoint.health.show-details", () -> "always");
  }

  @LocalServerPort int port;
  @Autowired HpkpPolicySet policies;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  /** The key first, then the chain, each moved into place: as an ACME client writes them. */
  private static void renewOn(KeyPair key) throws IOException {
    Path keyNext = Files.writeString(DIR.resolve("key.pem.new"),
        TestPki.pkcs8Pem(key.getPrivate()));
    Files.move(keyNext, DIR.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Path chainNext = Files.writeString(DIR.resolve("chain.pem.new"),
        TestPki.pem(PKI.renewedOn(key).subList(0, 2).toArray()));
    Files.move(chainNext, DIR.resolve("chain.pem"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static void await(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(100);
    }
  }

  private String get(String path) throws Exception {
    return BootTests.get(PKI, "https://localhost:" + port + path).body();
  }

  @Test
  void aReloadOnANewKeyIsALockoutAndOntoABackupARotation() throws Exception {
    assertThat(policies.verdict(HpkpPolicySet.MAIN).kind()).isEqualTo(ChainVerdict.Kind.PINNED);
    assertThat(get("/actuator/health/hpkp")).contains("\"status\":\"UP\"");

    KeyPair fresh = TestPki.ecKey();
    Pin freshPin = KeyMaterial.pinOf(fresh.getPublic());
    renewOn(fresh);
    await(() -> policies.verdict(HpkpPolicySet.MAIN).kind() == ChainVerdict.Kind.LOCKOUT,
        "the lockout verdict after the reload");

    assertThat(output()).contains("SEVERE HPKP policy hpkp.*: SSL bundle 'web'"
        + " (server.ssl.bundle) changed: lockout: hpkp.pins: no pinned key is in the served"
        + " chain, whose leaf CN=localhost has the new key " + freshPin)
        .contains("for up to max-age=600 seconds");
    String health = get("/actuator/health/hpkp");
    assertThat(health).contains("\"status\":\"DOWN\"", "\"servedChain\":\"lockout\"");
    String endpoint = get("/actuator/hpkp");
    assertThat(endpoint).contains("\"verdict\":\"lockout\"",
        "{\"pin\":\"" + PKI.leafPin() + "\",\"matches\":\"not served\"}",
        "\"pin\":\"" + freshPin + "\"");
    assertThat(meters.get("hpkp.chain.changes").tag("verdict", "lockout").functionCounter()
        .count()).isEqualTo(1.0);

    renewOn(PKI.backupKey());
    await(() -> policies.verdict(HpkpPolicySet.MAIN).kind()
        == ChainVerdict.Kind.ROTATED_ONTO_BACKUP, "the rotation verdict after the reload");
    assertThat(output()).contains("WARNING HPKP policy hpkp.*: SSL bundle 'web' (server.ssl.bundle)"
        + " changed: rotated-onto-backup: hpkp.pins: backup pin "
        + PKI.backupPin() + " matches the leaf certificate CN=localhost")
        .contains("move " + PKI.backupPin() + " from hpkp.backup-pins to hpkp.pins");
    assertThat(get("/actuator/health/hpkp")).contains("\"status\":\"UP\"",
        "\"servedChain\":\"rotated-onto-backup\"");

    renewOn(PKI.leafKey());
    await(() -> policies.verdict(HpkpPolicySet.MAIN).kind() == ChainVerdict.Kind.PINNED,
        "the pinned verdict after a renewal on the pinned key");
    assertThat(get("/actuator/health/hpkp")).contains("\"status\":\"UP\"");
    assertThat(output()).contains("INFO HPKP policy hpkp.*: SSL bundle 'web' (server.ssl.bundle)"
        + " changed: pinned: the served chain (leaf CN=localhost");
  }
}
