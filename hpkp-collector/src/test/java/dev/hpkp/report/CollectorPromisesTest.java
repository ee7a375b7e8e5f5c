package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the README promises about the collector's answers and about the report format. */
class CollectorPromisesTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final byte[] VALID =
      Reports.interception(PKI, "shop.example").getBytes(StandardCharsets.UTF_8);

  private static ReportCollector.Response post(ReportCollector collector, byte[] body) {
    return collector.handle("192.0.2.1", "application/json", body.length,
        () -> new ByteArrayInputStream(body));
  }

  @Test
  void aFailingSinkAnswers503WithRetryAfter() {
    ReportCollector collector = ReportCollector.builder(report -> {
      throw new IOException("No space left on device");
    }).build();

    ReportCollector.Response response = post(collector, VALID);

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.retryAfterSeconds()).isEqualTo(5);
    assertThat(collector.stats().accepted()).isZero();
  }

  @Test
  void aBusyCollectorAnswers429WithRetryAfterOne() throws Exception {
    CountDownLatch inSink = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ReportCollector collector = ReportCollector.builder(report -> {
      inSink.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).maxConcurrent(1).build();
    CompletableFuture<ReportCollector.Response> first =
        CompletableFuture.supplyAsync(() -> post(collector, VALID));
    assertThat(inSink.await(10, TimeUnit.SECONDS)).isTrue();

    ReportCollector.Response second = post(collector, VALID);
    release.countDown();

    assertThat(second.status()).isEqualTo(429);
    assertThat(second.retryAfterSeconds()).isEqualTo(1);
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(204);
  }

  @Test
  void duplicateKeysAreRefused() {
    String json = new String(VALID, StandardCharsets.UTF_8)
        .replaceFirst("\\{", "{\"hostname\": \"evil.example\", ");
    assertThatThrownBy(() -> new ReportParser(65_536, 10).parse(utf8(json)))
        .isInstanceOfSatisfying(RejectedReportException.class,
            e -> assertThat(e.reason()).isEqualTo(Rejection.MALFORMED_JSON))
        .hasMessageContaining("hostname");
  }

  @Test
  void unknownFieldsAreIgnoredAndPinsOfOtherAlgorithmsSkipped() throws Exception {
    String json = new String(VALID, StandardCharsets.UTF_8)
        .replaceFirst("\\{", "{\"x-vendor\": {\"nested\": [1, 2]}, ")
        .replace("\"known-pins\": [", "\"known-pins\": [\"pin-sha1=\\\"xJNXVqG7MCG4ldeOE5a0G2fd5j4=\\\"\", ");
    assertThat(json).contains("x-vendor", "pin-sha1");

    PinFailureReport report = new ReportParser(65_536, 10).parse(utf8(json));

    assertThat(report.hostname()).isEqualTo("shop.example");
    assertThat(report.knownPins()).containsExactly(PKI.backupPin(), PKI.secondBackupPin());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aNumberOutOfRangeIsAOneLine400() {
    String json = new String(VALID, StandardCharsets.UTF_8)
        .replace("\"port\": 443", "\"port\": 99999999999999999999");
    assertThat(json).contains("99999999999999999999");
    ReportCollector collector = ReportCollector.builder(report -> { }).build();

    ReportCollector.Response response = post(collector, json.getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).doesNotContain("\n", "[Source", "line:")
        .isNotBlank();
  }
}
