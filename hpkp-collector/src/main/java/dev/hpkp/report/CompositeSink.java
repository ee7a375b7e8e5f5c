package dev.hpkp.report;

import java.io.IOException;
import java.util.List;

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
