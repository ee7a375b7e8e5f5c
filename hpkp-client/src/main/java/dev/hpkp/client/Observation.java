package dev.hpkp.client;

/**
 * What {@link HpkpAgent#observe} did with a response's pinning headers.
 *
 * @param noting what became of the {@code Public-Key-Pins} header
 * @param reportOnly what became of the {@code Public-Key-Pins-Report-Only} header
 * @param detail why, in a sentence, for logs and {@code hpkp fetch}
 */
public record Observation(Noting noting, ReportOnly reportOnly, String detail) {

  /** The fate of a {@code Public-Key-Pins} header (RFC 7469 §2.5). */
  public enum Noting {
    /** The pins were noted (added, or replacing the host's entry). */
    NOTED,
    /** max-age=0: the host's noted entry was removed. */
    REMOVED,
    /** The response had no such header. */
    NO_HEADER,
    /** The host is an IP address, which is never noted. */
    IP_ADDRESS,
    /** No chain to a trust anchor could be built: the connection is not known to be valid. */
    NOT_VALIDATED,
    /** The header is longer than {@link HpkpAgent#MAX_HEADER_LENGTH}. */
    TOO_LONG,
    /** The header does not parse, or breaks a rule that makes user agents ignore it. */
    MALFORMED,
    /** No pin of the header is a key of the validated chain. */
    NO_PIN_OF_VALIDATED_CHAIN,
    /** Every pin of the header is a key of the validated chain: no backup. */
    NO_BACKUP_PIN
  }

  /** The fate of a {@code Public-Key-Pins-Report-Only} header; it is never noted. */
  public enum ReportOnly {
    /** The response had no such header. */
    NO_HEADER,
    /** The header was ignored: malformed, too long, no report-uri, or an IP address. */
    IGNORED,
    /** The validated chain holds one of its pins. */
    PASSED,
    /** The validated chain holds none of its pins; a report was queued. */
    FAILED_REPORTED,
    /** The validated chain holds none of its pins; the same failure was reported recently. */
    FAILED_NOT_REPORTED
  }

  /** True when the pins were noted or removed. */
  public boolean changedTheStore() {
    return noting == Noting.NOTED || noting == Noting.REMOVED;
  }
}
