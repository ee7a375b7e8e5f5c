package dev.hpkp.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps a green build quiet: while a test runs, what the root logger would print goes to a
 * buffer instead (tests that fail on purpose log SEVERE lines and stack traces), and the buffer
 * is printed only when the test fails, so its log is there exactly when it is needed. Registered
 * for every test through JUnit's extension auto-detection ({@code junit-platform.properties}).
 * Tests that assert on log lines add their own handlers, which keep working.
 */
public final class QuietLogs implements BeforeEachCallback, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(QuietLogs.class);

  /** The records of one test, and the console handlers set aside meanwhile. */
  private static final class Buffer extends Handler {
    final List<LogRecord> records = new ArrayList<>();
    final List<Handler> setAside = new ArrayList<>();

    @Override
    public synchronized void publish(LogRecord record) {
      if (records.size() < 10_000) {
        records.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Logger root = LogManager.getLogManager().getLogger("");
    Buffer buffer = new Buffer();
    for (Handler handler : root.getHandlers()) {
      buffer.setAside.add(handler);
      root.removeHandler(handler);
    }
    root.addHandler(buffer);
    context.getStore(NAMESPACE).put(Buffer.class, buffer);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Buffer buffer = context.getStore(NAMESPACE).remove(Buffer.class, Buffer.class);
    if (buffer == null) {
      return;
    }
    Logger root = LogManager.getLogManager().getLogger("");
    root.removeHandler(buffer);
    buffer.setAside.forEach(root::addHandler);
    if (context.getExecutionException().isPresent() && !buffer.records.isEmpty()) {
      Formatter format = new SimpleFormatter();
      System.err.println("--- log of the failed test " + context.getDisplayName() + " ---");
      synchronized (buffer) {
        buffer.records.forEach(record -> System.err.print(format.format(record)));
      }
    }
  }
}
