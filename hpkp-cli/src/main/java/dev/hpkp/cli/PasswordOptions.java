package dev.hpkp.cli;

import dev.hpkp.keys.KeyMaterialException;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The one password option family of the CLI, mixed into every command that reads a keystore or
 * an encrypted key, or writes an encrypted key: {@code --password-env VAR}, {@code
 * --password-file FILE}, else a prompt when a terminal is attached.
 */
final class PasswordOptions {

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Environment variable holding the password of a keystore or encrypted key;"
          + " without it or --password-file you are prompted when a terminal is attached.")
  String env;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File whose first line is that password.")
  Path file;

  /**
   * Reads {@code what} without a password first and, when it turns out to need one, again with
   * the password from the options or a prompt.
   */
  <T> T read(String what, Function<char[], T> reader) {
    try {
      return reader.apply(null);
    } catch (KeyMaterialException e) {
      if (e.reason() != KeyMaterialException.Reason.PASSWORD_REQUIRED) {
        throw e;
      }
      char[] password = Passwords.get(env, file, "Password for " + what, false);
      if (password == null) {
        String how = "give it with --password-env VAR or --password-file FILE (there is no"
            + " terminal to prompt on)";
        throw new UsageException(e.problem() + "; " + how, e);
      }
      try {
        return reader.apply(password);
      } catch (KeyMaterialException wrong) {
        if (wrong.reason() == KeyMaterialException.Reason.WRONG_PASSWORD) {
          throw new UsageException(wrong.getMessage() + " (the password came from "
              + source() + ")", wrong);
        }
        throw wrong;
      }
    }
  }

  /** A password for a key about to be written: from the options, or typed twice. */
  char[] forNewKey(String what) {
    char[] password = Passwords.get(env, file, "Password for " + what, true);
    if (password == null) {
      throw new UsageException("no password for " + what + ": set --password-env VAR"
          + " or --password-file FILE, or run in a terminal to be prompted");
    }
    return password;
  }

  private String source() {
    return file != null ? "--password-file " + file
        : env != null ? "--password-env " + env : "the prompt";
  }
}
