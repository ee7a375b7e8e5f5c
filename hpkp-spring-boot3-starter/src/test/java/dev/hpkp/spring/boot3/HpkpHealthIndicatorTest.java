package dev.hpkp.spring.boot3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.spring.HpkpAutoConfiguration;
import dev.hpkp.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The hpkp health indicator on Boot 3.5's health API: DOWN once the renewal date has passed, and
 * the same date as the start-up rule for a max-age above the 60-day cap.
 */
class HpkpHealthIndicatorTest {

  @TempDir Path dir;

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(HpkpAutoConfiguration.class,
          SslAutoConfiguration.class, HpkpHealthAutoConfiguration.class));

  private Health health(TestPki pki, String maxAge) throws Exception {
    String chain = "file:" + pki.writeChainPem(dir.resolve(maxAge + ".pem"));
    Health[] health = new Health[1];
    runner.withPropertyValues("hpkp.pins=" + pki.leafPin(), "hpkp.backup-pins="
        + pki.backupPin(), "hpkp.report-uri=https://r.example.net/", "hpkp.served-chain="
        + chain, "hpkp.max-age=" + maxAge).run(context ->
          health[0] = context.getBean(HpkpHealthIndicator.class).health());
    return health[0];
  }

  @Test
  void downOnceTheRenewalDateHasPassedAndCappedAsTheStartUpRuleIs() throws Exception {
    TestPki fortyDays = TestPki.create("localhost", Duration.ofDays(40));
    TestPki year = TestPki.create("localhost", Duration.ofDays(365));

    Health overdue = health(fortyDays, "20d");
    Health fine = health(fortyDays, "1d");
    Health aboveTheCap = health(year, "340d");

    assertThat(overdue.getStatus()).isEqualTo(Status.DOWN);
    assertThat(overdue.getDetails().get("hpkp").toString()).contains("renewal overdue");
    assertThat(fine.getStatus()).isEqualTo(Status.UP);
    assertThat(aboveTheCap.getStatus()).isEqualTo(Status.UP);
    assertThat(aboveTheCap.getDetails().get("hpkp").toString()).contains("renewBy="
        + year.leaf().getNotAfter().toInstant().minus(Duration.ofDays(90)));
  }
}
