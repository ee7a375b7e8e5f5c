package dev.hpkp.client;

import dev.hpkp.policy.HostName;
import dev.hpkp.policy.Pin;
import java.time.Instant;
import java.util.Collections;
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

  /** The longest host name kept: DNS's limit. */
  public static final int MAX_HOST_LENGTH = 253;
  /** The most pins kept for one host; real headers carry two to five. */
  public static final int MAX_PINS = 16;
  /** The longest report-uri kept. */
  public static final int MAX_REPORT_URI_LENGTH = 2048;

  /**
   * @throws IllegalArgumentException for no pins, or a value past one of the limits above: a
   *     store keeps only what it can read back
   */
  public PinnedHost {
    host = HostName.normalize(Objects.requireNonNull(host, "host"));
    if (pins.isEmpty()) {
      throw new IllegalArgumentException("a pinned host needs at least one pin: " + host);
    }
    String tooLarge = tooLarge(host, pins.size(), reportUri);
    if (tooLarge != null) {
      throw new IllegalArgumentException(tooLarge);
    }
    pins = Collections.unmodifiableSet(new TreeSet<>(pins));
    Objects.requireNonNull(notedAt, "notedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(source, "source");
  }

  /**
   * Null when an entry of {@code host}, {@code pins} pins and {@code reportUri} is within the
   * limits a store keeps; otherwise which limit it passes.
   */
  static String tooLarge(String host, int pins, String reportUri) {
    if (host.length() > MAX_HOST_LENGTH) {
      return "the host name has " + host.length() + " characters, more than "
          + MAX_HOST_LENGTH;
    }
    if (pins > MAX_PINS) {
      return pins + " pins, more than the " + MAX_PINS + " a pinned host keeps";
    }
    if (reportUri != null && reportUri.length() > MAX_REPORT_URI_LENGTH) {
      return "a report-uri of " + reportUri.length() + " characters, more than "
          + MAX_REPORT_URI_LENGTH;
    }
    return null;
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

  /**
   * True when this entry applies to {@code otherHost}: the same host, or a subdomain of it when
   * {@link #includeSubDomains()}.
   */
  public boolean covers(String otherHost) {
    return otherHost.equals(host) || includeSubDomains && otherHost.endsWith("." + host);
  }
}
