package dev.hpkp.cli;

import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.policy.PolicyException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hpkp}: everything an operator does around public key pinning. Exit codes: 0 success,
 * 1 a finding (a problem in what was checked), 2 bad usage or unreadable input.
 */
@Command(name = "hpkp", mixinStandardHelpOptions = true, version = "hpkp 0.1.0",
    description = "HTTP Public Key Pinning (RFC 7469) tools: pins, backup keys, headers, live"
        + " checks, rotation plans, report summaries.",
    subcommands = {PinCommand.class, BackupKeyCommand.class, HeaderCommand.class,
        LintCommand.class, CheckCommand.class, PlanCommand.class, ReportsCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:a finding (the policy, chain or site has a problem)",
        "2:bad usage or unreadable input"})
public final class Hpkp implements Runnable {

  /** Exit code for a finding. */
  public static final int FINDING = 1;
  /** Exit code for bad usage or unreadable input. */
  public static final int USAGE = 2;

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
    commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
      if (exception instanceof KeyMaterialException || exception instanceof PolicyException
          || exception instanceof IllegalArgumentException
          || exception instanceof java.io.IOException) {
        line.getErr().println("hpkp " + line.getCommandName() + ": " + exception.getMessage());
        return USAGE;
      }
      // Anything else is a bug of ours or of a library: still one line, never a stack trace.
      line.getErr().println("hpkp " + line.getCommandName() + ": unexpected "
          + exception.getClass().getSimpleName() + (exception.getMessage() == null ? ""
          : ": " + exception.getMessage()) + " (please report this)");
      return USAGE;
    });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
