package dev.hpkp.policy;

import dev.hpkp.config.Wording;
import dev.hpkp.config.Wording.Names;
import java.util.Objects;

/**
 * One broken {@link Rule}: what was found and the fix, as fields, so each front end words the
 * settings they name its own way.
 *
 * @param rule the rule, which gives the code and the severity
 * @param parameter the filter parameter concerned (usually the rule's own)
 * @param value the value at fault as written, or null when the finding is not one value's
 * @param problem what was found
 * @param fix what to do; null when the problem says it
 */
public record Finding(Rule rule, String parameter, String value, Wording problem, Wording fix) {

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(problem, "problem");
  }

  /** A finding about the rule's own parameter. */
  public static Finding of(Rule rule, String value, Wording problem, Wording fix) {
    return new Finding(rule, rule.parameter(), value, problem, fix);
  }

  /** A finding about the rule's own parameter, in words that name no setting. */
  public static Finding of(Rule rule, String value, String problem, String fix) {
    return of(rule, value, Wording.text(problem), fix == null ? null : Wording.text(fix));
  }

  public String code() {
    return rule.code();
  }

  public Rule.Severity severity() {
    return rule.severity();
  }

  /** {@code problem; fix}, the settings named as the filter's parameters. */
  public String message() {
    return message(Names.AS_WRITTEN);
  }

  /** {@code problem; fix}, the settings named by {@code names}. */
  public String message(Names names) {
    return fix == null ? problem.in(names) : problem.in(names) + "; " + fix.in(names);
  }

  /** {@code error [no-backup-pin] …}: how {@code hpkp lint} and {@code hpkp check} print it. */
  @Override
  public String toString() {
    return rule + " " + message();
  }
}
