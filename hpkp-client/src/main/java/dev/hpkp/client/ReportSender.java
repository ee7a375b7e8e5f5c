package dev.hpkp.client;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.text.Failures;
import dev.hpkp.text.Printable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Sends pin failure reports (RFC 7469 §3) in the background, so a report never blocks or fails
 * the request that caused it, and no report-uri can hold up reports to another.
 *
 * <ul>
 *   <li>Reports wait per origin (scheme, host, port) and are sent asynchronously: at most
 *       {@value #IN_FLIGHT_PER_ORIGIN} at once to one origin and {@value #IN_FLIGHT} in all, each
 *       bounded by the report timeout (connect and response). A report-uri that accepts and never
 *       answers (a tarpit) holds only its own origin's two places.
 *   <li>At most {@value #WAITING_PER_ORIGIN} reports wait for one origin and the queue's
 *       capacity in all. A report about a connection the pins refused (an enforced policy) is sent
 *       before report-only ones and, when there is no room, takes the place of a waiting
 *       report-only report; a report-only report finding no room is dropped.
 *   <li>The same failure (host and validated chain) is reported at most once per interval.
 *   <li>Unless allowed, no report goes to a loopback, link-local, private or otherwise local
 *       address (checked on the addresses the report-uri's host resolves to): a server's header
 *       must not make a client inside a network post to that network.
 * </ul>
 *
 * Every outcome is counted, and send errors are logged.
 */
public final class ReportSender implements AutoCloseable {

  /** Reports sent at once to one origin. */
  static final int IN_FLIGHT_PER_ORIGIN = 2;
  /** Reports sent at once in all. */
  static final int IN_FLIGHT = 16;
  /** Reports waiting for one origin. */
  static final int WAITING_PER_ORIGIN = 16;

  private static final Logger LOG = System.getLogger(ReportSender.class.getName());
  private static final int REMEMBERED_FAILURES = 4096;
  /** Resolves report-uri hosts and finishes sends: a thread each while busy, none when idle. */
  private static final Executor WORKERS =
      Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "hpkp-report-sender");
        thread.setDaemon(true);
        return thread;
      });

  private record Job(URI uri, OutgoingReport report, boolean enforced) {}

  /** What waits for, and is being sent to, one origin. */
  private static final class Origin {
    final ArrayDeque<Job> enforced = new ArrayDeque<>();
    final ArrayDeque<Job> reportOnly = new ArrayDeque<>();
    int inFlight;

    int waiting() {
      return enforced.size() + reportOnly.size();
    }
  }

  private final HttpClient client;
  private final Clock clock;
  private final Duration interval;
  private final Duration timeout;
  private final int capacity;
  private final boolean privateTargets;
  private final Map<String, Instant> lastSent = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > REMEMBERED_FAILURES;
    }
  };
  /** Guards the origins and the two counts below; notified whenever a report is done. */
  private final Object lock = new Object();
  private final Map<String, Origin> origins = new LinkedHashMap<>();
  private int waiting;
  private int inFlight;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final AtomicLong blocked = new AtomicLong();
  private volatile boolean closed;

  ReportSender(HttpClient client, Clock clock, int capacity, Duration interval,
      Duration timeout, boolean privateTargets) {
    this.client = client;
    this.clock = clock;
    this.capacity = capacity;
    this.interval = interval;
    this.timeout = timeout;
    this.privateTargets = privateTargets;
  }

  /**
   * Queues {@code report} for {@code reportUri} unless the same failure (host, port and the
   * validated {@code path}'s keys) was queued within the interval or there is no room (see the
   * class comment); never blocks.
   *
   * @param enforced whether the report is about a connection the pins refused
   * @return true when queued
   */
  boolean submit(String reportUri, OutgoingReport report, List<X509Certificate> path,
      boolean enforced) {
    URI uri;
    try {
      uri = URI.create(reportUri);
    } catch (IllegalArgumentException e) {
      return false; // the header parser admits only absolute http(s) URIs; nothing to send to
    }
    String failure = report.hostname() + ":" + report.port() + " " + path.stream()
        .map(KeyMaterial::pinOf).map(Pin::base64).collect(Collectors.joining(","));
    return submit(uri, report, failure, enforced);
  }

  private boolean submit(URI reportUri, OutgoingReport report, String failure,
      boolean enforced) {
    if (closed) {
      dropped.incrementAndGet();
      return false;
    }
    Instant now = clock.instant();
    synchronized (lastSent) {
      Instant last = lastSent.get(failure);
      if (last != null && now.isBefore(last.plus(interval))) {
        suppressed.incrementAndGet();
        return false;
      }
      lastSent.put(failure, now);
    }
    Job job = new Job(reportUri, report, enforced);
    synchronized (lock) {
      Origin origin = origins.computeIfAbsent(origin(reportUri), key -> new Origin());
      if ((origin.waiting() >= WAITING_PER_ORIGIN || waiting >= capacity)
          && !(enforced && evictReportOnly(origin))) {
        dropped.incrementAndGet();
        LOG.log(Level.WARNING, "HPKP report about " + report.hostname() + " dropped: "
            + origin.waiting() + " reports wait for " + reportUri.getHost() + " and " + waiting
            + " in all");
        return false;
      }
      (enforced ? origin.enforced : origin.reportOnly).addLast(job);
      waiting++;
      queued.incrementAndGet();
      dispatch();
    }
    return true;
  }

  /**
   * Makes room for an enforced report by dropping a waiting report-only one: of {@code origin}
   * when it is the origin that is full, else of the origin with the most waiting.
   */
  private boolean evictReportOnly(Origin origin) {
    Origin from = origin.waiting() >= WAITING_PER_ORIGIN ? origin : null;
    if (from == null) {
      for (Origin candidate : origins.values()) {
        if (!candidate.reportOnly.isEmpty()
            && (from == null || candidate.reportOnly.size() > from.reportOnly.size())) {
          from = candidate;
        }
      }
    }
    if (from == null || from.reportOnly.isEmpty()) {
      return false;
    }
    from.reportOnly.removeLast();
    waiting--;
    dropped.incrementAndGet();
    return true;
  }

  /** Starts what the limits allow, enforced reports first. Holds {@link #lock}. */
  private void dispatch() {
    for (boolean enforced : new boolean[] {true, false}) {
      for (Origin origin : origins.values()) {
        ArrayDeque<Job> jobs = enforced ? origin.enforced : origin.reportOnly;
        while (!jobs.isEmpty() && origin.inFlight < IN_FLIGHT_PER_ORIGIN
            && inFlight < IN_FLIGHT) {
          Job job = jobs.pollFirst();
          waiting--;
          inFlight++;
          origin.inFlight++;
          send(job).whenCompleteAsync((ignored, failure) -> done(origin), WORKERS);
        }
      }
    }
    Iterator<Origin> idle = origins.values().iterator();
    while (idle.hasNext()) {
      Origin origin = idle.next();
      if (origin.inFlight == 0 && origin.waiting() == 0) {
        idle.remove();
      }
    }
  }

  private void done(Origin origin) {
    synchronized (lock) {
      inFlight--;
      origin.inFlight--;
      if (origin.inFlight == 0 && origin.waiting() == 0) {
        origins.values().remove(origin);
      }
      dispatch();
      lock.notifyAll();
    }
  }

  /** Sends one report; completes (never exceptionally) when it is sent, refused or failed. */
  private CompletableFuture<Void> send(Job job) {
    String about = "HPKP report about " + job.report().hostname() + " to " + job.uri();
    return CompletableFuture.supplyAsync(() -> blockedTarget(job.uri()), WORKERS)
        .thenCompose(blockedBy -> {
          if (blockedBy != null) {
            blocked.incrementAndGet();
            LOG.log(Level.WARNING, about + " not sent: " + blockedBy);
            return CompletableFuture.<Void>completedFuture(null);
          }
          return client.sendAsync(HttpRequest.newBuilder(job.uri()).timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(job.report().toJson())).build(),
              HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
                if (response.statusCode() / 100 == 2) {
                  sent.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  LOG.log(Level.WARNING, about + " was answered HTTP " + response.statusCode());
                }
              });
        })
        .exceptionally(e -> {
          failed.incrementAndGet();
          Throwable cause = e instanceof CompletionException
              && e.getCause() != null ? e.getCause() : e;
          PinValidationException pins = PinValidationException.in(cause);
          LOG.log(Level.WARNING, about + " failed: " + (pins != null
              ? "the report-uri's own pins refuse its chain (" + pins.host() + ")"
              : Failures.why(cause)));
          return null;
        });
  }

  /** Null when reports may go to {@code uri}'s host; else why not. Resolves the host. */
  private String blockedTarget(URI uri) {
    if (privateTargets) {
      return null;
    }
    String host = uri.getHost();
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (Hosts.isLocal(address)) {
          return "the report-uri's host " + Printable.escape(host) + " is "
              + address.getHostAddress() + ", a loopback, link-local or private address"
              + " (HpkpAgent.Builder.reportToPrivateAddresses(true) allows it)";
        }
      }
      return null;
    } catch (UnknownHostException e) {
      return "the report-uri's host " + Printable.escape(String.valueOf(host))
          + " does not resolve";
    }
  }

  private static String origin(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://"
        + String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + uri.getPort();
  }

  /** Waits until every queued report has been sent or has failed; false on timeout. */
  public boolean flush(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (waiting > 0 || inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
    return true;
  }

  /** Reports queued for sending. */
  public long queued() {
    return queued.get();
  }

  /** Reports the report-uri answered with 2xx. */
  public long sent() {
    return sent.get();
  }

  /** Reports that could not be sent: connection, TLS or pin failure, timeout, non-2xx. */
  public long failed() {
    return failed.get();
  }

  /** Reports dropped for want of room, or because the sender was closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Reports not queued because the same failure was reported within the interval. */
  public long suppressed() {
    return suppressed.get();
  }

  /**
   * Reports not sent because the report-uri's host is a loopback, link-local or private address.
   */
  public long blocked() {
    return blocked.get();
  }

  /** Reports waiting or being sent now. */
  public int pending() {
    synchronized (lock) {
      return waiting + inFlight;
    }
  }

  /** Stops taking reports; those queued are still sent. */
  @Override
  public void close() {
    closed = true;
  }
}
