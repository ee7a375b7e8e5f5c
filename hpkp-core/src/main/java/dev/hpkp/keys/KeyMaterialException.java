package dev.hpkp.keys;

/**
 * Key material could not be read: a user's file, so a user error. The message names the source
 * (usually a path) and what is wrong ({@link #problem()}), then what to do ({@link #fix()}).
 */
public class KeyMaterialException extends RuntimeException {

  /**
   * Why reading failed, for callers that react differently (the CLI prompts on a missing password).
   */
  public enum Reason {
    NOT_FOUND, UNREADABLE, EMPTY, UNSUPPORTED, PASSWORD_REQUIRED, WRONG_PASSWORD, NO_CERTIFICATE,
    AMBIGUOUS_ALIAS,
    /**
     * A CSR or a private key, and the hpkp-keys-bouncycastle module that reads them is not on
     * the class path.
     */
    NEEDS_KEYS_MODULE
  }

  private final Reason reason;
  private final String problem;
  private final String fix;
  private final String detail;

  /** A failure whose message says what to do. */
  public KeyMaterialException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  /** A failure whose message says what to do. */
  public KeyMaterialException(Reason reason, String message, Throwable cause) {
    this(reason, message, null, cause);
  }

  /**
   * @param problem the source and what is wrong with it
   * @param fix what to do; null when {@code problem} says it
   */
  public KeyMaterialException(Reason reason, String problem, String fix, Throwable cause) {
    this(reason, problem, fix, null, cause);
  }

  /**
   * A failure of {@code source}: the message is {@code source: what; fix}.
   *
   * @param fix what to do; null when {@code what} says it
   */
  public static KeyMaterialException of(Reason reason, String source, String what, String fix,
      Throwable cause) {
    return new KeyMaterialException(reason, source + ": " + what, fix,
        fix == null ? what : what + "; " + fix, cause);
  }

  private KeyMaterialException(Reason reason, String problem, String fix, String detail,
      Throwable cause) {
    super(fix == null ? problem : problem + "; " + fix, cause);
    this.reason = reason;
    this.problem = problem;
    this.fix = fix;
    this.detail = detail;
  }

  /**
   * The message after {@code source: } for a failure made by {@link #of}, to quote inside
   * another sentence about the same source; otherwise the whole message.
   */
  public String detail() {
    return detail == null ? getMessage() : detail;
  }

  /** The source and what is wrong with it: the message without the fix. */
  public String problem() {
    return problem;
  }

  /** What to do; null when the problem says it. */
  public String fix() {
    return fix;
  }

  /** The one sentence for key material that did not decrypt with the password given. */
  public static KeyMaterialException wrongPassword(String source, Throwable cause) {
    return new KeyMaterialException(Reason.WRONG_PASSWORD, source + ": wrong password (the key"
        + " material did not decrypt with the password given)", "check the password setting",
        cause);
  }

  public Reason reason() {
    return reason;
  }
}
