package dev.hpkp.client;

import dev.hpkp.policy.ParsedHeader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Notes an accepted {@code Public-Key-Pins} header (RFC 7469 §2.5): max-age capped, max-age=0
 * forgets the host, the store kept within its host limit by forgetting the pins that expire
 * soonest, and a header that changes nothing but a little of the expiry not written again.
 */
final class PinNoter {

  private final PinStore store;
  private final Duration maxAgeCap;
  private final int maxHosts;

  PinNoter(PinStore store, Duration maxAgeCap, int maxHosts) {
    this.store = store;
    this.maxAgeCap = maxAgeCap;
    this.maxHosts = maxHosts;
  }

  /**
   * Notes {@code parsed}, accepted from {@code host} at {@code now}; says what in {@code details}.
   */
  Observation.Noting note(String host, ParsedHeader parsed, Instant now, List<String> details) {
    long maxAge = parsed.maxAgeSeconds().orElseThrow();
    if (maxAge == 0) {
      boolean removed = store.get(host).isPresent() && store.remove(host);
      details.add("max-age=0: " + (removed ? "removed the pins noted for " : "nothing noted for ")
          + host);
      return Observation.Noting.REMOVED;
    }
    String tooLarge = PinnedHost.tooLarge(host, new HashSet<>(parsed.pins()).size(),
        parsed.reportUri().orElse(null));
    if (tooLarge != null) {
      // refused when noting, never discovered when the store is read back
      details.add("Public-Key-Pins ignored: " + tooLarge);
      return Observation.Noting.TOO_LONG;
    }
    Duration age = Duration.ofSeconds(Math.min(maxAge, maxAgeCap.getSeconds()));
    PinnedHost entry = new PinnedHost(host, new HashSet<>(parsed.pins()),
        parsed.includeSubDomains(), now, now.plus(age), parsed.reportUri().orElse(null),
        PinnedHost.Source.NOTED);
    Optional<PinnedHost> noted = store.get(host);
    if (sameButFresher(noted.orElse(null), entry, age)) {
      details.add("the same " + entry.pins().size() + " pins for " + host + " are noted until "
          + seconds(noted.get().expiresAt()));
      return Observation.Noting.NOTED;
    }
    store.put(entry);
    store.removeExpired(now);
    int evicted = 0;
    while (store.size() > maxHosts) {
      Optional<PinnedHost> soonest = store.soonestExpiring();
      if (soonest.isEmpty() || !store.remove(soonest.get().host())) {
        break;
      }
      evicted++;
    }
    if (evicted > 0) {
      details.add("the store holds " + maxHosts + " hosts at most: forgot " + evicted
          + " whose pins expire soonest");
    }
    details.add("noted " + entry.pins().size() + " pins for " + host + " until "
        + seconds(entry.expiresAt()) + (maxAge > age.getSeconds() ? " (max-age " + maxAge
        + " capped to " + age.getSeconds() + ")" : "")
        + (entry.includeSubDomains() ? ", including subdomains" : ""));
    return Observation.Noting.NOTED;
  }

  /** The max-age a header's policy is held for: its own, capped. */
  Duration heldFor(long maxAgeSeconds) {
    return Duration.ofSeconds(Math.min(maxAgeSeconds, maxAgeCap.getSeconds()));
  }

  /**
   * True when {@code noted} has the pins, scope and report-uri of {@code fresh} and expires less
   * than a hundredth of max-age (at least a minute) earlier: not worth a store write. A site
   * that sends its header on every response would otherwise rewrite a file store each time;
   * Chromium, too, persisted its store on a timer, not per response.
   */
  private static boolean sameButFresher(PinnedHost noted, PinnedHost fresh, Duration age) {
    if (noted == null || noted.source() != PinnedHost.Source.NOTED
        || !noted.pins().equals(fresh.pins())
        || noted.includeSubDomains() != fresh.includeSubDomains()
        || !Objects.equals(noted.reportUri(), fresh.reportUri())) {
      return false;
    }
    Duration slack = age.dividedBy(100).compareTo(Duration.ofMinutes(1)) > 0 ? age.dividedBy(100)
        : Duration.ofMinutes(1);
    return !noted.expiresAt().plus(slack).isBefore(fresh.expiresAt())
        && !noted.expiresAt().isAfter(fresh.expiresAt());
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }
}
