package dev.hpkp.report;

import java.io.IOException;

/**
 * Where accepted reports go. The collector answers 204 only after {@link #accept} returns, so an
 * implementation decides what a 204 promises (the JSON-lines sink: the line is on disk).
 *
 * <p>Implementations named by the servlet's {@code sink} init-param need a public no-argument
 * constructor. {@link #accept} is called from many request threads at once.
 */
public interface ReportSink extends AutoCloseable {

  /** Stores a report; throws when it could not, and the client then gets a 503. */
  void accept(ReceivedReport report) throws IOException;

  @Override
  default void close() throws IOException {}
}
