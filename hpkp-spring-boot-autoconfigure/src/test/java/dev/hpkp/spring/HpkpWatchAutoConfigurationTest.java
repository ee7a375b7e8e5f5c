package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hpkp.text.Printable;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.TestCa;
import dev.hpkp.watch.TestLog;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
    return withoutLogs().withPropertyValues(
        "hpkp.watch.logs[0].url=" + log.monitoringPrefix(),
        "hpkp.watch.logs[0].submission=" + log.submissionPrefix());
  }

  private WebApplicationContextRunner withoutLogs() {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HpkpAutoConfiguration.class,
            SslAutoConfiguration.class, HpkpWatchAutoConfiguration.class))
        .withPropertyValues("hpkp.pins=" + TestCa.pin(SITE),
            "hpkp.backup-pins=" + TestCa.pin(BACKUP), "hpkp.served-chain-check=false",
            "hpkp.report-only=false", "hpkp.watch.enabled=true",
            "hpkp.watch.hosts=shop.example", "hpkp.watch.from-start=true",
            "hpkp.watch.interval=1h", "hpkp.watch.state=" + dir);
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
  void aBadWatchSettingStopsTheApplicationNamingItsKey() throws Exception {
    runner().withPropertyValues("hpkp.watch.logs[0].key=AAAA").run(context ->
        assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
            .extracting(FailureAnalysis::getDescription).asString()
            .startsWith("hpkp.watch.logs[0].key: the log key is not a DER"));
    runner().withPropertyValues("hpkp.watch.logs[0].key=" + key(),
        "hpkp.watch.hosts=192.0.2.1").run(context ->
        assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
            .extracting(FailureAnalysis::getDescription).asString()
            .isEqualTo("hpkp.watch.hosts: '192.0.2.1' is an IP address; pins and CT watching"
                + " are for host names; name each host as it appears in certificates, e.g."
                + " www.example.com"));
    Path notADirectory = java.nio.file.Files.writeString(dir.resolve("not-a-directory"), "x");
    runner().withPropertyValues("hpkp.watch.logs[0].key=" + key(),
        "hpkp.watch.state=" + notADirectory.resolve("state")).run(context ->
        assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
            .extracting(FailureAnalysis::getDescription).asString()
            .startsWith("hpkp.watch.state: the watch state " + notADirectory.resolve("state")
                + " cannot be made or written ("));
  }

  @Test
  void withoutTheSwitchNothingIsWatched() {
    runner().withPropertyValues("hpkp.watch.enabled=false", "hpkp.watch.logs[0].key=" + key())
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HpkpWatch.class));
  }

  @Test
  void theLogListMayBeAUrlAndWhatFailsNamesIt() throws Exception {
    String list = "{\"operators\":[{\"name\":\"Test\",\"tiled_logs\":[{\"description\":"
        + "\"boot\",\"key\":\"" + key() + "\",\"submission_url\":\"" + log.submissionPrefix()
        + "\",\"monitoring_url\":\"" + log.monitoringPrefix() + "\",\"state\":{\"usable\":"
        + "{\"timestamp\":\"2025-01-01T00:00:00Z\"}}}]}]}";
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    server.createContext("/log_list.json", exchange -> {
      byte[] body = list.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith(".json")
          ? 200 : 404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/log_list.json";
    try {
      withoutLogs().withPropertyValues("hpkp.watch.log-list=" + url).run(context -> {
        assertThat(context).hasNotFailed();
        HpkpWatch watch = context.getBean(HpkpWatch.class);
        watch.runOnce();
        assertThat(watch.unpinnedAlerts()).isOne();
      });
      withoutLogs().withPropertyValues("hpkp.watch.log-list=" + url + "x").run(context ->
          assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
              .extracting(FailureAnalysis::getDescription).asString()
              .isEqualTo("hpkp.watch.log-list: '" + url + "x' answered HTTP 404; give a log"
                  + " list in Chrome's log_list.json format (v3), as a file or an https://"
                  + " URL"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void fromIndexStartsALogWithoutStateThereAndIsCheckedAgainstFromStart() throws Exception {
    log.addCertificate(OTHER.leaf(TestCa.key(), "shop.example"), OTHER.intermediate);
    log.publish();
    runner().withPropertyValues("hpkp.watch.logs[0].key=" + key(), "hpkp.watch.from-start=false",
        "hpkp.watch.from-index=1").run(context -> {
          assertThat(context).hasNotFailed();
          HpkpWatch watch = context.getBean(HpkpWatch.class);
          watch.runOnce();
          // entry 0 is before the index: only the second mis-issuance is read
          assertThat(watch.unpinnedAlerts()).isOne();
        });
    runner().withPropertyValues("hpkp.watch.logs[0].key=" + key(), "hpkp.watch.from-index=1")
        .run(context -> assertThat(new HpkpFailureAnalyzer()
            .analyze(context.getStartupFailure())).extracting(FailureAnalysis::getDescription)
            .asString().isEqualTo("hpkp.watch.from-index: '1' is set with"
                + " hpkp.watch.from-start=true; set one of them, not both"));
    for (String bad : List.of("-1", "\u0661\u0662", "99999999999999999999", "1\r\nFORGED")) {
      runner().withPropertyValues("hpkp.watch.logs[0].key=" + key(),
          "hpkp.watch.from-start=false", "hpkp.watch.from-index=" + bad).run(context ->
          assertThat(new HpkpFailureAnalyzer().analyze(context.getStartupFailure()))
              .extracting(FailureAnalysis::getDescription).asString()
              .isEqualTo("hpkp.watch.from-index: '" + Printable.escape(bad) + "' is not an"
                  + " entry index (a whole number, 0 or more, in ASCII digits); give the entry"
                  + " to start at, e.g. 0, or leave it out"));
    }
  }
}
