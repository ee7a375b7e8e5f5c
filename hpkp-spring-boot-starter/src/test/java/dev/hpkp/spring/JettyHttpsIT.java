package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.springapp.TlsApp;
import dev.hpkp.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same application on embedded Jetty 12 (the failsafe run swaps spring-boot-starter-tomcat
 * for spring-boot-starter-jetty): the chain from the PEM bundle, the header on HTTPS and on
 * Spring Security's 401.
 */
@SpringBootTest(classes = TlsApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JettyHttpsIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TlsApp.tls(registry);
    registry.add("hpkp.pins", () -> TlsApp.PKI.leafPin().toString());
    registry.add("hpkp.backup-pins", () -> TlsApp.PKI.backupPin().toString());
    registry.add("hpkp.report-only", () -> "false");
  }

  @Autowired ServletWebServerApplicationContext context;

  @Test
  void jettyServesTheHeaderOnHttpsAndOnA401() throws Exception {
    assertThat(context.getWebServer().getClass().getSimpleName()).isEqualTo("JettyWebServer");
    HttpClient client = HttpClient.newBuilder()
        .sslContext(TestPki.trusting(TlsApp.PKI.root())).build();
    String base = "https://localhost:" + context.getWebServer().getPort();

    HttpResponse<String> open = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> denied = client.send(HttpRequest.newBuilder(
        URI.create(base + "/secret")).build(), HttpResponse.BodyHandlers.ofString());

    String expected = TlsApp.PKI.leafPin().toDirective() + "; "
        + TlsApp.PKI.backupPin().toDirective() + "; max-age=5184000";
    assertThat(open.body()).isEqualTo("hello");
    assertThat(open.headers().allValues("Public-Key-Pins")).containsExactly(expected);
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(denied.headers().allValues("Public-Key-Pins")).containsExactly(expected);
  }
}
