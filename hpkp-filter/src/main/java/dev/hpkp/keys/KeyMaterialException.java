package dev.hpkp.keys;

/**
 * Key material could not be read. The message names the source (usually a path) and what to do.
 */
public class KeyMaterialException extends RuntimeException {

  /** Why reading failed, for callers that react differently (the CLI prompts on a missing password). */
  public enum Reason {
    NOT_FOUND, UNREADABLE, EMPTY, UNSUPPORTED, PASSWORD_REQUIRED, WRONG_PASSWORD, NO_CERTIFICATE,
    AMBIGUOUS_ALIAS
  }

  private final Reason reason;

  public KeyMaterialException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KeyMaterialException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
