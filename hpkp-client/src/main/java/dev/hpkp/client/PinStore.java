package dev.hpkp.client;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Known pinned hosts (RFC 7469 §2.7), keyed by host name. Implementations are safe for
 * concurrent use within one JVM. Looking up a host, with the super-domains whose entries include
 * subdomains, is {@link HpkpAgent}'s job: a store only keeps entries.
 *
 * <p>The agent notes through {@link #put}, then {@link #removeExpired} and, past its bound on
 * hosts, {@link #soonestExpiring} and {@link #remove}: the stores here answer each in O(log n),
 * so noting costs the same at 100 hosts and at 100,000. The defaults serve other stores, in O(n).
 *
 * @see InMemoryPinStore
 * @see FilePinStore
 */
public interface PinStore {

  /** The entry noted for exactly {@code host} (normalized), expired or not. */
  Optional<PinnedHost> get(String host);

  /** Adds or replaces the entry for {@code entry.host()}. */
  void put(PinnedHost entry);

  /** Removes the entry for {@code host}; true if there was one. */
  boolean remove(String host);

  /** Every entry, sorted by host. */
  List<PinnedHost> entries();

  /** How many entries the store holds. */
  default int size() {
    return entries().size();
  }

  /** The entry that expires first, if any. */
  default Optional<PinnedHost> soonestExpiring() {
    return entries().stream().min(Comparator.comparing(PinnedHost::expiresAt)
        .thenComparing(PinnedHost::host));
  }

  /** Removes every entry expired at {@code now}; how many. */
  default int removeExpired(Instant now) {
    int removed = 0;
    for (PinnedHost entry : entries()) {
      if (entry.expiredAt(now) && remove(entry.host())) {
        removed++;
      }
    }
    return removed;
  }
}
