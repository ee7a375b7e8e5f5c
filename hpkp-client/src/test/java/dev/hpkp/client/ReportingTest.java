package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How reports leave the client: once a minute per failure, never over a refused connection. */
class ReportingTest {

  private static final TestPki SITE = TestPki.localhost();
  private static final TestPki MIS_ISSUER = TestPki.otherCa("Mis-issuing CA");

  @TempDir Path dir;
  private TlsJetty misIssued;
  private TlsJetty collector;
  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void start() throws Exception {
    misIssued = new TlsJetty(MIS_ISSUER.keyStore("attacker")).servlet("/*", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(200);
      }
    }).start();
  }

  @AfterEach
  void stop() throws Exception {
    misIssued.close();
    if (collector != null) {
      collector.close();
    }
  }

  private TlsJetty collector(TestPki pki) throws Exception {
    collector = new TlsJetty(pki).servlet("/hpkp-report", HpkpReportServlet.class, "collector",
        Map.of("sink", "jsonl", "file", dir.resolve("reports.jsonl").toString())).start();
    return collector;
  }

  private long stored() {
    return ((ReportCollector) collector.context().getServletContext()
        .getAttribute(ReportCollector.CONTEXT_ATTRIBUTE)).stats().accepted();
  }

  private HpkpAgent agentPinning(String reportUri) {
    HpkpAgent agent = HpkpAgent.builder().clock(clock).reportToPrivateAddresses(true)
        .trustManager(TestPki.trustManager(SITE.root(), MIS_ISSUER.root())).build();
    agent.store().put(new PinnedHost("localhost", Set.of(SITE.leafPin(), SITE.backupPin()),
        false, clock.instant(), clock.instant().plusSeconds(3600), reportUri,
        PinnedHost.Source.NOTED));
    return agent;
  }

  private static void refused(Fetcher client, URI uri) {
    assertThatThrownBy(() -> client.get(uri)).isInstanceOf(PinValidationException.class);
  }

  @Test
  void theSameFailureIsReportedOnceAMinute() throws Exception {
    URI reports = URI.create("https://127.0.0.1:" + collector(SITE).https("/").getPort()
        + "/hpkp-report");
    try (HpkpAgent agent = agentPinning(reports.toString())) {
      Fetcher client = Fetcher.httpClient(agent);
      refused(client, misIssued.https("/"));
      refused(client, misIssued.https("/again"));
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.reports().sent()).isEqualTo(1);
      assertThat(agent.reports().suppressed()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(61));
      refused(client, misIssued.https("/later"));
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.reports().sent()).isEqualTo(2);
      assertThat(stored()).isEqualTo(2);
    }
  }

  @Test
  void aReportIsNotSentOverAConnectionThePinnedHostsOwnPinsRefuse() throws Exception {
    // report-uri on the pinned host itself, where the interceptor also answers
    URI reports = collector(MIS_ISSUER).https("/hpkp-report");
    assertThat(reports.getHost()).isEqualTo("localhost");
    try (HpkpAgent agent = agentPinning(reports.toString())) {
      refused(Fetcher.httpClient(agent), misIssued.https("/"));
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();

      assertThat(agent.reports().queued()).isEqualTo(1);
      assertThat(agent.reports().sent()).isZero();
      assertThat(agent.reports().failed()).isEqualTo(1);
      assertThat(stored()).isZero();
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    TlsJetty slow = new TlsJetty(SITE).servlet("/*", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws java.io.IOException {
        request.getInputStream().readAllBytes();
        try {
          Thread.sleep(1500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        response.setStatus(204);
      }
    }).start();
    try (HpkpAgent agent = HpkpAgent.builder().clock(clock).reportQueue(1)
        .reportToPrivateAddresses(true)
        .trustManager(TestPki.trustManager(SITE.root(), MIS_ISSUER.root())).build()) {
      URI reports = URI.create("https://127.0.0.1:" + slow.https("/").getPort() + "/r");
      // two are sent at once to one origin, one waits (the queue holds 1), the fourth has no room
      for (String host : new String[] {"a.localhost", "b.localhost", "c.localhost",
          "d.localhost"}) {
        agent.observe(host, 443, MIS_ISSUER.chain().subList(0, 2), java.util.List.of(),
            java.util.List.of(SITE.leafPin().toDirective() + "; " + SITE.backupPin().toDirective()
                + "; report-uri=\"" + reports + "\""));
      }
      assertThat(agent.reports().dropped()).isGreaterThanOrEqualTo(1);
      assertThat(agent.reports().queued() + agent.reports().dropped()).isEqualTo(4);
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.reports().sent()).isEqualTo(agent.reports().queued());
    } finally {
      slow.close();
    }
  }

  @Test
  void anUnreachableReportUriFailsQuietlyAndIsCounted() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (HpkpAgent agent = agentPinning("https://127.0.0.1:" + closed + "/r")) {
      refused(Fetcher.httpClient(agent), misIssued.https("/"));
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.reports().failed()).isEqualTo(1);
    }
  }
}
