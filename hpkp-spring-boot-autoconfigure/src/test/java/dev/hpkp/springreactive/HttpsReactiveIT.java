package dev.hpkp.springreactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.springapp.BootTests;
import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring WebFlux application on Netty with HTTPS from a PEM SSL bundle, with what the servlet
 * side has: the rotation pair (both headers), /actuator/hpkp and the hpkp health indicator.
 */
@SpringBootTest(classes = HttpsReactiveIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpsReactiveIT {

  static final TestPki PKI = TestPki.localhost();

  @SpringBootApplication
  @RestController
  static class App {
    @GetMapping("/")
    String hello() {
      return "hello";
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("hpkp-webflux");
    Path chain = Files.writeString(dir.resolve("chain.pem"),
        TestPki.pem(PKI.leaf(), PKI.intermediate()));
    Path key = Files.writeString(dir.resolve("key.pem"),
        TestPki.pkcs8Pem(PKI.leafKey().getPrivate()));
    registry.add("spring.ssl.bundle.pem.web.keystore.certificate", () -> "file:" + chain);
    registry.add("spring.ssl.bundle.pem.web.keystore.private-key", () -> "file:" + key);
    registry.add("server.ssl.bundle", () -> "web");
    registry.add("hpkp.pins", () -> PKI.leafPin().toString());
    registry.add("hpkp.backup-pins", () -> PKI.backupPin().toString());
    registry.add("hpkp.report-only", () -> "false");
    registry.add("hpkp.max-age", () -> "10m");
    registry.add("hpkp.report-only-policy.pins", () -> PKI.intermediatePin().toString());
    registry.add("hpkp.report-only-policy.backup-pins", () -> PKI.secondBackupPin().toString());
    registry.add("hpkp.report-only-policy.report-uri", () -> "https://reports.example.net/n");
    registry.add("management.endpoints.web.exposure.include", () -> "hpkp,health");
    registry.add("management.endpoint.health.show-details", () -> "always");
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;

  @Test
  void nettySendsBothHeadersOnHttps() throws Exception {
    assertThat(BootTests.webServer(context)).isEqualTo("NettyWebServer");

    HttpResponse<String> response = BootTests.get(PKI, "https://localhost:" + port + "/");

    assertThat(response.body()).isEqualTo("hello");
    assertThat(response.headers().allValues("Public-Key-Pins")).containsExactly(
        PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; max-age=600");
    assertThat(response.headers().allValues("Public-Key-Pins-Report-Only")).containsExactly(
        PKI.intermediatePin().toDirective() + "; " + PKI.secondBackupPin().toDirective()
            + "; max-age=5184000; report-uri=\"https://reports.example.net/n\"");
  }

  @Test
  void actuatorHasTheEndpointAndTheHealthIndicator() throws Exception {
    String base = "https://localhost:" + port;

    HttpResponse<String> policies = BootTests.get(PKI, base + "/actuator/hpkp");
    HttpResponse<String> health = BootTests.get(PKI, base + "/actuator/health/hpkp");

    assertThat(policies.statusCode()).isEqualTo(200);
    assertThat(policies.body()).contains("\"filter\":\"hpkp\"",
        "\"filter\":\"hpkp-report-only\"", "\"matches\":\"leaf CN=localhost\"");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"renewBy\":\"");
  }
}
