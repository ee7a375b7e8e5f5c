package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.policy.Pin;
import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.ReceivedReport;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole loop on loopback, for both clients: a site runs HpkpFilter in enforce mode with its
 * report-uri on a collector at another host name and port; the client notes the pins, refuses a
 * certificate from another CA it also trusts, the collector records the report; rotation to the
 * backup key works; pins expire with max-age; a file store keeps them across a client restart.
 */
class EndToEndTest {

  private static final TestPki SITE = TestPki.localhost();
  private static final TestPki MIS_ISSUER = TestPki.otherCa("Mis-issuing CA");

  @TempDir Path dir;
  private TlsJetty collector;
  private URI reportUri;
  private final List<TlsJetty> servers = new java.util.ArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bodyBytes = new AtomicLong();

  static Stream<Function<HpkpAgent, Fetcher>> clients() {
    return Stream.of(Fetcher::httpClient, Fetcher::okHttp);
  }

  @BeforeEach
  void startCollector() throws Exception {
    collector = new TlsJetty(SITE).servlet("/hpkp-report", HpkpReportServlet.class,
        "collector", Map.of("sink", "jsonl", "file", dir.resolve("reports.jsonl").toString()))
        .start();
    // the collector is another host name: 127.0.0.1, where the site is localhost
    reportUri = URI.create("https://127.0.0.1:" + collector.https("/").getPort()
        + "/hpkp-report");
  }

  @AfterEach
  void stop() throws Exception {
    for (TlsJetty server : servers) {
      server.close();
    }
    collector.close();
  }

  private List<ReceivedReport> reports() {
    return ((ReportCollector) collector.context().getServletContext()
        .getAttribute(ReportCollector.CONTEXT_ATTRIBUTE)).recentReports();
  }

  /** A servlet that counts what reaches the server. */
  private HttpServlet counting() {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        requests.incrementAndGet();
        bodyBytes.addAndGet(request.getInputStream().readAllBytes().length);
        response.setStatus(200);
      }
    };
  }

  private Map<String, String> policy(boolean reportOnly) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("pins", SITE.leafPin().toString());
    params.put("backupPins", SITE.backupPin() + " " + SITE.secondBackupPin());
    params.put("maxAgeSeconds", "600");
    params.put("reportUri", reportUri.toString());
    params.put("reportOnly", Boolean.toString(reportOnly));
    params.put("servedChain", "file:" + SITE.writeChainPem(dir.resolve("site-chain.pem")));
    return params;
  }

  private URI start(KeyStore keyStore, Map<String, String> filter) throws Exception {
    TlsJetty server = new TlsJetty(keyStore);
    if (filter != null) {
      server.filter("hpkp", HpkpFilter.class, filter);
    }
    servers.add(server.servlet("/*", counting()).start());
    return server.https("/");
  }

  private HpkpAgent agent(Path store, MutableClock clock) {
    return HpkpAgent.builder().store(FilePinStore.open(store)).clock(clock)
        .reportToPrivateAddresses(true).trustManager(TestPki.trustManager(SITE.root(), MIS_ISSUER.root())).build();
  }

  @ParameterizedTest
  @MethodSource("clients")
  void notesRefusesAMisIssuedChainReportsItRotatesAndExpires(
      Function<HpkpAgent, Fetcher> kind) throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    Path store = dir.resolve("pins.json");
    URI site = start(SITE.keyStore("site"), policy(false));
    URI misIssued = start(MIS_ISSUER.keyStore("attacker"), null);
    URI rotated = start(SITE.keyStoreFor(SITE.backupKey(), "rotated"), null);
    Set<Pin> announced = Set.of(SITE.leafPin(), SITE.backupPin(), SITE.secondBackupPin());

    try (HpkpAgent agent = agent(store, clock)) {
      Fetcher client = kind.apply(agent);
      assertThat(client.get(site)).isEqualTo(200);
      PinnedHost noted = agent.pinsFor("localhost").orElseThrow();
      assertThat(noted.pins()).isEqualTo(announced);
      assertThat(noted.reportUri()).isEqualTo(reportUri.toString());
      long before = requests.get();

      assertThatThrownBy(() -> client.post(misIssued, "secret=do-not-send"))
          .isInstanceOf(PinValidationException.class)
          .hasMessageContaining("Public key pinning failure for localhost:"
              + misIssued.getPort())
          .hasMessageContaining(MIS_ISSUER.leafPin() + ": CN=localhost (leaf)")
          .hasMessageContaining("CN=Mis-issuing CA Root,O=hpkp-filter tests (trust anchor)")
          .hasMessageContaining("Pinned keys for localhost")
          .hasMessageContaining(SITE.backupPin().toString());
      assertThat(requests.get()).as("requests that reached a server").isEqualTo(before);
      assertThat(bodyBytes.get()).as("body bytes that reached a server").isZero();

      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.reports().sent()).isEqualTo(1);
      ReceivedReport report = reports().get(0);
      assertThat(report.verdict()).isEqualTo(ReceivedReport.Verdict.NO_PINNED_KEY_SERVED);
      assertThat(Set.copyOf(report.report().knownPins())).isEqualTo(noted.pins());
      assertThat(report.report().hostname()).isEqualTo("localhost");
      assertThat(report.report().port()).isEqualTo(misIssued.getPort());
      assertThat(report.servedPins()).contains(MIS_ISSUER.leafPin());

      assertThat(client.get(rotated)).as("the backup key, rotated in").isEqualTo(200);
    }

    try (HpkpAgent restarted = agent(store, clock)) {
      Fetcher client = kind.apply(restarted);
      assertThat(restarted.pinsFor("localhost")).map(PinnedHost::pins).contains(announced);
      assertThatThrownBy(() -> client.get(misIssued))
          .isInstanceOf(PinValidationException.class);

      clock.advance(Duration.ofSeconds(600));
      assertThat(restarted.pinsFor("localhost")).isEmpty();
      assertThat(client.get(misIssued)).as("after max-age, no longer pinned").isEqualTo(200);
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void reportOnlySucceedsAndReports(Function<HpkpAgent, Fetcher> kind) throws Exception {
    // An interception that passes the site's report-only header through: the chain is the
    // other CA's, the header the site's.
    Map<String, String> params = policy(true);
    params.remove("servedChain");
    params.put("servedChainCheck", "false");
    URI intercepted = start(MIS_ISSUER.keyStore("proxy"), params);

    try (HpkpAgent agent = agent(dir.resolve("pins.json"), new MutableClock(Instant.now()))) {
      assertThat(kind.apply(agent).get(intercepted)).isEqualTo(200);
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();

      assertThat(agent.store().entries()).as("report-only is never noted").isEmpty();
      assertThat(agent.reports().sent()).isEqualTo(1);
      ReceivedReport report = reports().get(0);
      assertThat(report.verdict()).isEqualTo(ReceivedReport.Verdict.NO_PINNED_KEY_SERVED);
      assertThat(Set.copyOf(report.report().knownPins())).containsExactlyInAnyOrder(
          SITE.leafPin(), SITE.backupPin(), SITE.secondBackupPin());
    }
  }
}
