package dev.hpkp.cli;

import dev.hpkp.client.PinStoreException;
import dev.hpkp.config.ConfigurationException;
import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.policy.InvalidPinException;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hpkp}: everything an operator does around public key pinning. Exit codes, one rule for
 * every command that judges ({@code lint}, {@code check}, {@code header}, {@code plan}, {@code
 * guard}; see {@link #judged}): 0 nothing wrong, or only warnings; 1 an error in what was judged
 * (or, with {@code --strict}, a warning); 2 bad usage, or input that cannot be read or used.
 */
@Command(name = "hpkp", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "HTTP Public Key Pinning (RFC 7469) tools: pins, backup keys, headers, live"
        + " checks, rotation plans, a guard for renewed chains (guard), report summaries, a"
        + " pinning user agent (fetch, pin-store, export), and a Certificate Transparency watch"
        + " that alerts on certificates whose chain holds no pinned key (watch).",
    subcommands = {PinCommand.class, BackupKeyCommand.class, HeaderCommand.class,
        LintCommand.class, CheckCommand.class, PlanCommand.class, GuardCommand.class,
        ReportsCommand.class, FetchCommand.class, PinStoreCommand.class, ExportCommand.class,
        WatchCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success; warnings alone are printed and exit 0",
        "1:an error in what was judged (a user agent would reject the policy, the filter would"
            + " refuse it, a renewed chain would lock clients out), or with --strict a warning",
        "2:bad usage, or input that cannot be read or used",
        "70:an internal error (a bug: please report it with the trace printed)"})
public final class Hpkp implements Runnable {

  /** Exit code for a finding. */
  public static final int FINDING = 1;

  /**
   * The exit code of a command that judges, the one rule of them all: {@link #FINDING} for an
   * error, and for a warning when {@code strict}; 0 otherwise.
   */
  static int judged(boolean errors, boolean warnings, boolean strict) {
    return errors || warnings && strict ? FINDING : 0;
  }
  /** Exit code for bad usage or unreadable input. */
  public static final int USAGE = 2;

  /** A bug, not the input's fault (EX_SOFTWARE of sysexits.h). */
  public static final int INTERNAL = 70;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the tool with the given streams; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Hpkp());
    commandLine.setOut(out);
    commandLine.setErr(err);
    // Numbers are ASCII digits: picocli's own conversion would take '٣' or '６０' as 3 and 60.
    commandLine.registerConverter(Long.class, Hpkp::wholeNumber);
    commandLine.registerConverter(Long.TYPE, Hpkp::wholeNumber);
    commandLine.registerConverter(Integer.class, Hpkp::smallWholeNumber);
    commandLine.registerConverter(Integer.TYPE, Hpkp::smallWholeNumber);
    commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
      String name = line.getCommandSpec().qualifiedName(" ");
      if (exception instanceof NoSuchFileException missing) {
        line.getErr().println(name + ": " + oneLine(missing.getFile()) + " does not exist");
      } else if (exception instanceof FileSystemException file) {
        line.getErr().println(name + ": cannot read " + oneLine(file.getFile()) + " ("
            + oneLine(file.getReason() != null ? file.getReason()
            : exception.getClass().getSimpleName()) + ")");
      } else if (exception instanceof InvalidPathException path) {
        line.getErr().println(name + ": '" + oneLine(path.getInput()) + "' is not a valid path ("
            + oneLine(path.getReason()) + ")");
      } else if (exception instanceof KeyMaterialException
          || exception instanceof ConfigurationException
          || exception instanceof InvalidPinException
          || exception instanceof PinStoreException
          || exception instanceof UsageException
          || exception instanceof IOException) {
        line.getErr().println(name + ": " + oneLine(exception.getMessage()));
      } else {
        // A bug of ours or of a library, not the input's fault: the first line says so, the
        // stack trace follows for the report, and the status tells scripts it was not them.
        line.getErr().println(name + ": internal error, " + exception.getClass().getSimpleName()
            + (exception.getMessage() == null ? "" : ": " + oneLine(exception.getMessage()))
            + " (please report this with the trace below)");
        exception.printStackTrace(line.getErr());
        return INTERNAL;
      }
      return USAGE;
    });
    commandLine.setParameterExceptionHandler((exception, arguments) -> {
      CommandLine failed = exception.getCommandLine();
      String name = failed.getCommandSpec().qualifiedName(" ");
      String message = exception.getMessage();
      // picocli checks required options before it complains about unknown ones; a mistyped
      // option is the likelier cause, so name it first.
      List<String> unknown = failed.getUnmatchedArguments();
      if (exception instanceof CommandLine.MissingParameterException && !unknown.isEmpty()) {
        message = "unknown option '" + unknown.get(0) + "'";
      }
      failed.getErr().println(name + ": " + oneLine(withoutClassNames(message)) + " (see '"
          + name + " --help')");
      return USAGE;
    });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** {@code text} on one line: control characters (CR, LF, ESC, NUL, …) escaped. */
  static String oneLine(String text) {
    return text == null ? "" : Printable.escape(text);
  }

  private static Long wholeNumber(String value) {
    if (value.isEmpty() || value.length() > 19
        || !value.chars().allMatch(c -> c >= '0' && c <= '9') && !(value.startsWith("-")
        && value.length() > 1 && value.substring(1).chars().allMatch(c -> c >= '0' && c <= '9'))) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number"
          + " (ASCII digits" + (value.length() > 19 ? ", at most 19 of them" : "") + ")");
    }
    return Long.parseLong(value);
  }

  private static Integer smallWholeNumber(String value) {
    long number = wholeNumber(value);
    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
      throw new CommandLine.TypeConversionException("'" + value + "' is too large (at most "
          + Integer.MAX_VALUE + ")");
    }
    return (int) number;
  }

  /** picocli's "cannot convert 'x' to interface java.nio.file.Path (java.…Exception: why)". */
  static String withoutClassNames(String message) {
    return message == null ? "" : Printable.message(message.replaceAll(
        "cannot convert '(.*?)' to (?:interface |class )?(?:[\\w$]+\\.)*([\\w$]+)",
        "'$1' is not a valid $2"));
  }

}
