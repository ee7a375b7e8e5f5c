package dev.hpkp.watch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command for each alert, as certspotter's users are used to: the alert as JSON on
 * standard input, its main fields in environment variables ({@code HPKP_ALERT_KIND}, {@code
 * HPKP_LOG}, {@code HPKP_INDEX}, {@code HPKP_NAMES}, {@code HPKP_SERIAL}, {@code HPKP_SHA256},
 * {@code HPKP_MESSAGE}). A command that fails or outlasts the timeout fails the batch, which is
 * then offered again.
 */
public final class HookAlerts implements AlertSink {

  private final List<String> command;
  private final Duration timeout;

  /** How long one run of the hook may take before it fails the batch. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** @param command the program and its arguments, run without a shell, for {@link #TIMEOUT} */
  public HookAlerts(List<String> command) {
    this(command, TIMEOUT);
  }

  /** @param command the program and its arguments, run without a shell */
  public HookAlerts(List<String> command, Duration timeout) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the hook command is empty");
    }
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  @Override
  public void accept(List<Alert> alerts) throws IOException {
    for (Alert alert : alerts) {
      run(alert);
    }
  }

  private void run(Alert alert) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put("HPKP_ALERT_KIND", alert.kind());
    env.put("HPKP_LOG", alert.log());
    env.put("HPKP_INDEX", Long.toString(alert.index()));
    env.put("HPKP_MESSAGE", alert.message());
    if (alert.entry() != null) {
      env.put("HPKP_NAMES", String.join(" ", alert.entry().names()));
      env.put("HPKP_SERIAL", alert.entry().serial());
      env.put("HPKP_SHA256", alert.entry().sha256());
    }
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write((alert.json() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the hook did not read its input: its exit status says whether it succeeded
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("the hook " + command.get(0) + " did not finish within "
            + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the hook ran", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("the hook " + command.get(0) + " exited with status "
          + process.exitValue());
    }
  }
}
