package dev.hpkp.policy;

/**
 * A pin policy that must not be served. The message is one sentence naming the parameter, the
 * value and the fix; {@link #parameter()} gives the parameter alone.
 */
public class PolicyException extends IllegalArgumentException {

  private final String parameter;

  public PolicyException(String parameter, String message) {
    super(parameter + ": " + message);
    this.parameter = parameter;
  }

  public PolicyException(String parameter, String message, Throwable cause) {
    super(parameter + ": " + message, cause);
    this.parameter = parameter;
  }

  /** The configuration parameter at fault, e.g. {@code backupPins}. */
  public String parameter() {
    return parameter;
  }
}
