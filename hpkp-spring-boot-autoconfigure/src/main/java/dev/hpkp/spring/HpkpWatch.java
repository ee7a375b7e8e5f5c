package dev.hpkp.spring;

import dev.hpkp.watch.Alert;
import dev.hpkp.watch.CtWatcher;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.SmartLifecycle;

/**
 * {@code hpkp.watch.enabled=true}: a {@link CtWatcher} run every {@code hpkp.watch.interval} on
 * a background thread while the application runs, with what the health indicator, the metrics
 * and {@code /actuator/hpkp} show: each log's last round, the alerts since start.
 */
public final class HpkpWatch implements SmartLifecycle, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(HpkpWatch.class.getName());
  private static final int RECENT = 20;

  private final CtWatcher watcher;
  private final long intervalMillis;
  private final Map<String, CtWatcher.Progress> lastRound = new LinkedHashMap<>();
  private final ArrayDeque<Alert> recent = new ArrayDeque<>();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong unpinned = new AtomicLong();
  private final AtomicLong misbehaviour = new AtomicLong();
  private ScheduledExecutorService scheduler;

  HpkpWatch(CtWatcher.Builder builder, long intervalMillis) throws IOException {
    this.watcher = builder.sink(this::remember).build();
    this.intervalMillis = intervalMillis;
  }

  private synchronized void remember(List<Alert> alerts) {
    for (Alert alert : alerts) {
      (alert.kind().equals(Alert.UNPINNED) ? unpinned : misbehaviour).incrementAndGet();
      recent.addFirst(alert);
      while (recent.size() > RECENT) {
        recent.removeLast();
      }
    }
  }

  /** One round now (the background thread runs them on its own). */
  public List<CtWatcher.Progress> runOnce() throws InterruptedException {
    List<CtWatcher.Progress> round = watcher.runOnce(); // one at a time, whoever asks
    synchronized (this) {
      for (CtWatcher.Progress progress : round) {
        lastRound.put(progress.log(), progress);
        entries.addAndGet(progress.entries());
      }
    }
    return round;
  }

  /** True once a certificate without a pinned key was seen, or while a log misbehaves. */
  public synchronized boolean alerting() {
    return unpinned.get() > 0 || lastRound.values().stream()
        .anyMatch(p -> p.status() == CtWatcher.Status.MISBEHAVING);
  }

  /** Each log's last round, by log. */
  public synchronized Map<String, CtWatcher.Progress> lastRound() {
    return Map.copyOf(lastRound);
  }

  /** The newest alerts since start, newest first. */
  public synchronized List<Alert> recentAlerts() {
    return List.copyOf(recent);
  }

  /** The logs watched. */
  public List<String> logNames() {
    return watcher.logNames();
  }

  /** Entries {@code log} has beyond what was verified in its last round; NaN before one. */
  public synchronized double behind(String log) {
    CtWatcher.Progress progress = lastRound.get(log);
    return progress == null || progress.treeSize() < 0 ? Double.NaN
        : progress.treeSize() - progress.to();
  }

  public long entriesVerified() {
    return entries.get();
  }

  public long unpinnedAlerts() {
    return unpinned.get();
  }

  public long misbehaviourAlerts() {
    return misbehaviour.get();
  }

  @Override
  public synchronized void start() {
    scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "hpkp-watch");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        runOnce();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "HPKP watch: a round failed; it runs again next interval", e);
      }
    }, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** Stops the rounds and the watcher's threads (the bean's destroy method). */
  @Override
  public void close() {
    stop();
    watcher.close();
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
