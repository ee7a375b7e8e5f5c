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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Receives RFC 7469 pin validation reports: admission (per-address rate limit, body cap,
 * concurrency bound), validation, derivation and storage. Independent of the servlet API; the
 * servlet {@link HpkpReportServlet} maps HTTP onto {@link #handle}. Thread-safe.
 *
 * <p>The public {@link Builder}, one documented setter per limit, lives here next to the
 * request path it configures (admit, process, abandon).
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
  private final LongSupplier nanoTime;
  private final long worstCaseBytes;
  private final long bodyTimeoutNanos;
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
    this.worstCaseBytes = (long) builder.maxConcurrent * builder.maxBodyBytes
        + CertificateCache.DEFAULT_BUDGET_BYTES;
    this.acquireTimeoutMillis = builder.acquireTimeoutMillis;
    this.parser = new ReportParser(builder.maxBodyBytes, builder.maxChainLength);
    this.clock = builder.clock;
    this.nanoTime = builder.nanoTime;
    this.bodyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(builder.bodyTimeoutMillis);
    this.recentCapacity = builder.recentCapacity;
  }

  public static Builder builder(ReportSink sink) {
    return new Builder(sink);
  }

  /**
   * A request that passed the admission checks and holds one of the {@code maxConcurrent}
   * permits, taken <em>before</em> its body is read: memory for bodies is bounded by
   * {@code maxConcurrent × maxBodyBytes}. Exactly one of {@link #process} and {@link #abandon}
   * ends it and gives the permit back.
   */
  public final class Admission {
    private final String remoteAddress;
    private final long contentLength;
    private final AtomicBoolean open =
        new AtomicBoolean(true);

    private Admission(String remoteAddress, long contentLength) {
      this.remoteAddress = remoteAddress;
      this.contentLength = contentLength;
    }

    /** The largest body this request may send. */
    public int maxBodyBytes() {
      return maxBodyBytes;
    }

    /** The length the request declared (at most {@link #maxBodyBytes()}), or -1 (chunked). */
    public long contentLength() {
      return contentLength;
    }

    private boolean close() {
      if (open.compareAndSet(true, false)) {
        permits.release();
        return true;
      }
      return false;
    }
  }

  /** Either an admission or the answer that turns the request away. */
  public record Admitted(Admission admission, Response rejection) {}

  /**
   * The checks made before the body is opened — rate limit, media type, declared length, a
   * concurrency permit — so a rejected client is never asked for its body (no 100 Continue).
   *
   * @param contentLength the declared length, or -1 when unknown (chunked)
   */
  public Admitted admit(String remoteAddress, String contentType, long contentLength) {
    if (rateLimiter != null && !rateLimiter.tryAcquire(remoteAddress)) {
      return new Admitted(null, reject(Rejection.RATE_LIMITED, "too many reports from "
          + remoteAddress + "; retry later", rateLimiter.retryAfterSeconds(), true));
    }
    String mediaTypeProblem = Bodies.checkMediaType(contentType);
    if (mediaTypeProblem != null) {
      return new Admitted(null, reject(Rejection.UNSUPPORTED_MEDIA_TYPE, mediaTypeProblem, 0,
          true));
    }
    if (contentLength > maxBodyBytes) {
      return new Admitted(null, tooLarge());
    }
    boolean acquired;
    try {
      acquired = permits.tryAcquire(acquireTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      acquired = false;
    }
    if (!acquired) {
      return new Admitted(null, reject(Rejection.BUSY, "the collector is busy; retry later", 1,
          true));
    }
    return new Admitted(new Admission(remoteAddress, contentLength), null);
  }

  /** Parses and stores the body of an admitted request; gives its permit back. */
  public Response process(Admission admission, byte[] bytes) {
    if (!admission.open.get()) {
      throw new IllegalStateException("this admission has already ended");
    }
    try {
      return parseAndStore(admission, bytes).toCompletableFuture().join();
    } finally {
      admission.close(); // the permit is held until the sink has the report
    }
  }

  /**
   * Parses the body of an admitted request here and stores it through {@link ReportSink#store},
   * so no thread waits for the sink; the stage completes with the answer once the sink has the
   * report (or refused it), and the permit is given back then. It never completes exceptionally.
   */
  public CompletionStage<Response> processAsync(Admission admission, byte[] bytes) {
    if (!admission.open.get()) {
      throw new IllegalStateException("this admission has already ended");
    }
    CompletionStage<Response> answer;
    try {
      answer = parseAndStore(admission, bytes);
    } catch (RuntimeException | Error e) {
      admission.close();
      throw e;
    }
    return answer.whenComplete((response, failure) -> admission.close());
  }

  /**
   * The answer for a report whose storage is still under way when its request runs out of time:
   * it may yet be stored, so nothing is counted.
   */
  Response stillStoring() {
    return new Response(503, "the report is taking longer than " + bodyTimeoutMillis()
        + " ms to store; it may be stored, retry later", 5, false);
  }

  private CompletionStage<Response> parseAndStore(Admission admission, byte[] bytes) {
    if (bytes.length > maxBodyBytes) {
      return CompletableFuture.completedFuture(tooLarge());
    }
    if (admission.contentLength >= 0 && bytes.length != admission.contentLength) {
      return CompletableFuture.completedFuture(reject(Rejection.UNREADABLE_BODY,
          "the body is shorter than its Content-Length", 0, true));
    }
    ReceivedReport received;
    try {
      received = ReceivedReport.of(clock.instant(), admission.remoteAddress, parser.parse(bytes));
    } catch (RejectedReportException e) {
      return CompletableFuture.completedFuture(reject(e.reason(), e.getMessage(), 0, false));
    } catch (RuntimeException e) {
      // The parsers map every failure the input can cause to a RejectedReportException, so
      // anything else is a bug here: 500, and the stack trace in the log to fix it.
      LOG.log(Level.ERROR, "HPKP report collector failed on a report from "
          + Printable.escape(admission.remoteAddress) + "; this is a bug, please report it", e);
      return CompletableFuture.completedFuture(reject(Rejection.INTERNAL_ERROR,
          "the collector failed on this report (an internal error, logged)", 0, false));
    }
    CompletionStage<Void> stored;
    try {
      stored = sink.store(received);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    return stored.handle((nothing, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        LOG.log(Level.ERROR, Printable.escape("HPKP report collector could not store a report"
            + " from " + admission.remoteAddress + ": " + cause));
        return reject(Rejection.SINK_FAILED, "the report could not be stored; retry later", 5,
            false);
      }
      stats.countAccepted(received.verdict());
      remember(received);
      return Response.STORED;
    });
  }

  /**
   * Ends an admitted request whose body did not arrive: too large, unreadable, or not within
   * {@code bodyTimeoutMillis} ({@link Rejection#BODY_TIMEOUT}, 408). Gives the permit back; a
   * second call answers the same without counting again.
   */
  public Response abandon(Admission admission, Rejection reason, String message) {
    if (!admission.close()) {
      return new Response(reason.status(), Printable.escape(message), 0, true);
    }
    return reject(reason, message, 0, true);
  }

  /**
   * Handles one POSTed report, reading the body in this thread: {@link #admit}, then the body
   * within {@code bodyTimeoutMillis}, then {@link #process}. The servlet reads asynchronously
   * instead where the container allows it.
   *
   * @param contentLength the declared length, or -1 when unknown (chunked)
   * @param body opened only when the request was admitted
   */
  public Response handle(String remoteAddress, String contentType, long contentLength,
      Body body) {
    Admitted admitted = admit(remoteAddress, contentType, contentLength);
    if (admitted.rejection() != null) {
      return admitted.rejection();
    }
    Admission admission = admitted.admission();
    byte[] bytes;
    try {
      bytes = Bodies.readAtMost(body.open(), maxBodyBytes, nanoTime, bodyTimeoutNanos);
    } catch (Bodies.BodyTimeoutException e) {
      return abandon(admission, Rejection.BODY_TIMEOUT, e.getMessage());
    } catch (IOException e) {
      return abandon(admission, Rejection.UNREADABLE_BODY, "the body could not be read"
          + " completely");
    }
    if (bytes == null) {
      return abandon(admission, Rejection.TOO_LARGE, "the body is larger than " + maxBodyBytes
          + " bytes");
    }
    return process(admission, bytes);
  }

  /** Counts a request turned away before it reached {@link #handle}, e.g. a GET. */
  public void countRejected(Rejection reason) {
    stats.countRejected(reason);
  }

  /**
   * The most memory reports can take at once: {@code maxConcurrent × maxBodyBytes} of bodies
   * (each read only while it holds a permit) plus the certificate cache's budget.
   */
  public long worstCaseBytes() {
    return worstCaseBytes;
  }

  /** How long an admitted body may take to arrive. */
  public long bodyTimeoutMillis() {
    return TimeUnit.NANOSECONDS.toMillis(bodyTimeoutNanos);
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

  /**
   * Puts reports stored before this collector started (oldest first) into {@link
   * #recentReports()}, as if just received; the counters are not touched.
   */
  public void restoreRecent(List<ReceivedReport> stored) {
    stored.forEach(this::remember);
  }

  /** The parser this collector admits reports with; it also reads them back from a file. */
  ReportParser parser() {
    return parser;
  }

  int recentCapacity() {
    return recentCapacity;
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

  /**
   * Settings with safe defaults; each is checked against its {@link CollectorLimit} as it is
   * set, so a bad value fails naming the setting.
   */
  public static final class Builder {
    private final ReportSink sink;
    private int maxBodyBytes = (int) CollectorLimit.MAX_BODY_BYTES.defaultValue();
    private double ratePerSecond = CollectorLimit.RATE_PER_SECOND.defaultValue();
    private double rateBurst = CollectorLimit.RATE_BURST.defaultValue();
    private int maxAddresses = (int) CollectorLimit.MAX_ADDRESSES.defaultValue();
    private int maxConcurrent = (int) CollectorLimit.MAX_CONCURRENT.defaultValue();
    private long acquireTimeoutMillis = CollectorLimit.ACQUIRE_TIMEOUT_MILLIS.defaultValue();
    private long bodyTimeoutMillis = CollectorLimit.BODY_TIMEOUT_MILLIS.defaultValue();
    private int maxChainLength = (int) CollectorLimit.MAX_CHAIN_LENGTH.defaultValue();
    private int recentCapacity = (int) CollectorLimit.RECENT_CAPACITY.defaultValue();
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(ReportSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Largest body accepted, default 65536; larger bodies get 413 without being read. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = (int) CollectorLimit.MAX_BODY_BYTES.check(maxBodyBytes);
      return this;
    }

    /** Reports per second per client address, default 10; 0 switches the limit off. */
    public Builder ratePerSecond(double ratePerSecond) {
      this.ratePerSecond = CollectorLimit.RATE_PER_SECOND.check(ratePerSecond);
      return this;
    }

    /** Reports a client address may send at once before the rate applies, default 100. */
    public Builder rateBurst(double rateBurst) {
      this.rateBurst = CollectorLimit.RATE_BURST.check(rateBurst);
      return this;
    }

    /** Client addresses tracked at once, default 100000. */
    public Builder maxAddresses(int maxAddresses) {
      this.maxAddresses = (int) CollectorLimit.MAX_ADDRESSES.check(maxAddresses);
      return this;
    }

    /**
     * Reports received or processed at once, default 64; more wait up to {@link
     * #acquireTimeoutMillis}, then get 429.
     */
    public Builder maxConcurrent(int maxConcurrent) {
      this.maxConcurrent = (int) CollectorLimit.MAX_CONCURRENT.check(maxConcurrent);
      return this;
    }

    /** How long a request waits for one of the {@link #maxConcurrent} permits, default 200 ms. */
    public Builder acquireTimeoutMillis(long acquireTimeoutMillis) {
      this.acquireTimeoutMillis = CollectorLimit.ACQUIRE_TIMEOUT_MILLIS.check(
          acquireTimeoutMillis);
      return this;
    }

    /**
     * How long a body may take to arrive once the request holds its permit; later, 408. Default
     * 5000 ms: a report is a few kilobytes.
     */
    public Builder bodyTimeoutMillis(long bodyTimeoutMillis) {
      this.bodyTimeoutMillis = CollectorLimit.BODY_TIMEOUT_MILLIS.check(bodyTimeoutMillis);
      return this;
    }

    /** Certificates accepted per chain in a report, default 10. */
    public Builder maxChainLength(int maxChainLength) {
      this.maxChainLength = (int) CollectorLimit.MAX_CHAIN_LENGTH.check(maxChainLength);
      return this;
    }

    /** Reports kept in memory for {@link ReportCollector#recentReports()}, default 20. */
    public Builder recentCapacity(int recentCapacity) {
      this.recentCapacity = (int) CollectorLimit.RECENT_CAPACITY.check(recentCapacity);
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
      return new ReportCollector(this);
    }
  }
}
