package dev.hpkp.config;

import dev.hpkp.config.Wording.Names;

/**
 * A setting that cannot be used: a user's mistake, never a bug of this library. It carries its
 * parts as fields: the {@link #parameter()}, the {@link #value()} when one was given, what is
 * wrong ({@link #problem()}) and what to do ({@link #fix()}); the message joins them as {@code
 * parameter: problem; fix}, and {@link #message(Names)} does so in a front end's own names. Each
 * module has its own subclass (the filter's {@code PolicyException}, the collector's {@code
 * CollectorConfigurationException}).
 */
public abstract class ConfigurationException extends RuntimeException {

  private final String parameter;
  private final String value;
  private final transient Wording problem;
  private final transient Wording fix;

  protected ConfigurationException(String parameter, String value, Wording problem, Wording fix,
      Throwable cause) {
    super(parameter + ": " + sentence(problem, fix, Names.AS_WRITTEN), cause);
    this.parameter = parameter;
    this.value = value;
    this.problem = problem;
    this.fix = fix;
  }

  private static String sentence(Wording problem, Wording fix, Names names) {
    return fix == null ? problem.in(names) : problem.in(names) + "; " + fix.in(names);
  }

  /** The configuration parameter at fault, e.g. {@code backupPins}. */
  public String parameter() {
    return parameter;
  }

  /** The value at fault as it was set, or null when the problem is not one value's. */
  public String value() {
    return value;
  }

  /** What is wrong, without the parameter's name in front. */
  public Wording problem() {
    return problem;
  }

  /** What to do about it; null when the problem says it. */
  public Wording fix() {
    return fix;
  }

  /** The sentence after the parameter: what is wrong with its value and the fix. */
  public String detail() {
    return detail(Names.AS_WRITTEN);
  }

  /** {@link #detail()} with the settings named by {@code names}. */
  public String detail(Names names) {
    return sentence(problem, fix, names);
  }

  /** {@link #getMessage()} with the settings, this one's parameter too, named by {@code names}. */
  public String message(Names names) {
    return names.of(parameter, null) + ": " + detail(names);
  }
}
