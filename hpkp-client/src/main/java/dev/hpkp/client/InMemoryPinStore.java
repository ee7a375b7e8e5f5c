package dev.hpkp.client;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A pin store that lives as long as the JVM. */
public final class InMemoryPinStore implements PinStore {

  private final Map<String, PinnedHost> entries = new ConcurrentHashMap<>();

  @Override
  public Optional<PinnedHost> get(String host) {
    return Optional.ofNullable(entries.get(Hosts.normalize(host)));
  }

  @Override
  public void put(PinnedHost entry) {
    entries.put(entry.host(), entry);
  }

  @Override
  public boolean remove(String host) {
    return entries.remove(Hosts.normalize(host)) != null;
  }

  @Override
  public List<PinnedHost> entries() {
    return entries.values().stream().sorted(Comparator.comparing(PinnedHost::host)).toList();
  }
}
