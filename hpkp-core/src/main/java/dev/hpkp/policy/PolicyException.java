package dev.hpkp.policy;

import dev.hpkp.config.ConfigurationException;

/**
 * A pin policy that must not be served. The message is one sentence naming the parameter, the
 * value and the fix; {@link #parameter()} gives the parameter alone, {@link #rule()} the RFC 7469
 * rule it breaks, when it breaks one.
 */
public class PolicyException extends ConfigurationException {

  private final transient Rule rule;

  public PolicyException(String parameter, String message) {
    this(parameter, message, (Throwable) null);
  }

  public PolicyException(String parameter, String message, Throwable cause) {
    super(parameter, message, cause);
    this.rule = null;
  }

  /** A refusal by the rule table: {@code finding}'s message, under {@code parameter}. */
  public PolicyException(String parameter, Finding finding) {
    super(parameter, finding.message(), null);
    this.rule = finding.rule();
  }

  private PolicyException(String parameter, String message, Rule rule, Throwable cause) {
    super(parameter, message, cause);
    this.rule = rule;
  }

  /** The same refusal, saying where the value was set, e.g. {@code properties file /etc/hpkp.properties}. */
  public PolicyException from(String origin) {
    String message = getMessage().substring(parameter().length() + 2);
    return new PolicyException(parameter(), message + " (set in " + origin + ")", rule,
        getCause() == null ? this : getCause());
  }

  /** The rule the policy breaks; null for a setting that breaks no RFC 7469 rule (a typo). */
  public Rule rule() {
    return rule;
  }
}
