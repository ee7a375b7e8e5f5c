package dev.hpkp.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Passwords from an environment variable or, when a terminal is attached, a prompt. */
final class Passwords {

  private Passwords() {}

  /**
   * The first line of {@code file} if given, else the value of the environment variable {@code
   * envName} if given, else a prompt if there is a console, else null.
   *
   * @throws IllegalArgumentException when the file cannot be read or the variable is unset
   */
  static char[] get(String envName, Path file, String prompt, boolean confirm) {
    if (file != null) {
      try {
        String text = Files.readString(file);
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).replace("\r", "").toCharArray();
      } catch (IOException e) {
        throw new UsageException("cannot read the password file " + file + ": "
            + e.getMessage(), e);
      }
    }
    if (envName != null) {
      String value = System.getenv(envName);
      if (value == null) {
        throw new UsageException("environment variable " + envName + " is not set;"
            + " export it, or leave out the option to be prompted");
      }
      return value.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      return null;
    }
    char[] first = console.readPassword("%s: ", prompt);
    if (confirm) {
      char[] second = console.readPassword("%s (again): ", prompt);
      if (!Arrays.equals(first, second)) {
        throw new UsageException("the two entries differ; run the command again");
      }
    }
    return first;
  }
}
