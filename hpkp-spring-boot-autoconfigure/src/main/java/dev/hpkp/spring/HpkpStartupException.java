package dev.hpkp.spring;

/**
 * The hpkp.* settings describe a policy the filter would refuse: the application does not start.
 * {@link HpkpFailureAnalyzer} turns it into Spring Boot's "APPLICATION FAILED TO START" block.
 */
public final class HpkpStartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String action;

  HpkpStartupException(String description, String action, Throwable cause) {
    super(description, cause);
    this.action = action;
  }

  /** What to change. */
  public String action() {
    return action;
  }
}
