package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.Pin;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HpkpReportServletJettyTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;
  private Path file;
  private TlsJetty jetty;
  private HpkpReportServlet servlet;
  private HttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    file = dir.resolve("reports/hpkp.jsonl");
    ReportCollector collector = ReportCollector.builder(new JsonLinesReportSink(file, 1 << 20, 2))
        .ratePerSecond(1).rateBurst(30).build();
    servlet = new HpkpReportServlet(collector);
    jetty = new TlsJetty(PKI).servlet("/hpkp-report", servlet).start();
    client = HttpClient.newBuilder().sslContext(PKI.clientContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    jetty.close();
  }

  private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(jetty.https("/hpkp-report"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String json) throws Exception {
    return post("application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> stored() throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  @Test
  void storesAValidReportWithDerivedFields() throws Exception {
    HttpResponse<String> response = post("application/json; charset=utf-8",
        Reports.interception(PKI, "shop.example").getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(204);
    List<String> lines = stored();
    assertThat(lines).hasSize(1);
    String line = lines.get(0);
    assertThat(line).contains("\"hostname\":\"shop.example\"", "\"port\":443",
        "\"date-time\":\"2014-04-06T13:00:50Z\"", "\"include-subdomains\":false",
        "\"noted-hostname\":\"example.com\"",
        "\"served-pins\":[\"" + PKI.leafPin() + "\",\"" + PKI.intermediatePin() + "\",\""
            + PKI.rootPin() + "\"]",
        "\"matching-known-pins\":[]",
        "\"served-leaf-subject\":\"CN=localhost\"",
        "\"served-leaf-issuer\":\"CN=HPKP Test Intermediate,O=hpkp-filter tests\"",
        "\"verdict\":\"no-pinned-key-served\"",
        "\"known-pins\":[\"pin-sha256=\\\"" + PKI.backupPin().base64() + "\\\"\"");
    assertThat(line).startsWith("{\"received-at\":\"").contains("\"remote-address\":\"127.0.0.1\"");
    assertThat(servlet.collector().stats().accepted()).isEqualTo(1);
    assertThat(servlet.collector().recentReports()).singleElement()
        .satisfies(r -> assertThat(r.summary()).isEqualTo("a chain issued by CN=HPKP Test"
            + " Intermediate,O=hpkp-filter tests was presented for shop.example:443 and none of"
            + " its keys is pinned (likely interception, or an unannounced key change)"));
  }

  @Test
  void trustKitReportsFromIosAndAndroidAreStoredWithTheAppAndReadBackAfterARestart()
      throws Exception {
    List<dev.hpkp.policy.Pin> pins = List.of(PKI.backupPin(), PKI.secondBackupPin());
    String ios = dev.hpkp.testing.TrustKitReports.ios("shop.example", 0, PKI.chain(), pins,
        "2027-01-15");
    String iosNoExpiry = dev.hpkp.testing.TrustKitReports.ios("shop.example", 443, PKI.chain(),
        pins, null);
    String android = dev.hpkp.testing.TrustKitReports.android("shop.example", PKI.chain(),
        PKI.chain(), List.of(PKI.leafPin(), PKI.backupPin()));
    assertThat(ios).contains("\\/", "\"known-pins-expiration-date\":\"2027-01-15\"")
        .doesNotContain("served-certificate-chain", "effective-expiration-date");
    assertThat(android).contains("+0000\"", "\"port\":0");

    for (String report : List.of(ios, iosNoExpiry, android)) {
      assertThat(post(report).statusCode()).as(report).isEqualTo(204);
    }
    List<String> lines = stored();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("\"hostname\":\"shop.example\"",
        "\"app-bundle-id\":\"com.example.shop\"", "\"app-version\":\"4.2\"",
        "\"app-platform\":\"IOS\"", "\"app-platform-version\":\"17.4.1\"",
        "\"trustkit-version\":\"3.0.4\"", "\"enforce-pinning\":true",
        "\"validation-result\":1", "\"validation-result-name\":\"failed-no-matching-pin\"",
        "\"known-pins-expiration-date\":\"2027-01-15\"",
        "\"verdict\":\"no-pinned-key-served\"")
        .doesNotContain("\"port\"", "app-vendor-id", "8C2A4D6E", "served-certificate-chain");
    assertThat(lines.get(1)).contains("\"port\":443").doesNotContain("known-pins-expiration");
    assertThat(lines.get(2)).contains("\"app-platform\":\"ANDROID\"",
        "\"date-time\":\"2026-12-06T05:23:25Z\"", "\"served-certificate-chain\"",
        "\"verdict\":\"pins-match\"").doesNotContain("5f3c1e2a");
    assertThat(servlet.collector().recentReports()).anySatisfy(r -> assertThat(r.summary())
        .contains("presented for shop.example and none of its keys is pinned"));

    // what was stored reads back, as a restarted collector reads its file
    JsonLinesTail.Result back = JsonLinesTail.newest(file, 20, new ReportParser(64 * 1024, 10));
    assertThat(back.skipped()).isZero();
    assertThat(back.reports()).hasSize(3).anySatisfy(r -> assertThat(
        r.report().app().describe()).isEqualTo("com.example.shop (ANDROID 42)"));
  }

  @Test
  void trustKitsRelaxationsNeedATrustKitReportAndItsFieldsAreStillChecked() throws Exception {
    List<dev.hpkp.policy.Pin> pins = List.of(PKI.backupPin());
    String ios = dev.hpkp.testing.TrustKitReports.ios("shop.example", 0, PKI.chain(), pins,
        "2027-01-15");
    // without trustkit-version, the RFC's rules hold: port 0 and missing fields are refused
    String userAgent = ios.replace("\"trustkit-version\":\"3.0.4\",", "");
    assertThat(post(userAgent).statusCode()).isEqualTo(400);
    for (String hostile : List.of(
        ios.replace("\"4.2\"", "\"4.2\\u0000\""),
        ios.replace("\"4.2\"", "\"" + "x".repeat(10_000) + "\""),
        ios.replace("\"validation-result\":1", "\"validation-result\":99999999999"),
        ios.replace("\"validation-result\":1", "\"validation-result\":\"1\""),
        ios.replace("\"2027-01-15\"", "\"2027-1-15\""),
        ios.replace("\"2027-01-15\"", "\"٢٠٢٧-01-15\""),
        ios.replace("\"enforce-pinning\":true", "\"enforce-pinning\":\"yes\""),
        ios.replace("\"port\":0", "\"port\":-1"),
        ios.replace("2026-12-06T05:23:25Z", "2026-12-06T05:23:25+000"),
        ios.replaceAll("\"validated-certificate-chain\":\\[[^\\]]*\\]",
            "\"validated-certificate-chain\":[]"))) {
      HttpResponse<String> response = post(hostile);
      assertThat(response.statusCode()).as(hostile.substring(0, Math.min(200,
          hostile.length()))).isEqualTo(400);
    }
    assertThat(stored()).isEmpty();
  }

  @Test
  void pinnedKeyServedButOtherPathValidatedIsAMisconfiguration() throws Exception {
    TestPki other = TestPki.localhost();
    String json = Reports.valid("shop.example", PKI.chain(), other.chain(),
        List.of(PKI.intermediatePin(), PKI.backupPin()));

    assertThat(post(json).statusCode()).isEqualTo(204);

    assertThat(stored().get(0)).contains("\"matching-known-pins\":[\"" + PKI.intermediatePin()
        + "\"]", "\"verdict\":\"pinned-key-not-validated\"");
  }

  @Test
  void rejectsBadReportsAndStoresNothing() throws Exception {
    String valid = Reports.interception(PKI, "shop.example");
    Map<String, Supplier<String>> cases = Map.ofEntries(
        Map.entry("malformed JSON: ", () -> "{\"hostname\": }"),
        Map.entry("malformed JSON: Unexpected end-of-input",
            () -> valid.substring(0, valid.length() / 2)),
        Map.entry("JSON nesting deeper than 8", () -> "{\"x\": " + "[".repeat(10_000)
            + "]".repeat(10_000) + "}"),
        Map.entry("port must be a whole number", () -> valid.replace("\"port\": 443",
            "\"port\": \"443\"")),
        Map.entry("port is not from 1 to 65535", () -> valid.replace("\"port\": 443",
            "\"port\": 70000")),
        Map.entry("include-subdomains must be a boolean", () -> valid.replace(
            "\"include-subdomains\": false", "\"include-subdomains\": \"no\"")),
        Map.entry("missing field noted-hostname", () -> valid.replace(
            "\"noted-hostname\": \"example.com\",", "")),
        Map.entry("date-time is not an RFC 3339 date-time", () -> valid.replace(
            "2014-04-06T13:00:50Z", "yesterday")),
        Map.entry("served-certificate-chain[0] is not a PEM certificate", () -> valid.replaceFirst(
            "\"served-certificate-chain\": \\[\"[^\"]*\"", "\"served-certificate-chain\": [\"x\"")),
        Map.entry("served-certificate-chain[0] is not a valid PEM certificate",
            () -> valid.replaceFirst("\"served-certificate-chain\": \\[\"[^\"]*\"",
                "\"served-certificate-chain\": [\"" + TestPki.pem(PKI.backupKey().getPublic())
                    .replace("\n", "\\\\n").replace("-----BEGIN PUBLIC KEY-----",
                        "-----BEGIN CERTIFICATE-----") + "\"")),
        Map.entry("known-pins[0] is not a valid SHA-256 pin", () -> valid.replaceFirst(
            "pin-sha256=\\\\\"[^\\\\]*\\\\\"", "pin-sha256=\\\\\"abc=\\\\\"")),
        Map.entry("the report must be a JSON object", () -> "[1, 2]"),
        Map.entry("served-certificate-chain must be an array of PEM certificates",
            () -> valid.replaceFirst("\"served-certificate-chain\": \\[[^\\]]*\\]",
                "\"served-certificate-chain\": {}")));
    for (Map.Entry<String, Supplier<String>> entry : cases.entrySet()) {
      HttpResponse<String> response = post(entry.getValue().get());
      assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(400);
      assertThat(response.body()).as(entry.getKey()).startsWith(entry.getKey());
      assertThat(response.headers().firstValue("Content-Type")).get().asString()
          .startsWith("text/plain");
    }
    assertThat(stored()).isEmpty();
    assertThat(servlet.collector().stats().accepted()).isZero();
  }

  @Test
  void rejectsNonUtf8() throws Exception {
    byte[] latin1 = Reports.interception(PKI, "sh\u00f6p.example")
        .getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> response = post("application/json", latin1);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("the body is not valid UTF-8\n");

    HttpResponse<String> declared = post("application/json; charset=ISO-8859-1", latin1);
    assertThat(declared.statusCode()).isEqualTo(415);
    assertThat(declared.body()).isEqualTo("reports must be UTF-8, not charset=iso-8859-1\n");
    assertThat(stored()).isEmpty();
  }

  @Test
  void rejectsOtherMethodsAndContentTypes() throws Exception {
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(jetty.https("/hpkp-report"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");

    HttpResponse<String> text = post("text/plain",
        Reports.interception(PKI, "x.example").getBytes(StandardCharsets.UTF_8));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.body()).isEqualTo("Content-Type must be application/json, not text/plain\n");
    assertThat(servlet.collector().stats().rejected(Rejection.METHOD_NOT_ALLOWED)).isEqualTo(1);
    assertThat(stored()).isEmpty();
  }

  @Test
  void rejectsTenMebibyteBodiesWithoutReadingThem() throws Exception {
    // The client announces 10 MiB and waits (Expect: 100-continue): the collector answers 413
    // from the Content-Length alone, so the server never invites the body.
    URI http = jetty.http("/hpkp-report");
    try (Socket socket = new Socket(http.getHost(), http.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /hpkp-report HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + (10 << 20) + "\r\n"
          + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(socket.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
    }
    // And a client that streams all 10 MiB without waiting: answered from the header while the
    // body is still arriving; the server closes the connection instead of reading it.
    try (Socket socket = new Socket(http.getHost(), http.getPort())) {
      socket.setSoTimeout(10_000);
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          out.write(("POST /hpkp-report HTTP/1.1\r\nHost: localhost\r\n"
              + "Content-Type: application/json\r\nContent-Length: " + (10 << 20)
              + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          byte[] block = new byte[64 * 1024];
          for (int i = 0; i < 160; i++) {
            out.write(block);
          }
        } catch (IOException expected) {
          // the server stops listening once it has answered
        }
      });
      writer.start();
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 413 ")
          .containsIgnoringCase("Connection: close");
      writer.join(10_000);
    }
    assertThat(servlet.collector().stats().rejected(Rejection.TOO_LARGE)).isEqualTo(2);
    assertThat(stored()).isEmpty();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void rejectsOversizedChunkedBodyAfterReadingOnlyTheCap() throws Exception {
    // No Content-Length: the collector reads at most 64 KiB + 1 byte, then answers 413.
    byte[] chunk = new byte[65_600];
    java.util.Arrays.fill(chunk, (byte) ' ');
    URI http = jetty.http("/hpkp-report");
    try (Socket socket = new Socket(http.getHost(), http.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /hpkp-report HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
          + Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(chunk);
      out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new String(socket.getInputStream().readNBytes(12),
          StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("HTTP/1.1 413");
    }
    assertThat(stored()).isEmpty();
  }

  @Test
  void rejectsABodyCutShortOfItsContentLength() throws Exception {
    String body = Reports.interception(PKI, "shop.example");
    URI http = jetty.http("/hpkp-report");
    try (Socket socket = new Socket(http.getHost(), http.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /hpkp-report HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + (body.length() + 100)
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400 ");
    }
    assertThat(stored()).isEmpty();
  }

  @Test
  void slowBodiesHoldNoThreadAndEndWith408WhileOthersAreAnswered() throws Exception {
    jetty.close();
    ReportCollector collector = ReportCollector.builder(new JsonLinesReportSink(file, 1 << 20, 2))
        .maxConcurrent(4).bodyTimeoutMillis(1_500).ratePerSecond(0).build();
    servlet = new HpkpReportServlet(collector);
    jetty = new TlsJetty(PKI).servlet("/hpkp-report", servlet).start();
    javax.net.ssl.SSLSocketFactory tls = PKI.clientContext().getSocketFactory();
    List<java.net.Socket> slow = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) { // three times the permits, each sending one byte and stalling
        java.net.Socket socket = tls.createSocket("127.0.0.1", jetty.https("/").getPort());
        socket.getOutputStream().write(("POST /hpkp-report HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n[")
            .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      Thread.sleep(300);
      long start = System.nanoTime();
      int busy = post(Reports.interception(PKI, "shop.example")).statusCode();
      long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(busy).as("all permits are held by slow bodies").isEqualTo(429);
      assertThat(answeredMillis).as("answered without waiting for the slow bodies")
          .isLessThan(1_000);

      List<String> answers = new java.util.ArrayList<>();
      for (java.net.Socket socket : slow) {
        socket.setSoTimeout(10_000);
        answers.add(new String(socket.getInputStream().readNBytes(12),
            StandardCharsets.US_ASCII));
      }
      // Four held the permits until the body deadline; the rest were turned away at once.
      assertThat(answers).filteredOn("HTTP/1.1 408"::equals).hasSize(4);
      assertThat(answers).filteredOn("HTTP/1.1 429"::equals).hasSize(8);
      assertThat(post(Reports.interception(PKI, "shop.example")).statusCode())
          .as("the permits came back").isEqualTo(204);
      assertThat(collector.stats().rejected(Rejection.BODY_TIMEOUT)).isEqualTo(4L);
    } finally {
      for (java.net.Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void aReportStillBeingStoredAtTheDeadlineGets503AndKeepsItsPermitUntilStored()
      throws Exception {
    jetty.close();
    java.util.concurrent.CompletableFuture<Void> disk = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger stored = new java.util.concurrent.atomic.AtomicInteger();
    ReportSink slowDisk = new ReportSink() {
      @Override
      public void accept(ReceivedReport report) {
        throw new AssertionError("the asynchronous path must not block in accept");
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> store(ReceivedReport report) {
        return disk.thenRun(stored::incrementAndGet);
      }
    };
    ReportCollector collector = ReportCollector.builder(slowDisk).maxConcurrent(1)
        .bodyTimeoutMillis(300).ratePerSecond(0).build();
    servlet = new HpkpReportServlet(collector);
    jetty = new TlsJetty(PKI).servlet("/hpkp-report", servlet).start();

    HttpResponse<String> slow = post(Reports.interception(PKI, "slow.example"));
    assertThat(slow.statusCode()).isEqualTo(503);
    assertThat(slow.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(slow.body()).contains("it may be stored");
    assertThat(post(Reports.interception(PKI, "next.example")).statusCode())
        .as("the one permit is still held by the report being stored").isEqualTo(429);

    disk.complete(null);
    assertThat(stored.get()).isEqualTo(1);
    assertThat(collector.stats().accepted()).isEqualTo(1L);
    assertThat(collector.recentReports()).extracting(r -> r.report().hostname())
        .containsExactly("slow.example");
    assertThat(post(Reports.interception(PKI, "next.example")).statusCode())
        .as("the permit came back once the sink had the report").isEqualTo(204);
  }

  @Test
  void floodFromOneAddressIsRateLimitedExactlyByTheBucket() throws Exception {
    // The collector's clock is frozen, so the bucket holds exactly its burst of 30.
    AtomicLong nanos = new AtomicLong();
    jetty.close();
    ReportCollector collector = ReportCollector.builder(new JsonLinesReportSink(file, 1 << 20, 2))
        .ratePerSecond(1).rateBurst(30).nanoTime(nanos::get).build();
    servlet = new HpkpReportServlet(collector);
    jetty = new TlsJetty(PKI).servlet("/hpkp-report", servlet).start();
    String json = Reports.interception(PKI, "shop.example");
    int accepted = 0;
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 60; i++) {
      HttpResponse<String> response = post(json);
      if (response.statusCode() == 204) {
        accepted++;
      } else {
        assertThat(response.statusCode()).isEqualTo(429);
        retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        limited++;
      }
    }
    assertThat(accepted).isEqualTo(30);
    assertThat(limited).isEqualTo(30);
    assertThat(retryAfter).isEqualTo("1");

    nanos.addAndGet(TimeUnit.SECONDS.toNanos(2)); // one token a second
    assertThat(post(json).statusCode()).isEqualTo(204);
    assertThat(post(json).statusCode()).isEqualTo(204);
    assertThat(post(json).statusCode()).isEqualTo(429);
    assertThat(stored()).hasSize(32);
    assertThat(servlet.collector().stats().rateLimited()).isEqualTo(31);
  }

  @Test
  void everyAcknowledgedReportIsOnDiskExactlyOnce() throws Exception {
    jetty.close();
    ReportCollector collector = ReportCollector.builder(new JsonLinesReportSink(file, 1 << 30, 1))
        .ratePerSecond(0).maxConcurrent(8).build();
    jetty = new TlsJetty(PKI).servlet("/hpkp-report", new HpkpReportServlet(collector)).start();
    int clients = 16;
    int perClient = 25;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(clients);
    java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < perClient; i++) {
          String host = "h" + client + "-" + i + ".example";
          HttpResponse<String> response = post(Reports.interception(PKI, host));
          if (response.statusCode() == 204) {
            acknowledged.add(host);
          }
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> future : futures) {
      future.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<String> hosts = stored().stream()
        .map(line -> line.replaceAll(".*\"hostname\":\"([^\"]+)\".*", "$1")).toList();
    assertThat(acknowledged).isNotEmpty();
    assertThat(hosts).doesNotHaveDuplicates();
    assertThat(hosts).containsAll(acknowledged);
    assertThat(collector.stats().accepted()).isEqualTo(acknowledged.size());
    assertThat(acknowledged.size() + collector.stats().rejected(Rejection.BUSY))
        .isEqualTo(clients * perClient);
  }

  static List<Pin> pins(Pin... pins) {
    return List.of(pins);
  }
}
