package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.springapp.BootTests;
import dev.hpkp.springapp.TlsApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a real Boot application over HTTPS, on whichever servlet server the run put on
 * the class path (Tomcat, Jetty, Undertow on Boot 3.5) and on the starter's own Boot generation:
 * the served chain from the SSL bundle (no hpkp.served-chain), a rotation pair (the enforced
 * policy and a report-only one), both headers on a 401 from Spring Security, /actuator/hpkp,
 * the health indicator, the collector and its Micrometer counters.
 */
@SpringBootTest(classes = TlsApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpsServletIT {

  private static final TestPkiHeaders HEADERS = new TestPkiHeaders(TlsApp.PKI);

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TlsApp.tls(registry);
    registry.add("hpkp.pins", () -> TlsApp.PKI.leafPin().toString());
    registry.add("hpkp.backup-pins", () -> TlsApp.PKI.backupPin() + ","
        + TlsApp.PKI.secondBackupPin());
    registry.add("hpkp.max-age", () -> "600s");
    registry.add("hpkp.report-only", () -> "false");
    registry.add("hpkp.report-uri", () -> "https://reports.example.net/hpkp");
    registry.add("hpkp.report-only-policy.pins", () -> TlsApp.PKI.intermediatePin().toString());
    registry.add("hpkp.report-only-policy.backup-pins", () -> TlsApp.PKI.backupPin().toString());
    registry.add("hpkp.report-only-policy.max-age", () -> "300s");
    registry.add("hpkp.report-only-policy.report-uri", () -> "https://reports.example.net/next");
    registry.add("management.endpoints.web.exposure.include", () -> "hpkp,health");
    registry.add("management.endpoint.health.show-details", () -> "always");
    registry.add("hpkp.collector.enabled", () -> "true");
    registry.add("hpkp.collector.sink", () -> "jsonl");
    registry.add("hpkp.collector.file", () -> TlsApp.DIR.resolve("reports.jsonl").toString());
  }

  /** The two header values this application must send. */
  record TestPkiHeaders(dev.hpkp.testing.TestPki pki) {
    String enforced() {
      return pki.leafPin().toDirective() + "; " + pki.backupPin().toDirective() + "; "
          + pki.secondBackupPin().toDirective()
          + "; max-age=600; report-uri=\"https://reports.example.net/hpkp\"";
    }

    String reportOnly() {
      return pki.intermediatePin().toDirective() + "; " + pki.backupPin().toDirective()
          + "; max-age=300; report-uri=\"https://reports.example.net/next\"";
    }
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;

  private String base() {
    return "https://localhost:" + port;
  }

  @Test
  void theRotationPairIsOnHttpsAndOnASpringSecurity401() throws Exception {
    assertThat(BootTests.webServer(context)).isEqualTo(BootTests.expectedServletServer());

    HttpResponse<String> open = BootTests.get(TlsApp.PKI, base() + "/");
    HttpResponse<String> denied = BootTests.get(TlsApp.PKI, base() + "/secret");

    assertThat(open.body()).isEqualTo("hello");
    for (HttpResponse<String> response : java.util.List.of(open, denied)) {
      assertThat(response.headers().allValues("Public-Key-Pins"))
          .containsExactly(HEADERS.enforced());
      assertThat(response.headers().allValues("Public-Key-Pins-Report-Only"))
          .containsExactly(HEADERS.reportOnly());
    }
    assertThat(denied.statusCode()).isEqualTo(401);
  }

  @Test
  void actuatorShowsBothPoliciesAndTheRenewalDate() throws Exception {
    String policy = BootTests.get(TlsApp.PKI, base() + "/actuator/hpkp").body();
    HttpResponse<String> health = BootTests.get(TlsApp.PKI, base() + "/actuator/health/hpkp");

    Instant renewBy = TlsApp.PKI.leaf().getNotAfter().toInstant().minusSeconds(600)
        .minus(Duration.ofDays(30));
    assertThat(policy).contains("\"filter\":\"hpkp\"", "\"header\":\"Public-Key-Pins\"",
        "\"filter\":\"hpkp-report-only\"", "\"header\":\"Public-Key-Pins-Report-Only\"",
        "{\"pin\":\"" + TlsApp.PKI.leafPin() + "\",\"matches\":\"leaf CN=localhost\"}",
        "{\"pin\":\"" + TlsApp.PKI.backupPin() + "\",\"matches\":\"backup\"}",
        "\"renewBy\":\"" + renewBy + "\"");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"")
        .contains("\"renewBy\":\"" + renewBy + "\"");
  }

  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  @Test
  void theCollectorStoresAReportAndMicrometerCountsItByVerdict() throws Exception {
    HttpResponse<String> stored = BootTests.post(TlsApp.PKI, base() + "/hpkp-report",
        "application/json", dev.hpkp.testing.Reports.interception(TlsApp.PKI, "a.example"));
    HttpResponse<String> wrongType = BootTests.post(TlsApp.PKI, base() + "/hpkp-report",
        "text/plain", "x");

    assertThat(stored.statusCode()).isEqualTo(204);
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(meters.get("hpkp.reports").tag("verdict", "no-pinned-key-served")
        .functionCounter().count()).isEqualTo(1.0);
    assertThat(meters.get("hpkp.reports").tag("verdict", "pins-match").functionCounter()
        .count()).isZero();
    assertThat(meters.get("hpkp.reports.rejected").tags("reason", "unsupported-media-type")
        .functionCounter().count()).isEqualTo(1.0);
    assertThat(java.nio.file.Files.readString(TlsApp.DIR.resolve("reports.jsonl")))
        .contains("\"hostname\":\"a.example\"");
  }

  @Test
  void aTrustKitReportIsStoredAndActuatorShowsItsApp() throws Exception {
    HttpResponse<String> stored = BootTests.post(TlsApp.PKI, base() + "/hpkp-report",
        // a verdict the other collector test does not count: a pinned key served, another path
        // validated
        "application/json", dev.hpkp.testing.TrustKitReports.android("app.example",
            TlsApp.PKI.chain(), dev.hpkp.testing.TestPki.otherCa("Other CA").chain(),
            java.util.List.of(TlsApp.PKI.leafPin(), TlsApp.PKI.backupPin())));
    assertThat(stored.statusCode()).isEqualTo(204);
    assertThat(BootTests.get(TlsApp.PKI, base() + "/actuator/hpkp").body()).contains(
        "\"collector\":{", "\"host\":\"app.example\"", "\"bundleId\":\"com.example.shop\"",
        "\"platform\":\"ANDROID\"", "\"validationResult\":\"failed-no-matching-pin\"",
        "\"verdict\":\"pinned-key-not-validated\"")
        .doesNotContain("5f3c1e2a");
  }
}
