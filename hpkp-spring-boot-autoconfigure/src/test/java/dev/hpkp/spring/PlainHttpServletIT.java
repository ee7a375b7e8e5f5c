package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.springapp.BootTests;
import dev.hpkp.springapp.TlsApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same application on plain HTTP (TLS ends on a proxy: the served chain named by
 * hpkp.served-chain): the policy is validated and the filter runs, but no HTTP response carries
 * a pinning header (RFC 7469 §2.2.2).
 */
@SpringBootTest(classes = TlsApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlainHttpServletIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("hpkp.pins", () -> TlsApp.PKI.leafPin().toString());
    registry.add("hpkp.backup-pins", () -> TlsApp.PKI.backupPin().toString());
    registry.add("hpkp.report-only", () -> "false");
    registry.add("hpkp.served-chain", () -> "file:" + TlsApp.DIR.resolve("chain.pem"));
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;

  @Test
  void noHeaderOnPlainHttp() throws Exception {
    assertThat(BootTests.webServer(context)).isEqualTo(BootTests.expectedServletServer());
    assertThat(context.getBean(HpkpPolicySet.class).get("hpkp").headerName())
        .isEqualTo("Public-Key-Pins");

    HttpResponse<String> plain = BootTests.get(TlsApp.PKI, "http://localhost:" + port + "/");

    assertThat(plain.body()).isEqualTo("hello");
    assertThat(plain.headers().map()).doesNotContainKeys("public-key-pins-report-only",
        "public-key-pins");
  }
}
