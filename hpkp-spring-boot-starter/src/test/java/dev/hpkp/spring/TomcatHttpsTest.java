package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.springapp.TlsApp;
import dev.hpkp.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a real Boot application on embedded Tomcat over HTTPS: the served chain comes
 * from the SSL bundle (no hpkp.served-chain), the header is on HTTPS and not on a plain
 * connector.
 */
@SpringBootTest(classes = {TlsApp.class, TomcatHttpsTest.PlainConnector.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TomcatHttpsTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TlsApp.tls(registry);
    registry.add("hpkp.pins", () -> TlsApp.PKI.leafPin().toString());
    registry.add("hpkp.backup-pins", () -> TlsApp.PKI.backupPin() + ","
        + TlsApp.PKI.secondBackupPin());
    registry.add("hpkp.max-age", () -> "600s");
    registry.add("hpkp.report-uri", () -> "https://reports.example.net/hpkp");
    registry.add("management.endpoints.web.exposure.include", () -> "hpkp,health");
    registry.add("management.endpoint.health.show-details", () -> "always");
    registry.add("hpkp.collector.enabled", () -> "true");
    registry.add("hpkp.collector.sink", () -> "jsonl");
    registry.add("hpkp.collector.file", () -> TlsApp.DIR.resolve("reports.jsonl").toString());
  }

  /** A second, plain HTTP connector, for the rule that HTTP responses carry no header. */
  @TestConfiguration
  static class PlainConnector {
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> plain() {
      return factory -> {
        Connector plain = new Connector();
        plain.setPort(0);
        factory.addAdditionalTomcatConnectors(plain);
      };
    }
  }

  @Autowired ServletWebServerApplicationContext context;

  @Test
  void theHeaderIsOnHttpsOnlyAndTheChainCameFromTheBundle() throws Exception {
    int https = context.getWebServer().getPort();
    int http = ((TomcatWebServer) context.getWebServer()).getTomcat().getService()
        .findConnectors()[1].getLocalPort();
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TestPki.trusting(TlsApp.PKI.root())).build();

    HttpResponse<String> secure = client.send(HttpRequest.newBuilder(
        URI.create("https://localhost:" + https + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> plain = client.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + http + "/")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(secure.body()).isEqualTo("hello");
    assertThat(secure.headers().allValues("Public-Key-Pins-Report-Only")).containsExactly(
        TlsApp.PKI.leafPin().toDirective() + "; " + TlsApp.PKI.backupPin().toDirective() + "; "
            + TlsApp.PKI.secondBackupPin().toDirective()
            + "; max-age=600; report-uri=\"https://reports.example.net/hpkp\"");
    assertThat(plain.body()).isEqualTo("hello");
    assertThat(plain.headers().map()).doesNotContainKeys("public-key-pins-report-only",
        "public-key-pins");
  }

  @Test
  void actuatorShowsThePolicyAndItsRenewalDate() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TestPki.trusting(TlsApp.PKI.root())).build();
    String base = "https://localhost:" + context.getWebServer().getPort();

    String policy = client.send(HttpRequest.newBuilder(URI.create(base + "/actuator/hpkp"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(
        URI.create(base + "/actuator/health/hpkp")).build(), HttpResponse.BodyHandlers.ofString());

    java.time.Instant renewBy = TlsApp.PKI.leaf().getNotAfter().toInstant().minusSeconds(600)
        .minus(java.time.Duration.ofDays(30));
    assertThat(policy).contains("\"filter\":\"hpkp\"",
        "\"header\":\"Public-Key-Pins-Report-Only\"",
        "{\"pin\":\"" + TlsApp.PKI.leafPin() + "\",\"matches\":\"leaf CN=localhost\"}",
        "{\"pin\":\"" + TlsApp.PKI.backupPin() + "\",\"matches\":\"backup\"}",
        "\"renewBy\":\"" + renewBy + "\"");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("{\"status\":\"UP\"")
        .contains("\"renewBy\":\"" + renewBy + "\"");
  }

  @Autowired io.micrometer.core.instrument.MeterRegistry meters;

  @Test
  void theCollectorStoresAReportAndMicrometerCountsItByVerdict() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TestPki.trusting(TlsApp.PKI.root())).build();

    HttpResponse<String> stored = client.send(HttpRequest.newBuilder(URI.create("https://localhost:"
        + context.getWebServer().getPort() + "/hpkp-report"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            dev.hpkp.testing.Reports.interception(TlsApp.PKI, "a.example"))).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrongType = client.send(HttpRequest.newBuilder(URI.create(
        "https://localhost:" + context.getWebServer().getPort() + "/hpkp-report"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x"))
        .build(), HttpResponse.BodyHandlers.ofString());

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
  void aFourOhOneFromSpringSecurityCarriesTheHeader() throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TestPki.trusting(TlsApp.PKI.root())).build();

    HttpResponse<String> denied = client.send(HttpRequest.newBuilder(URI.create(
        "https://localhost:" + context.getWebServer().getPort() + "/secret")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(denied.headers().firstValue("Public-Key-Pins-Report-Only")).get().asString()
        .startsWith(TlsApp.PKI.leafPin().toDirective());
  }
}
