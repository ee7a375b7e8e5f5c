package dev.hpkp.report;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where accepted reports go. The collector answers 204 only once the sink has the report —
 * {@link #accept} returned, or the stage of {@link #store} completed — so an implementation
 * decides what a 204 promises (the JSON-lines sink: the line is on disk).
 *
 * <p>Implementations named by the servlet's {@code sink} init-param need a public no-argument
 * constructor. {@link #accept} and {@link #store} are called from many request threads at once.
 */
public interface ReportSink extends AutoCloseable {

  /** Stores a report; throws when it could not, and the client then gets a 503. */
  void accept(ReceivedReport report) throws IOException;

  /**
   * Stores a report without holding the caller's thread while it waits, where the sink can: the
   * stage completes once {@link #accept} would have returned, or fails with what it would have
   * thrown. The collector's asynchronous path uses this; the default calls {@link #accept}.
   */
  default CompletionStage<Void> store(ReceivedReport report) {
    try {
      accept(report);
      return CompletableFuture.completedFuture(null);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  default void close() throws IOException {}
}
