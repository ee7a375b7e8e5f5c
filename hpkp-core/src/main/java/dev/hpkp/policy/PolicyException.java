package dev.hpkp.policy;

import dev.hpkp.config.ConfigurationException;
import dev.hpkp.config.Wording;

/**
 * A pin policy that must not be served. It carries the parameter, the value, the problem and the
 * fix as {@link ConfigurationException} does, and {@link #rule()} the RFC 7469 rule it breaks,
 * when it breaks one.
 */
public class PolicyException extends ConfigurationException {

  private final transient Rule rule;

  /** A refusal with a fix (null when the problem says it), neither naming another setting. */
  public PolicyException(String parameter, String value, String problem, String fix) {
    this(parameter, value, problem, fix, null);
  }

  /** A refusal with a fix (null when the problem says it), neither naming another setting. */
  public PolicyException(String parameter, String value, String problem, String fix,
      Throwable cause) {
    this(parameter, value, Wording.text(problem), fix == null ? null : Wording.text(fix), cause);
  }

  public PolicyException(String parameter, String value, Wording problem, Wording fix,
      Throwable cause) {
    this(parameter, value, problem, fix, null, cause);
  }

  /** A refusal by the rule table: {@code finding}, under {@code parameter}. */
  public PolicyException(String parameter, Finding finding) {
    this(parameter, finding.value(), finding.problem(), finding.fix(), finding.rule(), null);
  }

  private PolicyException(String parameter, String value, Wording problem, Wording fix,
      Rule rule, Throwable cause) {
    super(parameter, value, problem, fix, cause);
    this.rule = rule;
  }

  /**
   * The same refusal, saying where the value was set, e.g. {@code properties file
   * /etc/hpkp.properties}.
   */
  public PolicyException from(String origin) {
    Wording where = Wording.text(" (set in " + origin + ")");
    return new PolicyException(parameter(), value(), fix() == null ? problem().then(where)
        : problem(), fix() == null ? null : fix().then(where), rule,
        getCause() == null ? this : getCause());
  }

  /** The rule the policy breaks; null for a setting that breaks no RFC 7469 rule (a typo). */
  public Rule rule() {
    return rule;
  }
}
