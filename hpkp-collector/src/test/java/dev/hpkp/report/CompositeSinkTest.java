package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class CompositeSinkTest {

  private static final ReceivedReport REPORT;

  static {
    try {
      REPORT = ReceivedReport.of(Instant.parse("2026-11-23T00:00:00Z"), "192.0.2.7",
          new ReportParser(65_536, 10).parse(Reports.interception(TestPki.localhost(),
              "shop.example").getBytes(StandardCharsets.UTF_8)));
    } catch (RejectedReportException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A sink that stores when the test says so. */
  private static final class Deferred implements ReportSink {
    final List<CompletableFuture<Void>> pending = new ArrayList<>();

    @Override
    public void accept(ReceivedReport report) {
      throw new AssertionError("store, not accept");
    }

    @Override
    public CompletionStage<Void> store(ReceivedReport report) {
      CompletableFuture<Void> stored = new CompletableFuture<>();
      pending.add(stored);
      return stored;
    }
  }

  @Test
  void theNextSinkGetsTheReportOnceTheOneBeforeHasIt() {
    Deferred first = new Deferred();
    List<ReceivedReport> second = new ArrayList<>();
    CompletableFuture<Void> stored = new CompositeSink(List.of(first, second::add))
        .store(REPORT).toCompletableFuture();

    assertThat(first.pending).hasSize(1);
    assertThat(second).isEmpty();
    assertThat(stored).isNotDone();
    first.pending.get(0).complete(null);
    assertThat(second).containsExactly(REPORT);
    assertThat(stored).isCompleted();
  }

  @Test
  void aFailureStopsTheChainAndFailsTheStore() {
    Deferred first = new Deferred();
    List<ReceivedReport> second = new ArrayList<>();
    CompletableFuture<Void> stored = new CompositeSink(List.of(first, second::add))
        .store(REPORT).toCompletableFuture();

    first.pending.get(0).completeExceptionally(new IOException("disk full"));
    assertThat(stored).isCompletedExceptionally();
    assertThat(second).isEmpty();
  }
}
