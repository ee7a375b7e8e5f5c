package dev.hpkp.cli;

/**
 * Input the command cannot use: printed as one line, exit status {@value Hpkp#USAGE}. Anything
 * else that escapes a command is a bug, reported with its stack trace and exit status {@value
 * Hpkp#INTERNAL}.
 */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
