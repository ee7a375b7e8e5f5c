package dev.hpkp.watch;

import dev.hpkp.watch.CtWatcher.Progress;
import dev.hpkp.watch.CtWatcher.Status;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * One log's rounds: its tree head verified; the entries since the last verified head read,
 * appended to the compact range and judged; their root compared with the head's; only then
 * the alerts handed to the sinks and, once they took them, the position saved. Every {@code
 * saveEvery} entries the reading is saved too (the range so far and the alerts found, which
 * wait in a file), so a round stopped by a crash goes on from there: never believed before
 * the root matches. Anything that does not verify is a misbehaviour and the position stays.
 */
final class LogFollower {

  private static final System.Logger LOG = System.getLogger(CtWatcher.class.getName());
  /** A tree head older than this is warned about (RFC 6962's usual maximum merge delay). */
  private static final Duration STALE = Duration.ofHours(24);
  /**
   * How far ahead of this monitor's clock a tree head may be dated (clocks differ a little): a
   * head from further in the future is not believed, and not saved.
   */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);
  /** Entries between two calls of the progress listener (a power of two). */
  private static final int PROGRESS_EVERY = 1 << 14;

  private final CtLog log;
  private final CtWatcher watcher;
  private String lastMisbehaviour;

  LogFollower(CtLog log, CtWatcher watcher) {
    this.log = log;
    this.watcher = watcher;
  }

  CtLog log() {
    return log;
  }

  /** One round of this log, timed. */
  Progress round() throws InterruptedException {
    long started = System.nanoTime();
    Progress p = untimed();
    return new Progress(p.log(), p.from(), p.to(), p.treeSize(), p.alerts(), p.status(),
        p.problem(), Duration.ofNanos(System.nanoTime() - started));
  }

  private Progress untimed() throws InterruptedException {
    StateStore states = watcher.states();
    StateStore.State state;
    try {
      state = states.load(log.key());
    } catch (IOException e) {
      return new Progress(log.name(), 0, 0, -1, 0, Status.FAILED, e.getMessage());
    }
    long position = state == null ? 0 : state.head().size();
    try {
      SignedTreeHead head = log.treeHead();
      Duration age = Duration.between(head.signedAt(), watcher.clock().instant());
      if (age.negated().compareTo(FUTURE_TOLERANCE) > 0) {
        throw new LogMisbehaviour("the tree head of " + log.name() + " is dated "
            + head.signedAt() + ", " + age.negated().toMinutes() + " minutes ahead of this"
            + " monitor's clock (more than the " + FUTURE_TOLERANCE.toMinutes()
            + " allowed): not believed, and not saved (" + head.describe() + ")");
      }
      if (age.compareTo(STALE) > 0) {
        // a log that stopped publishing is not misbehaving: worth knowing, not an alert
        LOG.log(Level.WARNING, "HPKP watch: the tree head of " + log.name() + " is "
            + age.toHours() + " hours old (" + head.describe() + "); its maximum merge delay"
            + " is 24 hours");
      }
      if (state == null) {
        long startAt = watcher.startAt();
        if (startAt < 0 || startAt >= head.size()) {
          states.save(log.key(), new StateStore.State(log.name(), head, log.rangeAt(head)));
          return new Progress(log.name(), head.size(), head.size(), head.size(), 0, Status.OK,
              null);
        }
        // the range at startAt is not signed (timestamp 0): the entries from there must lead
        // to the head's root, or nothing is believed
        Merkle.Range start = startAt == 0 ? new Merkle.Range() : log.rangeAt(startAt, head);
        state = new StateStore.State(log.name(), new SignedTreeHead(startAt, start.root(), 0),
            start);
      }
      return advance(state, head);
    } catch (LogMisbehaviour e) {
      return misbehaved(state, position, e.getMessage());
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

  private Progress advance(StateStore.State state, SignedTreeHead head)
      throws LogMisbehaviour, LogUnavailable, InterruptedException, IOException {
    SignedTreeHead last = state.head();
    if (head.size() < last.size()) {
      throw new LogMisbehaviour("its tree head (" + head.describe() + ") is smaller than the"
          + " last verified one (" + last.describe() + ")");
    }
    StateStore.Reading reading = state.reading();
    if (reading != null && reading.range().size() > head.size()) {
      reading = null; // read towards a larger head than it serves now: read again
    }
    if (head.size() == last.size() && reading == null) {
      if (!Arrays.equals(head.rootHash(), last.rootHash())) {
        throw new LogMisbehaviour("it signed two roots for size " + head.size() + ": "
            + head.describe() + " and, before, " + last.describe() + " (a fork)");
      }
      return new Progress(log.name(), last.size(), last.size(), head.size(), 0, Status.OK,
          null);
    }
    log.checkConsistency(last, head);
    StateStore states = watcher.states();
    PendingAlerts resumed = null;
    if (reading != null) {
      try {
        resumed = PendingAlerts.resume(states.pendingFile(log.key()), reading.pendingBytes());
      } catch (IOException e) { // its alerts are gone: read again from the verified head
        LOG.log(Level.WARNING, "HPKP watch: " + log.name() + ": the alerts of the saved"
            + " reading cannot be read back (" + e.getMessage() + "); reading again from the"
            + " last verified tree head");
        reading = null;
      }
    }
    Merkle.Range range = (reading != null ? reading.range() : state.range()).copy();
    try (PendingAlerts pending = resumed != null ? resumed
        : PendingAlerts.fresh(states.pendingFile(log.key()))) {
      try {
        read(state, head, range, pending);
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      if (range.size() != head.size()) {
        throw new LogMisbehaviour("it served " + (range.size() - last.size()) + " entries"
            + " for the " + (head.size() - last.size()) + " between tree sizes " + last.size()
            + " and " + head.size());
      }
      if (!range.rootEquals(head.rootHash())) {
        throw new LogMisbehaviour("entries " + last.size() + " to " + head.size() + " with"
            + " the last verified tree (" + last.describe() + ") do not hash to its tree head ("
            + head.describe() + "): a fork, or entries that are not the ones it signed");
      }
      long alerts = pending.count();
      pending.deliver(watcher::deliver);
      states.save(log.key(), new StateStore.State(log.name(), head, range));
      pending.delete();
      lastMisbehaviour = null;
      return new Progress(log.name(), last.size(), head.size(), head.size(),
          (int) Math.min(Integer.MAX_VALUE, alerts), Status.OK, null);
    }
  }

  /** Reads the entries from the range's size to the head's, saving the reading as it goes. */
  private void read(StateStore.State state, SignedTreeHead head, Merkle.Range range,
      PendingAlerts pending) throws LogMisbehaviour, LogUnavailable, InterruptedException {
    long from = state.head().size();
    long saveEvery = watcher.saveEvery();
    Instant now = watcher.clock().instant();
    log.entries(range.size(), head.size(), head, entry -> {
      if (entry.index() != range.size()) {
        throw new LogMisbehaviour("it served entry " + entry.index() + " where entry "
            + range.size() + " belongs");
      }
      range.append(entry.leafHash());
      Alert alert = watcher.verdicts().judge(log, entry, now);
      try {
        if (alert != null && !watcher.remembers(alert) && !pending.holdsIssuance(
            alert.issuance())) {
          pending.add(alert);
        }
        if (range.size() % saveEvery == 0 && range.size() < head.size()) {
          watcher.states().save(log.key(), new StateStore.State(log.name(), state.head(),
              state.range(), new StateStore.Reading(range.copy(), pending.sync())));
        }
      } catch (IOException e) { // the state's disk, not the log: FAILED, as a failed save is
        throw new java.io.UncheckedIOException(e);
      }
      if ((range.size() & (PROGRESS_EVERY - 1)) == 0) {
        watcher.progress(new Progress(log.name(), from, range.size(), head.size(),
            (int) Math.min(Integer.MAX_VALUE, pending.count()), Status.READING, null));
      }
    });
  }

  private Progress misbehaved(StateStore.State state, long position, String what)
      throws InterruptedException {
    try { // what it served since the verified head is not believed: read again next round
      if (state != null && state.reading() != null) {
        watcher.states().save(log.key(), new StateStore.State(state.log(), state.head(),
            state.range()));
      }
      PendingAlerts.fresh(watcher.states().pendingFile(log.key())).close();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "HPKP watch: " + log.name() + ": " + e.getMessage());
    }
    if (!what.equals(lastMisbehaviour)) {
      lastMisbehaviour = what;
      try {
        watcher.deliver(java.util.List.of(Alert.misbehaviour(watcher.clock().instant(),
            log.name(), what)));
      } catch (IOException e) {
        LOG.log(Level.ERROR, "HPKP watch: the alert that " + log.name() + " misbehaved ("
            + what + ") could not be delivered: " + e.getMessage());
        lastMisbehaviour = null;
      }
    }
    return new Progress(log.name(), position, position, -1, 0, Status.MISBEHAVING, what);
  }
}
