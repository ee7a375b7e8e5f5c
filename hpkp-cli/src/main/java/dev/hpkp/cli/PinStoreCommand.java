package dev.hpkp.cli;

import dev.hpkp.client.FilePinStore;
import dev.hpkp.client.PinnedHost;
import dev.hpkp.policy.Pin;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pin-store", mixinStandardHelpOptions = true,
    description = "Shows and edits a pin store: the known pinned hosts 'hpkp fetch' and"
        + " FilePinStore keep.",
    subcommands = {PinStoreCommand.List.class, PinStoreCommand.Forget.class})
final class PinStoreCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: list or"
        + " forget");
  }

  /** One entry on one line: when it was noted, until when, and its scope. */
  static String describe(PinnedHost entry, Instant now) {
    String until = entry.expiresAt().equals(Instant.MAX) ? "never expires"
        : entry.expiredAt(now) ? "EXPIRED " + seconds(entry.expiresAt())
        : "expires " + seconds(entry.expiresAt()) + " (in "
            + roughly(Duration.between(now, entry.expiresAt())) + ")";
    return entry.pins().size() + " pins, " + (entry.source() == PinnedHost.Source.PRELOADED
        ? "preloaded" : "noted " + seconds(entry.notedAt())) + ", " + until
        + (entry.includeSubDomains() ? ", includeSubDomains" : "")
        + (entry.reportUri() == null ? "" : ", report-uri " + Printable.escape(entry.reportUri()));
  }

  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }

  /** {@code 59 days}, {@code 3 hours}, {@code 9 minutes}, {@code 42 seconds}. */
  static String roughly(Duration left) {
    long s = left.getSeconds();
    return s >= 2 * 86_400 ? s / 86_400 + " days" : s >= 2 * 3_600 ? s / 3_600 + " hours"
        : s >= 120 ? s / 60 + " minutes" : s + " seconds";
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists every host of the store with its pins.")
  static final class List implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PinStoreOption store;

    @Option(names = "--json", description = "JSON output.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      java.util.List<PinnedHost> entries;
      Path file;
      try (FilePinStore opened = store.open()) {
        entries = opened.entries();
        file = opened.file();
      }
      Instant now = Instant.now();
      if (json) {
        Json.print(out, g -> {
          g.writeStartArray();
          for (PinnedHost entry : entries) {
            g.writeStartObject();
            FilePinStore.writeJsonFields(g, entry); // as the store spells it
            g.writeBooleanField("expired", entry.expiredAt(now));
            g.writeEndObject();
          }
          g.writeEndArray();
        });
        return 0;
      }
      if (entries.isEmpty()) {
        out.println(file + " holds no pinned host");
      }
      for (PinnedHost entry : entries) {
        out.println(Printable.escape(entry.host()) + ": " + describe(entry, now));
        for (Pin pin : entry.pins()) {
          out.println("  " + pin);
        }
      }
      return 0;
    }
  }

  @Command(name = "forget", mixinStandardHelpOptions = true,
      description = {"Removes a host's entry, as max-age=0 would: the next connection to it is"
          + " not pinned until a header is noted again.",
          "Exit code 1 when the store has no entry for the host."})
  static final class Forget implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PinStoreOption store;

    @Parameters(index = "0", paramLabel = "HOST", description = "The host name, as listed.")
    String host;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (FilePinStore opened = store.open()) {
        if (!opened.remove(host)) {
          out.println(Printable.escape(host) + " is not in " + opened.file() + "; 'hpkp"
              + " pin-store list' shows the hosts it holds");
          return Hpkp.FINDING;
        }
        out.println("forgot " + Printable.escape(host) + "; " + opened.size()
            + " hosts left in " + opened.file());
        return 0;
      }
    }
  }
}
