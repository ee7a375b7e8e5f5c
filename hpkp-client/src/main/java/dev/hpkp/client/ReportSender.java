package dev.hpkp.client;

import dev.hpkp.text.Printable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends pin failure reports (RFC 7469 §3) in the background: a bounded queue and one daemon
 * thread, so a report never blocks or fails the request that caused it. The same failure (host
 * and validated chain) is reported at most once per interval (default a minute); a full queue
 * drops the report. Every outcome is counted, and send errors are logged.
 */
public final class ReportSender implements AutoCloseable {

  private static final Logger LOG = System.getLogger(ReportSender.class.getName());
  private static final int REMEMBERED_FAILURES = 4096;

  private record Job(URI uri, PinFailureReport report) {}

  private final HttpClient client;
  private final Clock clock;
  private final Duration interval;
  private final Duration timeout;
  private final BlockingQueue<Job> queue;
  private final Map<String, Instant> lastSent = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > REMEMBERED_FAILURES;
    }
  };
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final Object idle = new Object();
  private int inFlight;
  private Thread worker;
  private volatile boolean closed;

  ReportSender(HttpClient client, Clock clock, int capacity, Duration interval,
      Duration timeout) {
    this.client = client;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.interval = interval;
    this.timeout = timeout;
  }

  /**
   * Queues {@code report} for {@code reportUri} unless the same failure was queued within the
   * interval or the queue is full; never blocks.
   *
   * @return true when queued
   */
  boolean submit(URI reportUri, PinFailureReport report, String failure) {
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
    synchronized (idle) {
      if (!queue.offer(new Job(reportUri, report))) {
        dropped.incrementAndGet();
        LOG.log(Level.WARNING, "HPKP report about " + report.hostname() + " dropped: "
            + queue.size() + " reports are already waiting to be sent");
        return false;
      }
      inFlight++;
      queued.incrementAndGet();
      if (worker == null) {
        worker = new Thread(this::run, "hpkp-report-sender");
        worker.setDaemon(true);
        worker.start();
      }
    }
    return true;
  }

  private void run() {
    while (!closed || !queue.isEmpty()) {
      Job job;
      try {
        job = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (job == null) {
        continue;
      }
      try {
        send(job);
      } finally {
        synchronized (idle) {
          inFlight--;
          idle.notifyAll();
        }
      }
    }
  }

  private void send(Job job) {
    String about = "HPKP report about " + job.report().hostname() + " to " + job.uri();
    try {
      HttpResponse<Void> response = client.send(HttpRequest.newBuilder(job.uri())
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(job.report().toJson())).build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        sent.incrementAndGet();
      } else {
        failed.incrementAndGet();
        LOG.log(Level.WARNING, about + " was answered HTTP " + response.statusCode());
      }
    } catch (InterruptedException e) {
      failed.incrementAndGet();
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failed.incrementAndGet();
      PinValidationException pins = PinValidationException.in(e);
      LOG.log(Level.WARNING, about + " failed: " + (pins != null
          ? "the report-uri's own pins refuse its chain (" + pins.host() + ")"
          : Printable.escape(e.getClass().getSimpleName() + ": " + e.getMessage())));
    }
  }

  /** Waits until every queued report has been sent or has failed; false on timeout. */
  public boolean flush(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (idle) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idle, left);
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

  /** Reports dropped because the queue was full or the sender closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Reports not queued because the same failure was reported within the interval. */
  public long suppressed() {
    return suppressed.get();
  }

  /** Stops taking reports; those queued are still sent by the daemon thread. */
  @Override
  public void close() {
    closed = true;
  }
}
