package dev.hpkp.policy;

/**
 * Text that is not a pin. An {@link IllegalArgumentException}, as {@code Pin.fromString} has
 * always thrown; it keeps what is wrong and the fix apart, for the rule table's findings.
 */
public final class InvalidPinException extends IllegalArgumentException {

  private final String problem;
  private final String fix;

  InvalidPinException(String problem, String fix, Throwable cause) {
    super(fix == null ? problem : problem + "; " + fix, cause);
    this.problem = problem;
    this.fix = fix;
  }

  /** What is wrong with the text. */
  public String problem() {
    return problem;
  }

  /** What to write instead; null when the problem says it. */
  public String fix() {
    return fix;
  }
}
