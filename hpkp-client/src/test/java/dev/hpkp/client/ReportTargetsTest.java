package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.report.ReportCollector;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where reports may go and how one report-uri can hold up others (#23 defects 2 and 6): a
 * tarpit that accepts and never answers delays no report to another origin, a report about a
 * refused connection is sent before report-only ones, and reports never go to a loopback,
 * link-local or private address unless allowed.
 */
class ReportTargetsTest {

  private static final TestPki SITE = TestPki.localhost();
  private static final TestPki MIS_ISSUER = TestPki.otherCa("Mis-issuing CA");
  private static final List<java.security.cert.X509Certificate> MIS_ISSUED =
      MIS_ISSUER.chain().subList(0, 2);

  @TempDir Path dir;
  private TlsJetty collector;
  private ServerSocket tarpit;
  private final List<Socket> held = new ArrayList<>();
  private final AtomicInteger tarpitConnections = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    if (collector != null) {
      collector.close();
    }
    if (tarpit != null) {
      tarpit.close();
    }
    for (Socket socket : held) {
      socket.close();
    }
  }

  /** Accepts every connection and never answers, not even the TLS handshake. */
  private String tarpit() throws Exception {
    tarpit = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!tarpit.isClosed()) {
        try {
          Socket socket = tarpit.accept();
          tarpitConnections.incrementAndGet();
          synchronized (held) {
            held.add(socket);
          }
        } catch (java.io.IOException e) {
          return;
        }
      }
    }, "tarpit");
    acceptor.setDaemon(true);
    acceptor.start();
    return "https://127.0.0.1:" + tarpit.getLocalPort() + "/r";
  }

  private String collector() throws Exception {
    collector = new TlsJetty(SITE).servlet("/hpkp-report", HpkpReportServlet.class, "collector",
        Map.of("sink", "jsonl", "file", dir.resolve("reports.jsonl").toString())).start();
    return "https://127.0.0.1:" + collector.https("/").getPort() + "/hpkp-report";
  }

  private long stored() {
    return ((ReportCollector) collector.context().getServletContext()
        .getAttribute(ReportCollector.CONTEXT_ATTRIBUTE)).stats().accepted();
  }

  private static HpkpAgent.Builder agent() {
    return HpkpAgent.builder().reportTimeout(Duration.ofSeconds(60))
        .trustManager(TestPki.trustManager(SITE.root(), MIS_ISSUER.root()));
  }

  /** A report-only failure about {@code host}, reported to {@code reportUri}. */
  private static Observation reportOnlyFailure(HpkpAgent agent, String host, String reportUri) {
    return agent.observe(host, 443, MIS_ISSUED, List.of(), List.of(SITE.leafPin().toDirective()
        + "; " + SITE.backupPin().toDirective() + "; report-uri=\"" + reportUri + "\""));
  }

  /** A connection to a pinned host its pins refuse: an enforced failure, reported. */
  private static void enforcedFailure(HpkpAgent agent, String host, String reportUri) {
    agent.store().put(new PinnedHost(host, Set.of(SITE.leafPin(), SITE.backupPin()), false,
        Instant.now(), Instant.now().plusSeconds(3600), reportUri, PinnedHost.Source.NOTED));
    assertThatThrownBy(() -> agent.checkPins(host, 443, MIS_ISSUED))
        .isInstanceOf(PinValidationException.class);
  }

  @Test
  void aTarpitHoldsUpNoReportToAnotherOrigin() throws Exception {
    String slow = tarpit();
    String genuine = collector();
    try (HpkpAgent agent = agent().reportToPrivateAddresses(true).build()) {
      for (int i = 0; i < 100; i++) {
        reportOnlyFailure(agent, "site-" + i + ".example", slow);
      }
      enforcedFailure(agent, "bank.example", genuine);

      // the genuine report arrives while the tarpit still holds its reports (60 s timeout)
      for (int i = 0; i < 200 && stored() == 0; i++) {
        Thread.sleep(50);
      }
      assertThat(stored()).as("the genuine report reached its collector").isEqualTo(1);
      // the collector has the report a moment before the sender hears its answer
      int expected = ReportSender.IN_FLIGHT_PER_ORIGIN + ReportSender.WAITING_PER_ORIGIN;
      for (int i = 0; i < 100 && agent.reports().pending() != expected; i++) {
        Thread.sleep(50);
      }
      assertThat(agent.reports().pending()).as("the tarpit's reports are still waiting")
          .isEqualTo(ReportSender.IN_FLIGHT_PER_ORIGIN + ReportSender.WAITING_PER_ORIGIN);
      assertThat(tarpitConnections.get()).as("the tarpit got two connections, not 100")
          .isLessThanOrEqualTo(ReportSender.IN_FLIGHT_PER_ORIGIN);
      assertThat(agent.reports().dropped()).isEqualTo(100 - ReportSender.IN_FLIGHT_PER_ORIGIN
          - ReportSender.WAITING_PER_ORIGIN);
    }
  }

  @Test
  void anEnforcedReportTakesThePlaceOfAWaitingReportOnlyOne() throws Exception {
    String slow = tarpit();
    try (HpkpAgent agent = agent().reportToPrivateAddresses(true).build()) {
      for (int i = 0; i < 30; i++) {
        reportOnlyFailure(agent, "site-" + i + ".example", slow);
      }
      long queued = agent.reports().queued();
      long dropped = agent.reports().dropped();

      enforcedFailure(agent, "bank.example", slow);

      assertThat(agent.reports().queued()).as("the enforced report is queued").isEqualTo(
          queued + 1);
      assertThat(agent.reports().dropped()).as("a report-only one made room").isEqualTo(
          dropped + 1);
      assertThat(agent.reports().pending()).isEqualTo(ReportSender.IN_FLIGHT_PER_ORIGIN
          + ReportSender.WAITING_PER_ORIGIN);
    }
  }

  @Test
  void noReportGoesToALoopbackOrPrivateAddressUnlessAllowed() throws Exception {
    String genuine = collector();
    try (HpkpAgent agent = agent().build()) {
      enforcedFailure(agent, "bank.example", genuine);
      Observation observation = reportOnlyFailure(agent, "shop.example",
          genuine.replace("127.0.0.1", "localhost"));

      assertThat(observation.reportOnly()).isEqualTo(Observation.ReportOnly.FAILED_REPORTED);
      assertThat(agent.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(agent.reports().blocked()).isEqualTo(2);
      assertThat(agent.reports().sent()).isZero();
      assertThat(stored()).isZero();
    }
    try (HpkpAgent allowed = agent().reportToPrivateAddresses(true).build()) {
      enforcedFailure(allowed, "bank.example", genuine);
      assertThat(allowed.reports().flush(Duration.ofSeconds(20))).isTrue();
      assertThat(allowed.reports().sent()).isEqualTo(1);
      assertThat(stored()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1,true", "127.8.9.10,true", "::1,true", "10.1.2.3,true",
      "172.16.0.1,true", "172.31.255.255,true", "192.168.1.1,true", "169.254.169.254,true",
      "100.64.0.1,true", "100.127.255.255,true", "fc00::1,true", "fd12:3456::1,true",
      "fe80::1,true", "0.0.0.0,true", "::,true", "224.0.0.1,true", "ff02::1,true",
      "8.8.8.8,false", "172.32.0.1,false", "100.128.0.1,false", "192.0.2.1,false",
      "2001:db8::1,false", "2606:4700::1111,false"})
  void localAddressesAreTold(String address, boolean local) throws Exception {
    assertThat(Hosts.isLocal(InetAddress.getByName(address))).isEqualTo(local);
  }
}
