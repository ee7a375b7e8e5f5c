package dev.hpkp.watch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows CT logs and alerts on every certificate or precertificate for a watched host whose
 * chain holds no pinned key. Per log and round: the tree head's signature is verified; the
 * entries since the last verified tree head are read, appended to its compact range and
 * matched; their root must be the new tree head's (which proves both that every entry read is
 * in the tree and that the tree extends the last one); only then are the alerts handed to the
 * sinks, and only once they took them is the position saved. Anything that does not verify is
 * a {@code log-misbehaviour} alert, and the position stays.
 */
public final class CtWatcher {

  private static final System.Logger LOG = System.getLogger(CtWatcher.class.getName());
  private static final int REMEMBERED_KEYS = 100_000;
  /** A tree head older than this is warned about (RFC 6962's usual maximum merge delay). */
  private static final Duration STALE = Duration.ofHours(24);
  /**
   * How far ahead of this monitor's clock a tree head may be dated (clocks differ a little): a
   * head from further in the future is not believed, and not saved.
   */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);
  /** Entries between two calls of the progress listener (a power of two). */
  private static final int PROGRESS_EVERY = 1 << 14;

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
   */
  public record Progress(String log, long from, long to, long treeSize, int alerts,
      Status status, String problem) {
    /** Entries read and verified in this round. */
    public long entries() {
      return to - from;
    }
  }

  private final List<CtLog> logs;
  private final Verdicts verdicts;
  private final StateStore states;
  private final List<AlertSink> sinks;
  /** Where a log without state starts: an index, or -1 for its end. */
  private final long startAt;
  private final Clock clock;
  private final Consumer<Progress> listener;
  private final Set<String> remembered = new LinkedHashSet<>();
  private final Map<String, String> lastMisbehaviour = new LinkedHashMap<>();

  private CtWatcher(Builder builder) throws IOException {
    this.logs = List.copyOf(builder.logs);
    this.verdicts = new Verdicts(builder.hosts);
    this.states = new StateStore(builder.stateDirectory);
    this.sinks = List.copyOf(builder.sinks);
    this.startAt = builder.startAt;
    this.clock = builder.clock;
    this.listener = builder.listener;
    for (AlertSink sink : sinks) {
      if (sink instanceof AlertFile file) {
        remember(file.keysAndIssuances());
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The names (URLs) of the logs watched, in the order they are read. */
  public List<String> logNames() {
    return logs.stream().map(CtLog::name).toList();
  }

  /** One round over every log: reads what each added since the last round. */
  public List<Progress> runOnce() throws InterruptedException {
    List<Progress> progress = new ArrayList<>();
    for (CtLog log : logs) {
      progress.add(round(log));
    }
    return progress;
  }

  private Progress round(CtLog log) throws InterruptedException {
    StateStore.State state;
    try {
      state = states.load(log.key());
    } catch (IOException e) {
      return new Progress(log.name(), 0, 0, -1, 0, Status.FAILED, e.getMessage());
    }
    long position = state == null ? 0 : state.head().size();
    try {
      SignedTreeHead head = log.treeHead();
      Duration age = Duration.between(head.signedAt(), clock.instant());
      if (age.negated().compareTo(FUTURE_TOLERANCE) > 0) {
        throw new LogMisbehaviour("the tree head of " + log.name() + " is dated "
            + head.signedAt() + ", " + age.negated().toMinutes() + " minutes ahead of this"
            + " monitor's clock (more than the " + FUTURE_TOLERANCE.toMinutes() + " allowed):"
            + " not believed, and not saved (" + head.describe() + ")");
      }
      if (age.compareTo(STALE) > 0) {
        // a log that stopped publishing is not misbehaving: worth knowing, not an alert
        LOG.log(Level.WARNING, "HPKP watch: the tree head of " + log.name() + " is "
            + age.toHours() + " hours old (" + head.describe() + "); its maximum merge delay"
            + " is 24 hours");
      }
      if (state == null) {
        if (startAt < 0 || startAt >= head.size()) {
          states.save(log.key(), new StateStore.State(log.name(), head, log.rangeAt(head)));
          return new Progress(log.name(), head.size(), head.size(), head.size(), 0, Status.OK,
              null);
        }
        // the range at startAt is not signed: the entries from there must lead to the head's
        // root, or nothing is believed
        Merkle.Range start = startAt == 0 ? new Merkle.Range() : log.rangeAt(startAt, head);
        state = new StateStore.State(log.name(), new SignedTreeHead(startAt, start.root(), 0),
            start);
      }
      return advance(log, state, head);
    } catch (LogMisbehaviour e) {
      return misbehaved(log, position, e.getMessage());
    } catch (LogUnavailable e) {
      LOG.log(Level.INFO, "HPKP watch: " + e.getMessage() + "; trying again next round");
      return new Progress(log.name(), position, position, -1, 0, Status.UNAVAILABLE,
          e.getMessage());
    } catch (IOException e) {
      LOG.log(Level.ERROR, "HPKP watch: " + log.name() + ": " + e.getMessage());
      return new Progress(log.name(), position, position, -1, 0, Status.FAILED,
          e.getMessage());
    }
  }

  private Progress advance(CtLog log, StateStore.State state, SignedTreeHead head)
      throws LogMisbehaviour, LogUnavailable, InterruptedException, IOException {
    SignedTreeHead last = state.head();
    if (head.size() < last.size()) {
      throw new LogMisbehaviour("its tree head (" + head.describe() + ") is smaller than the"
          + " last verified one (" + last.describe() + ")");
    }
    if (head.size() == last.size()) {
      if (!Arrays.equals(head.rootHash(), last.rootHash())) {
        throw new LogMisbehaviour("it signed two roots for size " + head.size() + ": "
            + head.describe() + " and, before, " + last.describe() + " (a fork)");
      }
      return new Progress(log.name(), last.size(), last.size(), head.size(), 0, Status.OK,
          null);
    }
    log.checkConsistency(last, head);
    Merkle.Range range = state.range().copy();
    List<Alert> alerts = new ArrayList<>();
    Set<String> issuances = new LinkedHashSet<>();
    Instant now = clock.instant();
    log.entries(last.size(), head.size(), head, entry -> {
      if (entry.index() != range.size()) {
        throw new LogMisbehaviour("it served entry " + entry.index() + " where entry "
            + range.size() + " belongs");
      }
      range.append(entry.leafHash());
      if (listener != null && (range.size() & (PROGRESS_EVERY - 1)) == 0) {
        listener.accept(new Progress(log.name(), last.size(), range.size(), head.size(),
            alerts.size(), Status.READING, null));
      }
      Alert alert = verdicts.judge(log, entry, now);
      if (alert != null && !remembered.contains(alert.key())
          && !remembered.contains(alert.issuance()) && issuances.add(alert.issuance())) {
        alerts.add(alert);
      }
    });
    if (range.size() != head.size()) {
      throw new LogMisbehaviour("it served " + (range.size() - last.size()) + " entries for"
          + " the " + (head.size() - last.size()) + " between tree sizes " + last.size()
          + " and " + head.size());
    }
    if (!range.rootEquals(head.rootHash())) {
      throw new LogMisbehaviour("entries " + last.size() + " to " + head.size() + " with the"
          + " last verified tree (" + last.describe() + ") do not hash to its tree head ("
          + head.describe() + "): a fork, or entries that are not the ones it signed");
    }
    deliver(alerts);
    states.save(log.key(), new StateStore.State(log.name(), head, range));
    lastMisbehaviour.remove(log.name());
    return new Progress(log.name(), last.size(), head.size(), head.size(), alerts.size(),
        Status.OK, null);
  }

  private Progress misbehaved(CtLog log, long position, String what)
      throws InterruptedException {
    if (!what.equals(lastMisbehaviour.put(log.name(), what))) {
      try {
        deliver(List.of(Alert.misbehaviour(clock.instant(), log.name(), what)));
      } catch (IOException e) {
        LOG.log(Level.ERROR, "HPKP watch: the alert that " + log.name() + " misbehaved ("
            + what + ") could not be delivered: " + e.getMessage());
        lastMisbehaviour.remove(log.name());
      }
    }
    return new Progress(log.name(), position, position, -1, 0, Status.MISBEHAVING, what);
  }

  private void deliver(List<Alert> alerts) throws IOException {
    if (alerts.isEmpty()) {
      return;
    }
    for (AlertSink sink : sinks) {
      sink.accept(alerts);
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
    remembered.addAll(keys);
    var iterator = remembered.iterator();
    while (remembered.size() > REMEMBERED_KEYS && iterator.hasNext()) {
      iterator.next();
      iterator.remove();
    }
  }

  /** Configures a {@link CtWatcher}. */
  public static final class Builder {
    private final List<CtLog> logs = new ArrayList<>();
    private final List<WatchedHost> hosts = new ArrayList<>();
    private final List<AlertSink> sinks = new ArrayList<>();
    private Path stateDirectory;
    private long startAt = -1;
    private Clock clock = Clock.systemUTC();
    private Consumer<Progress> listener;
    private Duration timeout = Duration.ofSeconds(30);
    private int attempts = 5;
    private Duration backoff = Duration.ofSeconds(1);

    private Builder() {}

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
      logs.add(new StaticCtLog(monitoringPrefix, StaticCtLog.originOf(submissionPrefix), key,
          new LogHttp(timeout, attempts, backoff)));
      return this;
    }

    /** A log of a log list, through the API it serves. */
    public Builder log(LogList.Log log) {
      return log.tiled() ? staticLog(log.url(), log.submission(), log.key())
          : rfc6962Log(log.url(), log.key());
    }

    /** A log read through the RFC 6962 API at {@code url}. */
    public Builder rfc6962Log(URI url, LogKey key) {
      logs.add(new Rfc6962Log(url, key, new LogHttp(timeout, attempts, backoff)));
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
