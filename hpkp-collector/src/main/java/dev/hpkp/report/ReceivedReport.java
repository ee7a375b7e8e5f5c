package dev.hpkp.report;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as the collector stored it: what the user agent sent, when and from where, and what
 * the collector derived from it — the pins of the served chain, which known pins it matches, who
 * issued the served leaf, and a {@link Verdict}.
 */
public record ReceivedReport(
    Instant receivedAt,
    String remoteAddress,
    PinFailureReport report,
    List<Pin> servedPins,
    List<Pin> matchingKnownPins,
    String servedLeafSubject,
    String servedLeafIssuer,
    Verdict verdict) {

  /** What the report most likely means. */
  public enum Verdict {
    /**
     * No key of the served chain is pinned: a chain from an unexpected issuer was presented for
     * the host — likely interception, or a key changed without announcing its pin.
     */
    NO_PINNED_KEY_SERVED("no-pinned-key-served"),
    /**
     * A pinned key was served, but not in the chain the user agent validated: a path-building
     * difference (cross-signed intermediate, pinned root not in this client's store) — a
     * misconfiguration, not an attack.
     */
    PINNED_KEY_NOT_VALIDATED("pinned-key-not-validated"),
    /** The validated chain does match a known pin: a stale, buggy or forged report. */
    PINS_MATCH("pins-match");

    private final String code;

    Verdict(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    /** The verdict whose {@link #code()} is {@code code}; null for a code this version lacks. */
    public static Verdict of(String code) {
      for (Verdict verdict : values()) {
        if (verdict.code.equals(code)) {
          return verdict;
        }
      }
      return null;
    }
  }

  public ReceivedReport {
    servedPins = List.copyOf(servedPins);
    matchingKnownPins = List.copyOf(matchingKnownPins);
  }

  /** Derives the collector's fields from a validated report. */
  public static ReceivedReport of(Instant receivedAt, String remoteAddress,
      PinFailureReport report) {
    List<ChainCertificate> validated = report.validatedChain();
    // TrustKit for iOS sends no served chain: judge from the validated one
    List<ChainCertificate> served = report.servedChain().isEmpty() ? validated
        : report.servedChain();
    List<Pin> servedPins = served.stream().map(ChainCertificate::pin).toList();
    List<Pin> matching = new ArrayList<>();
    for (Pin pin : report.knownPins()) {
      if (servedPins.contains(pin)) {
        matching.add(pin);
      }
    }
    boolean validatedMatches = validated.stream()
        .anyMatch(c -> report.knownPins().contains(c.pin()));
    Verdict verdict = matching.isEmpty() ? Verdict.NO_PINNED_KEY_SERVED
        : validatedMatches ? Verdict.PINS_MATCH : Verdict.PINNED_KEY_NOT_VALIDATED;
    ChainCertificate leaf = served.get(0);
    return new ReceivedReport(receivedAt, remoteAddress, report, servedPins, matching,
        leaf.subject(), leaf.issuer(), verdict);
  }

  /** One line for people: what was presented for which host, and what it means. */
  public String summary() {
    return switch (verdict) {
      case NO_PINNED_KEY_SERVED -> "a chain issued by " + servedLeafIssuer + " was presented for "
          + report.hostAndPort() + " and none of its keys is pinned (likely"
          + " interception, or an unannounced key change)";
      case PINNED_KEY_NOT_VALIDATED -> "a pinned key was served for " + report.hostAndPort()
          + " but the client validated a different path (misconfiguration)";
      case PINS_MATCH -> "the chain validated for " + report.hostAndPort()
          + " matches a known pin (stale or forged report)";
    };
  }

}
