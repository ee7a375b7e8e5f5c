package dev.hpkp.springreactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring WebFlux application on Netty with HTTPS from a PEM SSL bundle: the same hpkp.*
 * properties send the header from a WebFilter, with the chain read from the bundle.
 */
@SpringBootTest(classes = WebFluxHttpsIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebFluxHttpsIT {

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
  }

  @Autowired ReactiveWebServerApplicationContext context;

  @Test
  void nettySendsTheHeaderOnHttps() throws Exception {
    assertThat(context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
    HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trusting(PKI.root())).build();

    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
        "https://localhost:" + context.getWebServer().getPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("hello");
    assertThat(response.headers().allValues("Public-Key-Pins")).containsExactly(
        PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; max-age=600");
  }

}
