package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector configured by init-params, as web.xml does it, in a real Jetty. */
class HpkpReportServletConfigTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  private static TlsJetty jetty(Map<String, String> params) {
    return new TlsJetty(PKI).servlet("/hpkp-report", HpkpReportServlet.class, "collector",
        params);
  }

  @Test
  void logAndFileSinksFromInitParamsStoreAReport() throws Exception {
    Path file = dir.resolve("logs/hpkp.jsonl");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("sink", "log, jsonl");
    params.put("file", file.toString());
    params.put("maxBodyBytes", "32768");
    try (TlsJetty jetty = jetty(params).start()) {
      HttpResponse<String> response = HttpClient.newBuilder().sslContext(PKI.clientContext())
          .build().send(HttpRequest.newBuilder(jetty.https("/hpkp-report"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Reports.interception(PKI, "a.example")))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(204);
      ReportCollector collector = (ReportCollector) jetty.context().getServletContext()
          .getAttribute(ReportCollector.CONTEXT_ATTRIBUTE);
      assertThat(collector.stats().accepted()).isEqualTo(1);
    }
    assertThat(Files.readAllLines(file)).singleElement().asString()
        .contains("\"hostname\":\"a.example\"");
  }

  @Test
  void aRestartedCollectorShowsTheReportsItsFileHolds() throws Exception {
    Path file = dir.resolve("hpkp.jsonl");
    Map<String, String> params = Map.of("sink", "jsonl", "file", file.toString());
    try (TlsJetty jetty = jetty(params).start()) {
      HttpClient client = HttpClient.newBuilder().sslContext(PKI.clientContext()).build();
      for (String host : new String[] {"first.example", "second.example"}) {
        assertThat(client.send(HttpRequest.newBuilder(jetty.https("/hpkp-report"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Reports.interception(PKI, host)))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
      }
    }
    Files.writeString(file, "{\"torn", java.nio.file.StandardOpenOption.APPEND);

    try (TlsJetty restarted = jetty(params).start()) {
      ReportCollector collector = (ReportCollector) restarted.context().getServletContext()
          .getAttribute(ReportCollector.CONTEXT_ATTRIBUTE);
      assertThat(collector.recentReports()).extracting(r -> r.report().hostname())
          .containsExactly("second.example", "first.example");
      assertThat(collector.recentReports().get(0).verdict())
          .isEqualTo(ReceivedReport.Verdict.NO_PINNED_KEY_SERVED);
      assertThat(collector.stats().accepted()).isZero();
    }
  }

  @Test
  void refusesToStartWithJsonlSinkButNoFile() {
    assertThatThrownBy(() -> jetty(Map.of("sink", "jsonl")).start())
        .hasStackTraceContaining("HPKP report collector collector refuses to start: file: not"
            + " set, but sink=jsonl needs it; set file to the JSON-lines file, e.g."
            + " ${sys:catalina.base}/logs/hpkp-reports.jsonl");
  }

  @Test
  void refusesFileSettingsWithoutAJsonlSink() {
    assertThatThrownBy(() -> jetty(Map.of("fileMaxBytes", "1048576")).start())
        .hasStackTraceContaining("fileMaxBytes: set to '1048576', but no jsonl sink is"
            + " configured; add jsonl to sink (e.g. sink=log,jsonl) or remove fileMaxBytes");
  }

  @Test
  void refusesUnknownParametersAndBadNumbers() {
    assertThatThrownBy(() -> jetty(Map.of("maxBody", "1000")).start())
        .hasStackTraceContaining("maxBody: unknown parameter in init-param of servlet"
            + " collector; did you mean maxBodyBytes?");
    assertThatThrownBy(() -> jetty(Map.of("maxBodyBytes", "64k")).start())
        .hasStackTraceContaining("maxBodyBytes: '64k' is not a whole number of bytes from 1024"
            + " to 16777216 (default 65536)");
    assertThatThrownBy(() -> jetty(Map.of("sink", "elastic")).start())
        .hasStackTraceContaining("sink: 'elastic' is not a sink; use log, jsonl, or the fully"
            + " qualified name of a class implementing dev.hpkp.report.ReportSink");
    assertThatThrownBy(() -> jetty(Map.of("sink", "com.example.Missing")).start())
        .hasStackTraceContaining("sink: class com.example.Missing is not on the classpath");
  }

  @Test
  void refusesHostileBodyTimeouts() {
    for (String hostile : new String[] {"\u0665000", "99999999999999999999", "-1", "5s",
        "50", "1\r\n0"}) {
      assertThatThrownBy(() -> jetty(Map.of("bodyTimeoutMillis", hostile)).start())
          .as(hostile).hasStackTraceContaining("bodyTimeoutMillis: '" + hostile + "' is not a"
              + " whole number of milliseconds from 100 to 600000 (default 5000)");
    }
  }

  @Test
  void customSinkClassReceivesReports() throws Exception {
    CountingSink.count.set(0);
    try (TlsJetty jetty = jetty(Map.of("sink", CountingSink.class.getName())).start()) {
      HttpResponse<String> response = HttpClient.newBuilder().sslContext(PKI.clientContext())
          .build().send(HttpRequest.newBuilder(jetty.https("/hpkp-report"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Reports.interception(PKI, "b.example")))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(204);
    }
    assertThat(CountingSink.count.get()).isEqualTo(1);
  }

  /** A custom sink, as a team would write one. */
  public static final class CountingSink implements ReportSink {
    static final java.util.concurrent.atomic.AtomicInteger count =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void accept(ReceivedReport report) {
      count.incrementAndGet();
    }
  }
}
