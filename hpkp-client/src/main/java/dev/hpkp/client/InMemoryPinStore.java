package dev.hpkp.client;

import dev.hpkp.policy.HostName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A pin store that lives as long as the JVM. */
public final class InMemoryPinStore implements PinStore {

  private final PinIndex index = new PinIndex();

  @Override
  public synchronized Optional<PinnedHost> get(String host) {
    return Optional.ofNullable(index.get(HostName.normalize(host)));
  }

  @Override
  public synchronized void put(PinnedHost entry) {
    index.put(entry);
  }

  @Override
  public synchronized boolean remove(String host) {
    return index.remove(HostName.normalize(host)) != null;
  }

  @Override
  public synchronized List<PinnedHost> entries() {
    return index.entries();
  }

  @Override
  public synchronized int size() {
    return index.size();
  }

  @Override
  public synchronized Optional<PinnedHost> soonestExpiring() {
    return index.soonestExpiring();
  }

  @Override
  public synchronized int removeExpired(Instant now) {
    List<PinnedHost> expired = index.expired(now);
    for (PinnedHost entry : expired) {
      index.remove(entry.host());
    }
    return expired.size();
  }
}
