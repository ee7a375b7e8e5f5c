package dev.hpkp.policy;

import java.util.Objects;

/**
 * One broken {@link Rule}, with a sentence that names the value and the fix.
 *
 * @param rule the rule, which gives the code and the severity
 * @param parameter the filter parameter concerned (usually the rule's own)
 * @param message one sentence
 */
public record Finding(Rule rule, String parameter, String message) {

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }

  /** A finding about the rule's own parameter. */
  public Finding(Rule rule, String message) {
    this(rule, rule.parameter(), message);
  }

  public String code() {
    return rule.code();
  }

  public Rule.Severity severity() {
    return rule.severity();
  }

  /** {@code error [no-backup-pin] …}: how {@code hpkp lint} and {@code hpkp check} print it. */
  @Override
  public String toString() {
    return rule + " " + message;
  }
}
