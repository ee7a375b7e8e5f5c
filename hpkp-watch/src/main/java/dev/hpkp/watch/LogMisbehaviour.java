package dev.hpkp.watch;

/**
 * What a log served that cannot be trusted: a bad signature, a tree head that is not consistent
 * with the last verified one, entries that do not hash to the tree head, truncated or garbage
 * bytes. The log's position does not advance past it, and it is an alert of kind {@code
 * log-misbehaviour}.
 */
public final class LogMisbehaviour extends Exception {

  private static final long serialVersionUID = 1L;

  public LogMisbehaviour(String what) {
    super(what);
  }

  public LogMisbehaviour(String what, Throwable cause) {
    super(what, cause);
  }
}
