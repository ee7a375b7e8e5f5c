package dev.hpkp.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the collector checks of a request's body before parsing it: its media type, its size, its
 * pace.
 */
final class Bodies {

  private Bodies() {}

  /** Null when acceptable, else the 415 reason. */
  static String checkMediaType(String contentType) {
    if (contentType == null) {
      return "Content-Type must be application/json";
    }
    String[] parts = contentType.split(";");
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return "Content-Type must be application/json, not " + parts[0].strip();
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("charset=")) {
        String charset = parameter.substring(8).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return "reports must be UTF-8, not charset=" + charset;
        }
      }
    }
    return null;
  }
  /** The body did not arrive within {@code bodyTimeoutMillis}. */
  static final class BodyTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Up to {@code limit} bytes, or null when there are more. Between reads the deadline is
   * checked: a body trickling in gets {@link BodyTimeoutException} once it is late.
   */
  static byte[] readAtMost(InputStream in, int limit, LongSupplier nanoTime, long timeoutNanos)
      throws IOException {
    long deadline = nanoTime.getAsLong() + timeoutNanos;
    byte[] buffer = new byte[Math.min(limit + 1, 8192)];
    int length = 0;
    while (true) {
      if (nanoTime.getAsLong() - deadline > 0) {
        throw new BodyTimeoutException("the body did not arrive within "
            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      }
      if (length == buffer.length) {
        if (length > limit) {
          return null;
        }
        buffer = Arrays.copyOf(buffer, Math.min(limit + 1, buffer.length * 2));
      }
      int read = in.read(buffer, length, buffer.length - length);
      if (read < 0) {
        return Arrays.copyOf(buffer, length);
      }
      length += read;
      if (length > limit) {
        return null;
      }
    }
  }
}
