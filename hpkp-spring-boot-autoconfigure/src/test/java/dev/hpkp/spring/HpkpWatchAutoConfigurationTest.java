package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.TestCa;
import dev.hpkp.watch.TestLog;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** hpkp.watch.*: the pins of hpkp.* watched for in a CT log, on a background thread. */
class HpkpWatchAutoConfigurationTest {

  private static final TestCa OTHER = new TestCa("Other CA");
  private static final KeyPair SITE = TestCa.key();
  private static final KeyPair BACKUP = TestCa.key();

  @TempDir Path dir;
  private TestLog log;

  @BeforeEach
  void start() throws Exception {
    log = new TestLog("boot");
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
  }

  private WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HpkpAutoConfiguration.class,
            SslAutoConfiguration.class, HpkpWatchAutoConfiguration.class))
        .withPropertyValues("hpkp.pins=" + TestCa.pin(SITE),
            "hpkp.backup-pins=" + TestCa.pin(BACKUP), "hpkp.served-chain-check=false",
            "hpkp.report-only=false", "hpkp.watch.enabled=true",
            "hpkp.watch.hosts=shop.example", "hpkp.watch.from-start=true",
            "hpkp.watch.interval=1h", "hpkp.watch.state=" + dir,
            "hpkp.watch.logs[0].url=" + log.monitoringPrefix(),
            "hpkp.watch.logs[0].submission=" + log.submissionPrefix());
  }

  private String key() {
    return Base64.getEncoder().encodeToString(log.key.getPublic().getEncoded());
  }

  @Test
  void aCertificateWithoutAPinnedKeyMakesTheWatchAlert() {
    runner().withPropertyValues("hpkp.watch.logs[0].key=" + key()).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(HpkpWatch.class);
      HpkpWatch watch = context.getBean(HpkpWatch.class);
      assertThat(watch.isRunning()).isTrue();
      watch.runOnce();
      assertThat(watch.alerting()).isTrue();
      assertThat(watch.unpinnedAlerts()).isOne();
      assertThat(watch.recentAlerts()).singleElement()
          .satisfies(alert -> assertThat(alert.message()).contains("shop.example"));
      assertThat(watch.lastRound().values()).singleElement()
          .satisfies(p -> assertThat(p.status()).isEqualTo(CtWatcher.Status.OK));
      // /actuator/hpkp shows the watch beside the policies
      Map<String, Object> endpoint = new HpkpEndpoint(context.getBean(HpkpPolicySet.class),
          List.copyOf(context.getBeansOfType(HpkpEndpointSection.class).values())).policies();
      assertThat(endpoint).containsKeys("policies", "watch");
      assertThat(watch.behind(log.monitoringPrefix().toString())).isZero();
      var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      new HpkpWatchAutoConfiguration.Metrics().hpkpWatchMetrics(watch).bindTo(registry);
      assertThat(registry.get("hpkp.watch.behind").gauge().value()).isZero();
      assertThat(registry.get("hpkp.watch.alerts").tag("kind", "ct-unpinned-issuance")
          .functionCounter().count()).isEqualTo(1);
      assertThat(endpoint.get("watch").toString()).contains("entriesVerified=1",
          "status=OK", "whose chain holds no pinned key");
    });
  }

  @Test
  void aBadWatchSettingStopsTheApplicationNamingItsKey() {
    runner().withPropertyValues("hpkp.watch.logs[0].key=AAAA").run(context ->
        assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
            .extracting(FailureAnalysis::getDescription).asString()
            .startsWith("hpkp.watch.logs[0].key: the log key is not a DER"));
    runner().withPropertyValues("hpkp.watch.logs[0].key=" + key(),
        "hpkp.watch.hosts=192.0.2.1").run(context ->
        assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
            .extracting(FailureAnalysis::getDescription).asString()
            .isEqualTo("hpkp.watch.hosts: '192.0.2.1' is an IP address; pins and CT watching"
                + " are for host names"));
  }

  @Test
  void withoutTheSwitchNothingIsWatched() {
    runner().withPropertyValues("hpkp.watch.enabled=false", "hpkp.watch.logs[0].key=" + key())
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HpkpWatch.class));
  }
}
