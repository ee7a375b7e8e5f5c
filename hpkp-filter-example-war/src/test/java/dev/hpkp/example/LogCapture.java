package dev.hpkp.example;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the containers log through java.util.logging (Tomcat's JULI, and Jetty's SLF4J
 * through slf4j-jdk14), with the messages of attached exceptions.
 */
final class LogCapture extends Handler implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();

  LogCapture() {
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " "
        + record.getMessage());
    for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
      line.append(" | ").append(t);
    }
    lines.add(line.toString());
  }

  /** Lines logged by loggers whose names start with {@code prefix}. */
  List<String> from(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
