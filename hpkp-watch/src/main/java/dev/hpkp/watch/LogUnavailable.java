package dev.hpkp.watch;

/**
 * A log could not be read for now (network errors, 429, 5xx after the retries): not
 * misbehaviour and not an alert; the round ends and the next one tries again.
 */
public final class LogUnavailable extends Exception {

  private static final long serialVersionUID = 1L;

  public LogUnavailable(String what, Throwable cause) {
    super(what, cause);
  }
}
