package dev.hpkp.keys;

/**
 * Key material could not be read. The message names the source (usually a path) and what to do.
 */
public class KeyMaterialException extends RuntimeException {

  /** Why reading failed, for callers that react differently (the CLI prompts on a missing password). */
  public enum Reason {
    NOT_FOUND, UNREADABLE, EMPTY, UNSUPPORTED, PASSWORD_REQUIRED, WRONG_PASSWORD, NO_CERTIFICATE,
    AMBIGUOUS_ALIAS,
    /** A CSR or a private key, and the hpkp-keys module that reads them is not on the class path. */
    NEEDS_KEYS_MODULE
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

  /** The one sentence for key material that did not decrypt with the password given. */
  public static KeyMaterialException wrongPassword(String source, Throwable cause) {
    return new KeyMaterialException(Reason.WRONG_PASSWORD, source + ": wrong password (the key"
        + " material did not decrypt with the password given); check the password setting", cause);
  }

  public Reason reason() {
    return reason;
  }
}
