package dev.hpkp.policy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The rule table: every RFC 7469 rule this library judges, each once, with a stable code, a
 * severity and the parameter it concerns. {@link PinPolicy.Builder#build()} refuses a policy that
 * breaks an {@link Severity#ERROR} rule and logs a {@link Severity#WARNING}; {@link ParsedHeader}
 * (what {@code hpkp lint} and {@code hpkp check} print) reports both with the same code. Each rule
 * is implemented in one place ({@code PolicyRules}); {@link #judges()} says which callers can see
 * it, since a header does not say which pins are backups and a configuration has no syntax.
 */
public enum Rule {
  PARSE_ERROR("parse-error", Severity.ERROR, "§2.1", null, Judge.LINT, Judge.CHECK),
  LENIENT_SYNTAX("lenient-syntax", Severity.WARNING, "§2.1", null, Judge.LINT, Judge.CHECK),
  INVALID_PIN("invalid-pin", Severity.ERROR, "§2.4", "pins", Judge.values()),
  NON_CANONICAL_PIN("non-canonical-pin", Severity.ERROR, "§2.4", "pins", Judge.LINT,
      Judge.CHECK),
  DUPLICATE_PIN("duplicate-pin", Severity.WARNING, "§2.1.1", "pins", Judge.values()),
  HEADER_TOO_LONG("header-too-long", Severity.WARNING, "§2.1", "pins", Judge.values()),
  NO_PINS("no-pins", Severity.ERROR, "§2.1.1", "pins", Judge.values()),
  NO_BACKUP_PIN("no-backup-pin", Severity.ERROR, "§4.3", "backupPins", Judge.values()),
  BACKUP_PIN_IN_PINS("backup-pin-in-pins", Severity.ERROR, "§4.3", "backupPins",
      Judge.START_UP),
  BACKUP_PIN_IN_CHAIN("backup-pin-in-chain", Severity.ERROR, "§4.3", "backupPins",
      Judge.START_UP),
  NO_PIN_MATCHES_CHAIN("no-pin-matches-chain", Severity.ERROR, "§2.5", "pins", Judge.values()),
  ROTATED_ONTO_BACKUP("rotated-onto-backup", Severity.ERROR, "§4.3", "pins", Judge.START_UP),
  PIN_NOT_IN_CHAIN("pin-not-in-chain", Severity.WARNING, "§2.5", "pins", Judge.START_UP),
  SINGLE_BACKUP_PIN("single-backup-pin", Severity.WARNING, "§4.3", "backupPins",
      Judge.values()),
  MISSING_MAX_AGE("missing-max-age", Severity.ERROR, "§2.1.2", "maxAgeSeconds", Judge.LINT,
      Judge.CHECK),
  DUPLICATE_MAX_AGE("duplicate-max-age", Severity.ERROR, "§2.1", "maxAgeSeconds", Judge.LINT,
      Judge.CHECK),
  INVALID_MAX_AGE("invalid-max-age", Severity.ERROR, "§2.1.2", "maxAgeSeconds",
      Judge.values()),
  MAX_AGE_ABOVE_CAP("max-age-above-cap", Severity.WARNING, "§4.1", "maxAgeSeconds",
      Judge.values()),
  MAX_AGE_ZERO("max-age-zero", Severity.WARNING, "§2.3.3", "maxAgeSeconds", Judge.values()),
  DUPLICATE_INCLUDE_SUBDOMAINS("duplicate-include-subdomains", Severity.ERROR, "§2.1",
      "includeSubDomains", Judge.LINT, Judge.CHECK),
  VALUED_INCLUDE_SUBDOMAINS("valued-include-subdomains", Severity.ERROR, "§2.1.3",
      "includeSubDomains", Judge.LINT, Judge.CHECK),
  INVALID_REPORT_URI("invalid-report-uri", Severity.ERROR, "§2.1.4", "reportUri",
      Judge.values()),
  DUPLICATE_REPORT_URI("duplicate-report-uri", Severity.ERROR, "§2.1", "reportUri", Judge.LINT,
      Judge.CHECK),
  REPORT_ONLY_WITHOUT_REPORT_URI("report-only-without-report-uri", Severity.ERROR, "§2.1",
      "reportUri", Judge.values()),
  REPORT_URI_SAME_HOST("report-uri-same-host", Severity.WARNING, "§2.1.4", "reportUri",
      Judge.values()),
  LEAF_EXPIRY("leaf-expiry", Severity.WARNING, "§4.1", "servedChain", Judge.values()),
  CHAIN_ORDER("chain-order", Severity.WARNING, "§2.6", "servedChain", Judge.values()),
  INCOMPLETE_CHAIN("incomplete-chain", Severity.ERROR, "§2.6", "servedChain", Judge.START_UP),
  SERVED_CHAIN_MISSING("served-chain-missing", Severity.ERROR, "§2.5", "servedChain",
      Judge.START_UP),
  SERVED_CHAIN_CHECK_OFF("served-chain-check-off", Severity.WARNING, "§2.5", "servedChain",
      Judge.START_UP),
  UNKNOWN_DIRECTIVE("unknown-directive", Severity.WARNING, "§2.1", null, Judge.LINT,
      Judge.CHECK),
  UNKNOWN_PIN_ALGORITHM("unknown-pin-algorithm", Severity.WARNING, "§2.1.1", null, Judge.LINT,
      Judge.CHECK),
  MULTIPLE_HEADERS("multiple-headers", Severity.WARNING, "§2.3.1", null, Judge.CHECK),
  TLS("tls", Severity.ERROR, "§2.2.2", null, Judge.CHECK),
  NO_POLICY("no-policy", Severity.ERROR, "§2.1", null, Judge.CHECK);

  /** ERROR: a user agent ignores the whole policy, so the filter refuses it. WARNING: risky. */
  public enum Severity { ERROR, WARNING }

  /**
   * Who applies a rule: filter start-up ({@code PinPolicy.build}), {@code hpkp lint}, {@code hpkp
   * check}.
   */
  public enum Judge { START_UP, LINT, CHECK }

  private final String code;
  private final Severity severity;
  private final String section;
  private final String parameter;
  private final Set<Judge> judges;

  Rule(String code, Severity severity, String section, String parameter, Judge... judges) {
    this.code = code;
    this.severity = severity;
    this.section = section;
    this.parameter = parameter;
    this.judges = Set.copyOf(EnumSet.of(judges[0], judges));
  }

  /** Stable, for tools: {@code no-backup-pin}. */
  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  /** The RFC 7469 section the rule comes from, e.g. {@code §4.3}. */
  public String section() {
    return section;
  }

  /** The filter parameter a refusal names; null for rules only a header can break. */
  public String parameter() {
    return parameter;
  }

  /** Which callers can see the rule broken. */
  public Set<Judge> judges() {
    return judges;
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase(Locale.ROOT) + " [" + code + "]";
  }
}
