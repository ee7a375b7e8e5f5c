package dev.hpkp.springapp;

import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot application as a user writes it, in its own package as a user's is (scanning the
 * starter's package would pick up its nested configurations); HTTPS from a PEM SSL bundle of a
 * generated chain.
 */
@SpringBootApplication
@RestController
public class TlsApp {

  public static final TestPki PKI = TestPki.localhost();
  public static final Path DIR;

  static {
    DIR = pemBundle("hpkp-boot");
  }

  /** A new directory with chain.pem (leaf, intermediate) and key.pem of {@link #PKI}. */
  public static Path pemBundle(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.writeString(dir.resolve("chain.pem"), TestPki.pem(PKI.leaf(), PKI.intermediate()));
      Files.writeString(dir.resolve("key.pem"), TestPki.pkcs8Pem(PKI.leafKey().getPrivate()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The properties of application.yml that give the server its TLS. */
  public static String[] tls() {
    return new String[] {
        "spring.ssl.bundle.pem.web.keystore.certificate=file:" + DIR.resolve("chain.pem"),
        "spring.ssl.bundle.pem.web.keystore.private-key=file:" + DIR.resolve("key.pem"),
        "server.ssl.bundle=web"};
  }

  /** {@link #tls()}, for a {@code @DynamicPropertySource}. */
  public static void tls(org.springframework.test.context.DynamicPropertyRegistry registry) {
    for (String property : tls()) {
      String[] pair = property.split("=", 2);
      registry.add(pair[0], () -> pair[1]);
    }
  }

  @GetMapping("/")
  String hello() {
    return "hello";
  }

  @GetMapping("/secret")
  String secret() {
    return "secret";
  }

  /**
   * Spring Security as a user sets it up: / is open, /secret needs a login (401 without), the
   * collector takes posts without a CSRF token.
   */
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(requests -> requests.requestMatchers("/secret")
        .authenticated().anyRequest().permitAll()).httpBasic(Customizer.withDefaults())
        // user agents post reports without a CSRF token, as to any collector
        .csrf(csrf -> csrf.ignoringRequestMatchers("/hpkp-report")).build();
  }
}
