package dev.hpkp.client;

import dev.hpkp.policy.Pin;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A known pinned host (RFC 7469 §2.7): the pins noted for {@code host}, whether they cover its
 * subdomains, when they were noted and when they expire, and where failures are reported.
 *
 * @param host the host name the pins were noted for, lower case, without a trailing dot
 * @param pins the pins; a connection to the host must validate a chain holding one of them
 * @param includeSubDomains whether the pins also apply to every subdomain of {@code host}
 * @param notedAt when the header was noted (or the entry preloaded)
 * @param expiresAt when the entry stops applying: noted time + max-age, capped
 * @param reportUri where failures are reported, or null
 * @param source whether the entry was noted from a header or preloaded
 */
public record PinnedHost(String host, Set<Pin> pins, boolean includeSubDomains, Instant notedAt,
    Instant expiresAt, String reportUri, Source source) {

  /** Where an entry came from. */
  public enum Source {
    /** Noted from a {@code Public-Key-Pins} header (dynamic, RFC 7469 §2.5). */
    NOTED,
    /** Given by the application, as browsers' built-in preload lists did (static). */
    PRELOADED
  }

  public PinnedHost {
    host = Hosts.normalize(Objects.requireNonNull(host, "host"));
    if (pins.isEmpty()) {
      throw new IllegalArgumentException("a pinned host needs at least one pin: " + host);
    }
    pins = java.util.Collections.unmodifiableSet(new TreeSet<>(pins));
    Objects.requireNonNull(notedAt, "notedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(source, "source");
  }

  /** A preloaded (static) entry that never expires. */
  public static PinnedHost preloaded(String host, boolean includeSubDomains, Set<Pin> pins) {
    return new PinnedHost(host, pins, includeSubDomains, Instant.EPOCH, Instant.MAX, null,
        Source.PRELOADED);
  }

  /** True once {@code now} reaches the expiry. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** True when this entry applies to {@code otherHost}: the same host, or a subdomain of it when {@link #includeSubDomains()}. */
  public boolean covers(String otherHost) {
    return otherHost.equals(host) || includeSubDomains && otherHost.endsWith("." + host);
  }
}
