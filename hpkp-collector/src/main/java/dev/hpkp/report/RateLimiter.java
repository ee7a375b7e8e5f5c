package dev.hpkp.report;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: {@code burst} requests at once, refilled at
 * {@code perSecond}. The table of addresses is bounded; when it is full, idle buckets are
 * dropped, and if none is idle a new address is refused until one is.
 */
final class RateLimiter {

  private static final long NANOS = 1_000_000_000L;

  private final double perSecond;
  private final double burst;
  private final int maxAddresses;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }
  }

  RateLimiter(double perSecond, double burst, int maxAddresses, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxAddresses = maxAddresses;
    this.nanoTime = nanoTime;
  }

  /** Takes a token for {@code address}; false when its bucket is empty. */
  boolean tryAcquire(String address) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.get(address);
    if (bucket == null) {
      if (buckets.size() >= maxAddresses) {
        evictIdle(now);
        if (buckets.size() >= maxAddresses) {
          return false;
        }
      }
      bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
    }
    synchronized (bucket) {
      double refill = (now - bucket.updated) * perSecond / NANOS;
      bucket.tokens = Math.min(burst, bucket.tokens + refill);
      bucket.updated = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** Seconds until {@code address} has a token again, at least 1. */
  long retryAfterSeconds() {
    return Math.max(1, (long) Math.ceil(1 / perSecond));
  }

  private void evictIdle(long now) {
    long fullAfter = (long) (burst / perSecond * NANOS);
    buckets.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return now - e.getValue().updated >= fullAfter;
      }
    });
  }
}
