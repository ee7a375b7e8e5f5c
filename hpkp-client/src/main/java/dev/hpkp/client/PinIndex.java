package dev.hpkp.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The entries of a store by host and by expiry, so that a lookup, a change, the soonest expiry
 * and the removal of expired entries each cost O(log n). Not thread-safe: its stores lock.
 */
final class PinIndex {

  private static final Comparator<PinnedHost> BY_EXPIRY =
      Comparator.comparing(PinnedHost::expiresAt).thenComparing(PinnedHost::host);

  private final TreeMap<String, PinnedHost> byHost = new TreeMap<>();
  private final TreeSet<PinnedHost> byExpiry = new TreeSet<>(BY_EXPIRY);

  PinnedHost get(String host) {
    return byHost.get(host);
  }

  /** Adds or replaces; the entry it replaced, or null. */
  PinnedHost put(PinnedHost entry) {
    PinnedHost before = byHost.put(entry.host(), entry);
    if (before != null) {
      byExpiry.remove(before);
    }
    byExpiry.add(entry);
    return before;
  }

  PinnedHost remove(String host) {
    PinnedHost before = byHost.remove(host);
    if (before != null) {
      byExpiry.remove(before);
    }
    return before;
  }

  int size() {
    return byHost.size();
  }

  List<PinnedHost> entries() {
    return List.copyOf(byHost.values());
  }

  Optional<PinnedHost> soonestExpiring() {
    return byExpiry.isEmpty() ? Optional.empty() : Optional.of(byExpiry.first());
  }

  /** The entries expired at {@code now}, soonest first, without removing them. */
  List<PinnedHost> expired(Instant now) {
    List<PinnedHost> expired = new ArrayList<>();
    for (PinnedHost entry : byExpiry) {
      if (!entry.expiredAt(now)) {
        break;
      }
      expired.add(entry);
    }
    return expired;
  }
}
