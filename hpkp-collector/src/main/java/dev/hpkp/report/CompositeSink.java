package dev.hpkp.report;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Several sinks, each given every report in order. */
final class CompositeSink implements ReportSink {
  private final List<ReportSink> sinks;

  CompositeSink(List<ReportSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  List<ReportSink> sinks() {
    return sinks;
  }

  @Override
  public void accept(ReceivedReport report) throws IOException {
    for (ReportSink sink : sinks) {
      sink.accept(report);
    }
  }

  /** Each sink in turn, the next once the one before has the report; stops at a failure. */
  @Override
  public CompletionStage<Void> store(ReceivedReport report) {
    CompletionStage<Void> stored = CompletableFuture.completedFuture(null);
    for (ReportSink sink : sinks) {
      stored = stored.thenCompose(nothing -> sink.store(report));
    }
    return stored;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ReportSink sink : sinks) {
      try {
        sink.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
