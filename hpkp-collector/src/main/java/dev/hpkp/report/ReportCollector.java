package dev.hpkp.report;

import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Receives RFC 7469 pin validation reports: admission (per-address rate limit, body cap,
 * concurrency bound), validation, derivation and storage. Independent of the servlet API; the
 * servlet {@link HpkpReportServlet} maps HTTP onto {@link #handle}. Thread-safe.
 */
public final class ReportCollector implements AutoCloseable {

  /** ServletContext attribute under which {@link HpkpReportServlet} publishes its collector. */
  public static final String CONTEXT_ATTRIBUTE = ReportCollector.class.getName();

  private static final System.Logger LOG = System.getLogger(ReportCollector.class.getName());

  private final ReportSink sink;
  private final int maxBodyBytes;
  private final RateLimiter rateLimiter;
  private final Semaphore permits;
  private final long acquireTimeoutMillis;
  private final ReportParser parser;
  private final Clock clock;
  private final CollectorStats stats = new CollectorStats();
  private final int recentCapacity;
  private final ArrayDeque<ReceivedReport> recent = new ArrayDeque<>();

  /** Opens the request body; called only once the request passed the checks that need no body. */
  @FunctionalInterface
  public interface Body {
    InputStream open() throws IOException;
  }

  /** What to answer: status, a short plain-text reason (none for 204), retry advice. */
  public record Response(int status, String message, long retryAfterSeconds,
      boolean closeConnection) {
    static final Response STORED = new Response(204, null, 0, false);
  }

  private ReportCollector(Builder builder) {
    this.sink = Objects.requireNonNull(builder.sink, "sink");
    this.maxBodyBytes = builder.maxBodyBytes;
    this.rateLimiter = builder.ratePerSecond <= 0 ? null : new RateLimiter(builder.ratePerSecond,
        builder.rateBurst, builder.maxAddresses, builder.nanoTime);
    this.permits = new Semaphore(builder.maxConcurrent);
    this.acquireTimeoutMillis = builder.acquireTimeoutMillis;
    this.parser = new ReportParser(builder.maxBodyBytes, builder.maxChainLength);
    this.clock = builder.clock;
    this.recentCapacity = builder.recentCapacity;
  }

  public static Builder builder(ReportSink sink) {
    return new Builder(sink);
  }

  /**
   * Handles one POSTed report.
   *
   * @param contentLength the declared length, or -1 when unknown (chunked)
   * @param body opened only when the request passed the rate limit, media type and length
   *     checks, so a rejected client is never asked for its body (no 100 Continue)
   */
  public Response handle(String remoteAddress, String contentType, long contentLength,
      Body body) {
    if (rateLimiter != null && !rateLimiter.tryAcquire(remoteAddress)) {
      return reject(Rejection.RATE_LIMITED, "too many reports from " + remoteAddress
          + "; retry later", rateLimiter.retryAfterSeconds(), true);
    }
    String mediaTypeProblem = checkMediaType(contentType);
    if (mediaTypeProblem != null) {
      return reject(Rejection.UNSUPPORTED_MEDIA_TYPE, mediaTypeProblem, 0, true);
    }
    if (contentLength > maxBodyBytes) {
      return tooLarge();
    }
    byte[] bytes;
    try {
      bytes = readAtMost(body.open(), maxBodyBytes);
    } catch (IOException e) {
      return reject(Rejection.UNREADABLE_BODY, "the body could not be read completely", 0, true);
    }
    if (bytes == null) {
      return tooLarge();
    }
    if (contentLength >= 0 && bytes.length != contentLength) {
      return reject(Rejection.UNREADABLE_BODY, "the body is shorter than its Content-Length",
          0, true);
    }
    boolean acquired;
    try {
      acquired = permits.tryAcquire(acquireTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      return reject(Rejection.BUSY, "the collector is busy; retry later", 1, false);
    }
    try {
      ReceivedReport received;
      try {
        received = ReceivedReport.of(clock.instant(), remoteAddress, parser.parse(bytes));
      } catch (RejectedReportException e) {
        return reject(e.reason(), e.getMessage(), 0, false);
      } catch (RuntimeException e) {
        // The parsers are hardened (bounded DER, every known exception mapped); whatever still
        // escapes them is the input's fault, never a reason to tell the client to retry.
        return reject(Rejection.MALFORMED_JSON, "the report could not be read ("
            + e.getClass().getSimpleName() + ")", 0, false);
      }
      try {
        sink.accept(received);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.ERROR, Printable.escape("HPKP report collector could not store a report"
            + " from " + remoteAddress + ": " + e));
        return reject(Rejection.SINK_FAILED, "the report could not be stored; retry later", 5,
            false);
      }
      stats.countAccepted();
      remember(received);
      return Response.STORED;
    } finally {
      permits.release();
    }
  }

  /** Counts a request turned away before it reached {@link #handle}, e.g. a GET. */
  public void countRejected(Rejection reason) {
    stats.countRejected(reason);
  }

  public CollectorStats stats() {
    return stats;
  }

  /** The most recently stored reports, newest first. */
  public List<ReceivedReport> recentReports() {
    synchronized (recent) {
      List<ReceivedReport> copy = new ArrayList<>(recent);
      Collections.reverse(copy);
      return copy;
    }
  }

  public ReportSink sink() {
    return sink;
  }

  @Override
  public void close() throws IOException {
    sink.close();
  }

  private void remember(ReceivedReport received) {
    if (recentCapacity == 0) {
      return;
    }
    synchronized (recent) {
      if (recent.size() == recentCapacity) {
        recent.removeFirst();
      }
      recent.addLast(received);
    }
  }

  private Response tooLarge() {
    return reject(Rejection.TOO_LARGE, "the body is larger than " + maxBodyBytes + " bytes", 0,
        true);
  }

  private Response reject(Rejection reason, String message, long retryAfter, boolean close) {
    stats.countRejected(reason);
    // The reason goes back to the client and into status pages: one line, nothing raw.
    String line = message == null ? "" : message.lines().findFirst().orElse("");
    return new Response(reason.status(), Printable.escape(line), retryAfter, close);
  }

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

  /** Reads the whole stream if it has at most {@code limit} bytes; null if it has more. */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] buffer = new byte[Math.min(limit + 1, 8192)];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (buffer.length > limit) {
          return null;
        }
        buffer = java.util.Arrays.copyOf(buffer, Math.min(limit + 1, buffer.length * 2));
      }
      int read = in.read(buffer, length, buffer.length - length);
      if (read < 0) {
        return java.util.Arrays.copyOf(buffer, length);
      }
      length += read;
      if (length > limit) {
        return null;
      }
    }
  }

  /** Settings with safe defaults. */
  public static final class Builder {
    private final ReportSink sink;
    private int maxBodyBytes = 64 * 1024;
    private double ratePerSecond = 10;
    private double rateBurst = 100;
    private int maxAddresses = 100_000;
    private int maxConcurrent = 64;
    private long acquireTimeoutMillis = 200;
    private int maxChainLength = 10;
    private int recentCapacity = 20;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(ReportSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Largest body accepted, default 65536; larger bodies get 413 without being read. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** Reports per second per client address, default 10; 0 switches the limit off. */
    public Builder ratePerSecond(double ratePerSecond) {
      this.ratePerSecond = ratePerSecond;
      return this;
    }

    /** Reports a client address may send at once before the rate applies, default 100. */
    public Builder rateBurst(double rateBurst) {
      this.rateBurst = rateBurst;
      return this;
    }

    /** Client addresses tracked at once, default 100000. */
    public Builder maxAddresses(int maxAddresses) {
      this.maxAddresses = maxAddresses;
      return this;
    }

    /** Reports parsed and stored at once, default 64; more wait up to 200 ms, then get 429. */
    public Builder maxConcurrent(int maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
      return this;
    }

    /** Certificates accepted per chain in a report, default 10. */
    public Builder maxChainLength(int maxChainLength) {
      this.maxChainLength = maxChainLength;
      return this;
    }

    /** Reports kept in memory for {@link #recentReports()}, default 20. */
    public Builder recentCapacity(int recentCapacity) {
      this.recentCapacity = recentCapacity;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = nanoTime;
      return this;
    }

    public ReportCollector build() {
      if (maxBodyBytes < 1024 || rateBurst < 1 && ratePerSecond > 0 || maxConcurrent < 1
          || maxChainLength < 1 || recentCapacity < 0 || maxAddresses < 1) {
        throw new IllegalArgumentException("collector limits out of range: maxBodyBytes="
            + maxBodyBytes + " (>= 1024), rateBurst=" + rateBurst + " (>= 1), maxConcurrent="
            + maxConcurrent + " (>= 1), maxChainLength=" + maxChainLength + " (>= 1)");
      }
      return new ReportCollector(this);
    }
  }
}
