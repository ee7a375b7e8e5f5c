package dev.hpkp.client;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Finding;
import dev.hpkp.policy.ParsedHeader;
import dev.hpkp.policy.Rule;
import dev.hpkp.text.Printable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a header may be used (RFC 7469 §2.5): its length, a validated chain, no error of the
 * rule table that made user agents ignore a header, and for {@code Public-Key-Pins} the pins
 * against the validated chain. Each value is parsed once; the last accepted {@code
 * Public-Key-Pins} value per host is remembered with its chain, so a site that sends the same
 * header on every response is not judged again.
 */
final class HeaderJudge {

  /** A header accepted, parsed; or refused, with why. */
  record Judgement(ParsedHeader parsed, Observation.Noting refusal) {
    boolean accepted() {
      return refusal == null;
    }
  }

  private record Judged(String value, ValidatedChains.Validated chain, ParsedHeader parsed) {}

  private static final int JUDGED_HOSTS = 1024;

  private final Map<String, Judged> lastJudged = new ConcurrentHashMap<>();

  /**
   * Judges {@code value}, a header named {@code name} received from {@code host}; a refusal is
   * explained in {@code details}. A report-only header is checked against the chain later, not
   * judged by it.
   */
  Judgement judge(String host, String name, String value, boolean reportOnly,
      Optional<ValidatedChains.Validated> validated, List<String> details) {
    if (value.length() > HpkpAgent.MAX_HEADER_LENGTH) {
      details.add(name + " ignored: " + value.length() + " characters, more than "
          + HpkpAgent.MAX_HEADER_LENGTH);
      return new Judgement(null, Observation.Noting.TOO_LONG);
    }
    if (validated.isEmpty()) {
      details.add(name + " ignored: no chain to a trust anchor could be built");
      return new Judgement(null, Observation.Noting.NOT_VALIDATED);
    }
    Judged judged = reportOnly ? null : lastJudged.get(host);
    if (judged != null && judged.value().equals(value) && judged.chain() == validated.get()) {
      return new Judgement(judged.parsed(), null);
    }
    ParsedHeader parsed = ParsedHeader.parse(value, reportOnly);
    // A non-canonical pin that decodes to 32 bytes is read as Chromium and Firefox read it.
    Optional<Finding> error = parsed.findings().stream()
        .filter(f -> f.severity() == Rule.Severity.ERROR && f.rule() != Rule.NON_CANONICAL_PIN)
        .findFirst();
    if (error.isPresent()) {
      details.add(name + " ignored: " + Printable.escape(error.get().toString()));
      return new Judgement(null, Observation.Noting.MALFORMED);
    }
    if (reportOnly) {
      return new Judgement(parsed, null);
    }
    for (Finding finding : parsed.judgeAgainst(KeyMaterial.toChain(validated.get().path()))) {
      if (finding.severity() == Rule.Severity.ERROR) {
        details.add(name + " ignored: " + Printable.escape(finding.toString()));
        return new Judgement(null, finding.rule() == Rule.NO_PIN_MATCHES_CHAIN
            ? Observation.Noting.NO_PIN_OF_VALIDATED_CHAIN : finding.rule() == Rule.NO_BACKUP_PIN
            ? Observation.Noting.NO_BACKUP_PIN : Observation.Noting.MALFORMED);
      }
    }
    if (lastJudged.size() >= JUDGED_HOSTS) {
      lastJudged.clear();
    }
    lastJudged.put(host, new Judged(value, validated.get(), parsed));
    return new Judgement(parsed, null);
  }
}
