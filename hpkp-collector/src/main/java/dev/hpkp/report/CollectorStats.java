package dev.hpkp.report;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a report collector, safe to read from any thread. */
public final class CollectorStats {

  private final LongAdder accepted = new LongAdder();
  private final EnumMap<Rejection, LongAdder> rejected = new EnumMap<>(Rejection.class);
  private final EnumMap<ReceivedReport.Verdict, LongAdder> verdicts =
      new EnumMap<>(ReceivedReport.Verdict.class);

  CollectorStats() {
    for (Rejection reason : Rejection.values()) {
      rejected.put(reason, new LongAdder());
    }
    for (ReceivedReport.Verdict verdict : ReceivedReport.Verdict.values()) {
      verdicts.put(verdict, new LongAdder());
    }
  }

  void countAccepted(ReceivedReport.Verdict verdict) {
    accepted.increment();
    verdicts.get(verdict).increment();
  }

  /** Reports stored with {@code verdict}. */
  public long accepted(ReceivedReport.Verdict verdict) {
    return verdicts.get(verdict).sum();
  }

  void countRejected(Rejection reason) {
    rejected.get(reason).increment();
  }

  /** Reports stored (answered 204). */
  public long accepted() {
    return accepted.sum();
  }

  /** Requests turned away for {@code reason}. */
  public long rejected(Rejection reason) {
    return rejected.get(reason).sum();
  }

  /** Requests turned away by the per-address rate limit or the concurrency bound. */
  public long rateLimited() {
    return rejected(Rejection.RATE_LIMITED) + rejected(Rejection.BUSY);
  }

  /** Every rejection count, including zeros, in declaration order. */
  public Map<Rejection, Long> rejectedByReason() {
    Map<Rejection, Long> counts = new EnumMap<>(Rejection.class);
    rejected.forEach((reason, count) -> counts.put(reason, count.sum()));
    return counts;
  }
}
