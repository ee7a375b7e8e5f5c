package dev.hpkp.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows CT logs and alerts on every certificate or precertificate for a watched host whose
 * chain holds no pinned key. Per log and round: the tree head's signature is verified; the
 * entries since the last verified tree head are read, appended to its compact range and
 * matched; their root must be the new tree head's (which proves both that every entry read is
 * in the tree and that the tree extends the last one); only then are the alerts handed to the
 * sinks, and only once they took them is the position saved. Anything that does not verify is
 * a {@code log-misbehaviour} alert, and the position stays. The logs are read in parallel, each
 * by its {@link LogFollower}; {@link #close()} stops the threads.
 */
public final class CtWatcher implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CtWatcher.class.getName());
  private static final int REMEMBERED_KEYS = 100_000;
  /** Entries between two saves of a round's reading: at most this many are read again. */
  public static final long SAVE_EVERY = 1 << 16;

  /** How a round ended for one log. */
  public enum Status {
    /** Verified up to the tree head. */
    OK,
    /** Still reading: what the progress listener hears during a round, not yet verified. */
    READING,
    /** The log could not be read (network, 429, 5xx); the next round tries again. */
    UNAVAILABLE,
    /** The log served what does not verify: a log-misbehaviour alert. */
    MISBEHAVING,
    /** The state or the alert sinks failed here; the position stays. */
    FAILED
  }

  /**
   * What one round did for one log.
   *
   * @param treeSize the log's verified tree size, or -1 when it was not read
   * @param took how long this log's round took (zero while it reads)
   */
  public record Progress(String log, long from, long to, long treeSize, int alerts,
      Status status, String problem, Duration took) {
    Progress(String log, long from, long to, long treeSize, int alerts, Status status,
        String problem) {
      this(log, from, to, treeSize, alerts, status, problem, Duration.ZERO);
    }

    /** Entries read and verified in this round. */
    public long entries() {
      return to - from;
    }
  }

  private final List<LogFollower> followers = new ArrayList<>();
  private final List<ExecutorService> pools = new ArrayList<>();
  private final ExecutorService rounds;
  private final Verdicts verdicts;
  private final StateStore states;
  private final List<AlertSink> sinks;
  /** Where a log without state starts: an index, or -1 for its end. */
  private final long startAt;
  private final long saveEvery;
  private final Clock clock;
  private final Consumer<Progress> listener;
  private final Set<String> remembered = new LinkedHashSet<>();
  /** Guards the remembered keys and the sinks (one batch at a time), never held for a round. */
  private final Object alertLock = new Object();
  private final Object progressLock = new Object();
  /** One round at a time, whoever asks. */
  private final Object roundLock = new Object();

  private CtWatcher(Builder builder) throws IOException {
    this.verdicts = new Verdicts(builder.hosts);
    this.states = new StateStore(builder.stateDirectory);
    this.sinks = List.copyOf(builder.sinks);
    this.startAt = builder.startAt;
    this.saveEvery = builder.saveEvery;
    this.clock = builder.clock;
    this.listener = builder.listener;
    this.rounds = pool(Math.min(builder.parallelism, builder.logs.size()), "hpkp-watch-logs");
    try {
      states.lock();
      for (AlertSink sink : sinks) {
        remember(sink.keysHeld());
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    for (WatchSettings.LogSpec spec : builder.logs) {
      LogHttp http = new LogHttp(builder.timeout, builder.attempts, builder.backoff);
      // each Static API log fetches its tiles on threads of its own: a log whose tiles stall
      // holds up no other
      CtLog log = spec.api() == LogApi.STATIC ? new StaticCtLog(spec.url(),
          StaticCtLog.originOf(spec.submission()), spec.key(), http,
          pool(StaticCtLog.TILES_AHEAD, "hpkp-watch-tiles")) : new Rfc6962Log(spec.url(),
          spec.key(), http);
      followers.add(new LogFollower(log, this));
    }
  }

  /** A pool of at most {@code threads} daemon threads, idle ones ending; closed with this. */
  private ExecutorService pool(int threads, String name) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    pools.add(pool);
    return pool;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The names (URLs) of the logs watched, in the order they are read. */
  public List<String> logNames() {
    return followers.stream().map(follower -> follower.log().name()).toList();
  }

  /**
   * One round over every log: reads what each added since the last round. The logs are read
   * independently, a few at a time ({@link Builder#parallelism}): one that stalls, answers
   * slowly or misbehaves holds up no other, each request of it bounded by its timeout.
   *
   * @return each log's outcome, in the order of {@link #logNames()}
   */
  public List<Progress> runOnce() throws InterruptedException {
    synchronized (roundLock) {
      return round();
    }
  }

  private List<Progress> round() throws InterruptedException {
    List<Future<Progress>> running = new ArrayList<>();
    try {
      for (LogFollower follower : followers) {
        running.add(rounds.submit(follower::round));
      }
      List<Progress> progress = new ArrayList<>();
      for (int i = 0; i < running.size(); i++) {
        progress.add(outcome(running.get(i), followers.get(i).log()));
      }
      return progress;
    } finally {
      running.forEach(future -> future.cancel(true));
    }
  }

  private static Progress outcome(Future<Progress> round, CtLog log)
      throws InterruptedException {
    try {
      return round.get();
    } catch (ExecutionException e) {
      // a bug of this watcher, not the log's doing: told, and the other logs go on
      LOG.log(Level.ERROR, "HPKP watch: the round of " + log.name() + " failed", e.getCause());
      return new Progress(log.name(), 0, 0, -1, 0, Status.FAILED, "internal error: "
          + e.getCause());
    }
  }

  /** Stops the reading threads (a round now is interrupted) and frees the state directory. */
  @Override
  public void close() {
    pools.forEach(ExecutorService::shutdownNow);
    states.unlock();
  }

  StateStore states() {
    return states;
  }

  Verdicts verdicts() {
    return verdicts;
  }

  Clock clock() {
    return clock;
  }

  long startAt() {
    return startAt;
  }

  long saveEvery() {
    return saveEvery;
  }

  void progress(Progress progress) {
    if (listener != null) {
      synchronized (progressLock) { // the logs' threads take turns
        listener.accept(progress);
      }
    }
  }

  /** True when the alert, or its issuance, was delivered before. */
  boolean remembers(Alert alert) {
    synchronized (alertLock) {
      return remembered.contains(alert.key()) || alert.issuance() != null
          && remembered.contains(alert.issuance());
    }
  }

  /** Hands alerts to every sink, one batch at a time whichever log found them. */
  void deliver(List<Alert> alerts) throws IOException {
    if (alerts.isEmpty()) {
      return;
    }
    synchronized (alertLock) {
      for (AlertSink sink : sinks) {
        sink.accept(alerts);
      }
    }
    List<String> keys = new ArrayList<>();
    for (Alert alert : alerts) {
      keys.add(alert.key());
      if (alert.issuance() != null) {
        keys.add(alert.issuance());
      }
    }
    remember(keys);
  }

  private void remember(List<String> keys) {
    synchronized (alertLock) {
      remembered.addAll(keys);
      var iterator = remembered.iterator();
      while (remembered.size() > REMEMBERED_KEYS && iterator.hasNext()) {
        iterator.next();
        iterator.remove();
      }
    }
  }

  /** Configures a {@link CtWatcher}; the order of the calls does not matter. */
  public static final class Builder {
    private final List<WatchSettings.LogSpec> logs = new ArrayList<>();
    private final List<WatchedHost> hosts = new ArrayList<>();
    private final List<AlertSink> sinks = new ArrayList<>();
    private Path stateDirectory;
    private long startAt = -1;
    private Clock clock = Clock.systemUTC();
    private Consumer<Progress> listener;
    private Duration timeout = Duration.ofSeconds(30);
    private int attempts = 5;
    private Duration backoff = Duration.ofSeconds(1);
    private int parallelism = 4;
    private long saveEvery = SAVE_EVERY;

    private Builder() {}

    /** How many logs are read at once (default 4, from 1 to 64). */
    public Builder parallelism(int logs) {
      if (logs < 1 || logs > 64) {
        throw new IllegalArgumentException("logs read at once: " + logs + " is not from 1 to"
            + " 64");
      }
      this.parallelism = logs;
      return this;
    }

    /**
     * Entries between two saves of a round's reading (default {@link #SAVE_EVERY}): what a
     * round stopped by a crash reads again at most.
     */
    public Builder saveEvery(long entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("entries between saves: " + entries + " is not 1"
            + " or more");
      }
      this.saveEvery = entries;
      return this;
    }

    /** Network settings: per-request timeout, attempts, first backoff (doubling). */
    public Builder http(Duration timeout, int attempts, Duration backoff) {
      this.timeout = Objects.requireNonNull(timeout);
      this.attempts = attempts;
      this.backoff = Objects.requireNonNull(backoff);
      return this;
    }

    /**
     * A log read through the Static CT API.
     *
     * @param monitoringPrefix where its checkpoint and tiles are
     * @param submissionPrefix its submission URL, which names it in its checkpoints
     */
    public Builder staticLog(URI monitoringPrefix, URI submissionPrefix, LogKey key) {
      return log(LogApi.STATIC, monitoringPrefix, submissionPrefix, key);
    }

    /** A log of a log list, through the API it serves. */
    public Builder log(LogList.Log log) {
      return log(log.tiled() ? LogApi.STATIC : LogApi.RFC6962, log.url(), log.submission(),
          log.key());
    }

    /** A log read through the RFC 6962 API at {@code url}. */
    public Builder rfc6962Log(URI url, LogKey key) {
      return log(LogApi.RFC6962, url, url, key);
    }

    /**
     * A log read through {@code api} at {@code url}.
     *
     * @param submission a Static API log's submission prefix, which names it in its checkpoints
     */
    public Builder log(LogApi api, URI url, URI submission, LogKey key) {
      logs.add(new WatchSettings.LogSpec(Objects.requireNonNull(api), Objects.requireNonNull(
          url), Objects.requireNonNull(submission), Objects.requireNonNull(key)));
      return this;
    }

    public Builder host(WatchedHost host) {
      hosts.add(host);
      return this;
    }

    public Builder sink(AlertSink sink) {
      sinks.add(sink);
      return this;
    }

    /** Where each log's position is kept. */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = stateDirectory;
      return this;
    }

    /** A log without state is read from its first entry, not from its end. */
    public Builder fromStart(boolean fromStart) {
      this.startAt = fromStart ? 0 : -1;
      return this;
    }

    /** A log without state is read from entry {@code index} (its end when past it). */
    public Builder startAt(long index) {
      if (index < 0) {
        throw new IllegalArgumentException("a log is read from entry 0 or later, not " + index);
      }
      this.startAt = index;
      return this;
    }

    /**
     * Told every 16,384 entries of a round how far it got ({@link Status#READING}): for a live
     * line on a terminal.
     */
    public Builder onProgress(Consumer<Progress> listener) {
      this.listener = listener;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * @throws IOException when an alert file cannot be read back
     * @throws IllegalStateException naming what is missing
     */
    public CtWatcher build() throws IOException {
      if (logs.isEmpty()) {
        throw new IllegalStateException("no CT log to watch");
      }
      if (hosts.isEmpty()) {
        throw new IllegalStateException("no host to watch");
      }
      if (stateDirectory == null) {
        throw new IllegalStateException("no state directory");
      }
      return new CtWatcher(this);
    }
  }
}
