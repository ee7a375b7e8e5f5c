package dev.hpkp.client;

import java.util.List;
import java.util.Optional;

/**
 * Known pinned hosts (RFC 7469 §2.7), keyed by host name. Implementations are safe for
 * concurrent use within one JVM. Looking up a host, with the super-domains whose entries include
 * subdomains, is {@link HpkpAgent}'s job: a store only keeps entries.
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
}
