package dev.hpkp.config;

/**
 * A setting that cannot be used. The message is one sentence naming the parameter, the value and
 * the fix; {@link #parameter()} gives the parameter alone. Each module has its own subclass (the
 * filter's {@code PolicyException}, the collector's {@code CollectorConfigurationException}).
 */
public abstract class ConfigurationException extends IllegalArgumentException {

  private final String parameter;
  private final String detail;

  protected ConfigurationException(String parameter, String message, Throwable cause) {
    super(parameter + ": " + message, cause);
    this.parameter = parameter;
    this.detail = message;
  }

  /** The sentence after the parameter: what is wrong with its value and the fix. */
  public String detail() {
    return detail;
  }

  /** The configuration parameter at fault, e.g. {@code backupPins}. */
  public String parameter() {
    return parameter;
  }
}
