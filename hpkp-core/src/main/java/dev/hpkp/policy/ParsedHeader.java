package dev.hpkp.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A {@code Public-Key-Pins} or {@code Public-Key-Pins-Report-Only} header value parsed strictly
 * per RFC 7469 §2.1 and judged by the rule table ({@link Rule}), with every problem found. Where
 * Chromium was more lenient than the RFC, the finding says so.
 *
 * <p>{@link #parse} never throws on bad input: a header a user agent would reject comes back with
 * {@link Rule.Severity#ERROR} findings and {@link #valid()} false.
 */
public final class ParsedHeader {

  private final List<Pin> pins;
  private final Long maxAgeSeconds;
  private final boolean includeSubDomains;
  private final String reportUri;
  private final ReportUri parsedReportUri;
  private final List<Finding> findings;

  ParsedHeader(List<Pin> pins, Long maxAgeSeconds, boolean includeSubDomains,
      String reportUri, ReportUri parsedReportUri, List<Finding> findings) {
    this.pins = List.copyOf(new LinkedHashSet<>(pins));
    this.maxAgeSeconds = maxAgeSeconds;
    this.includeSubDomains = includeSubDomains;
    this.reportUri = reportUri;
    this.parsedReportUri = parsedReportUri;
    this.findings = List.copyOf(findings);
  }

  /**
   * Parses a header value.
   *
   * @param reportOnly true for {@code Public-Key-Pins-Report-Only}, where max-age is optional and
   *     report-uri is needed for the header to do anything
   */
  public static ParsedHeader parse(String value, boolean reportOnly) {
    return new HeaderParser(value == null ? "" : value, reportOnly).parse();
  }

  public List<Pin> pins() {
    return pins;
  }

  public Optional<Long> maxAgeSeconds() {
    return Optional.ofNullable(maxAgeSeconds);
  }

  public boolean includeSubDomains() {
    return includeSubDomains;
  }

  public Optional<String> reportUri() {
    return Optional.ofNullable(reportUri);
  }

  public List<Finding> findings() {
    return findings;
  }

  /** True when no finding is an error: a user agent would process the header. */
  public boolean valid() {
    return findings.stream().noneMatch(f -> f.severity() == Rule.Severity.ERROR);
  }

  /**
   * Findings that depend on the chain a client validated: a user agent accepts the policy only
   * when at least one pin matches a key in the chain and at least one does not (RFC 7469 §2.5).
   */
  public List<Finding> judgeAgainst(List<ChainCertificate> chain) {
    return judgeAgainst(chain, null, Clock.systemUTC());
  }

  /**
   * The chain rules of the table for this header served with {@code chain} for {@code host}
   * (null when unknown): pins against the chain, report-uri on the pinned host, leaf expiry
   * against max-age, chain order. Pin rules already broken without a chain are not repeated.
   */
  public List<Finding> judgeAgainst(List<ChainCertificate> chain, String host, Clock clock) {
    List<Finding> result = new ArrayList<>();
    if (pins.size() >= 2) {
      PolicyRules.pinSet(pins, null, chain, result);
    }
    PolicyRules.chain(chain, host, parsedReportUri, maxAgeSeconds, Instant.now(clock), result);
    return Collections.unmodifiableList(result);
  }
}
