package dev.hpkp.cli;

import dev.hpkp.config.Wording;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.text.Printable;
import dev.hpkp.watch.Alert;
import dev.hpkp.watch.AlertFile;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.HookAlerts;
import dev.hpkp.watch.LogKey;
import dev.hpkp.watch.LogList;
import dev.hpkp.watch.WatchedHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Watches Certificate Transparency logs for certificates of the pinned hosts"
        + " whose chain holds no pinned key (a mis-issuance, or a key rotation nobody pinned),"
        + " and for logs that misbehave. Every tree head, entry and tile is verified before it"
        + " is acted on.",
        "Alerts go to a JSON-lines file (STATE/alerts.jsonl), the terminal, and --hook.",
        "Exit code with --once: 1 when an alert was raised, 2 when a log could not be read."})
final class WatchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The filter's properties file"
      + " (pins, backupPins, includeSubDomains, servedChain): one file configures both. The"
      + " hosts are the served leaf's DNS names unless --host names them.")
  Path config;

  @Option(names = "--host", paramLabel = "HOST", description = "A host to watch (repeatable).")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--pins", paramLabel = "PIN|FILE", split = ",", description = "Pins of keys"
      + " in use, or key files (as 'header' takes them).")
  List<String> pins = new ArrayList<>();

  @Option(names = "--backup-pins", paramLabel = "PIN|FILE", split = ",",
      description = "Pins of backup keys, or key files.")
  List<String> backupPins = new ArrayList<>();

  @Option(names = "--include-subdomains", description = "Watch every subdomain too.")
  boolean includeSubDomains;

  @Option(names = "--log-list", paramLabel = "FILE|URL", description = "A log list in"
      + " Chrome's log_list.json format (v3); its usable, qualified and read-only logs of the"
      + " current interval are watched.")
  String logList;

  /** One --log with its key. */
  static final class LogOption {
    @Option(names = "--log", required = true, paramLabel = "URL", description = "A log's"
        + " URL: a Static CT API monitoring prefix, or an RFC 6962 URL with --log-api rfc6962.")
    URI url;

    @Option(names = "--log-key", required = true, paramLabel = "FILE|BASE64",
        description = "The log's public key: base64 DER, or a PEM file.")
    String key;

    @Option(names = "--log-api", paramLabel = "static|rfc6962",
        description = "The API the log serves (default static).")
    String api;

    @Option(names = "--log-submission", paramLabel = "URL", description = "A Static API log's"
        + " submission prefix, which names it in its checkpoints (default: --log).")
    URI submission;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<LogOption> logs;

  @Option(names = "--state", paramLabel = "DIR", defaultValue = "hpkp-watch",
      description = "Where each log's position and the alerts file are kept (default"
          + " ${DEFAULT-VALUE}).")
  Path state;

  @Option(names = "--once", description = "One round over every log, then exit.")
  boolean once;

  @Option(names = "--from-start", description = "Read a log without state from its first"
      + " entry, not from its end.")
  boolean fromStart;

  @Option(names = "--from-index", paramLabel = "N", description = "Read a log without state"
      + " from entry N (its end when it has fewer).")
  Long fromIndex;

  @Option(names = "--hook", paramLabel = "CMD", description = "A program run for each alert:"
      + " the alert as JSON on standard input, HPKP_* environment variables.")
  String hook;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60",
      description = "Seconds between rounds (default ${DEFAULT-VALUE}).")
  long interval;

  @Option(names = "--json", description = "Print alerts as JSON lines.")
  boolean json;

  @Option(names = "--progress", negatable = true, description = "A live line per log while a"
      + " round reads (entries/s, position, behind), on standard error; default: when the"
      + " console is a terminal.")
  Boolean progress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (interval < 1 || interval > 86_400) {
      throw new UsageException("--interval " + interval + " is not a number of seconds from 1"
          + " to 86400 (a day); the default is 60");
    }
    List<WatchedHost> watched = watchedHosts();
    if (fromIndex != null && (fromStart || fromIndex < 0)) {
      throw new UsageException("--from-index " + fromIndex + (fromStart ? ": give --from-start"
          + " or --from-index, not both" : " is not an entry index (0 or more)"));
    }
    CtWatcher.Builder builder = CtWatcher.builder().stateDirectory(state).fromStart(fromStart);
    if (fromIndex != null) {
      builder.startAt(fromIndex);
    }
    int logCount = addLogs(builder, err);
    if (logCount == 0) {
      throw new UsageException("no log to watch; give --log URL --log-key KEY, or --log-list"
          + " FILE|URL (such as Chrome's log_list.json)");
    }
    watched.forEach(builder::host);
    builder.sink(new AlertFile(state.resolve("alerts.jsonl")));
    builder.sink(alerts -> {
      for (Alert alert : alerts) {
        out.println(json ? alert.json() : alert.message());
      }
      out.flush();
    });
    if (hook != null) {
      builder.sink(new HookAlerts(List.of("sh", "-c", hook), Duration.ofSeconds(30)));
    }
    boolean terminal = progress != null ? progress : System.console() != null;
    Instant[] roundStart = {Instant.now()};
    if (terminal) {
      // a live line per log while a round reads: entries/s, verified so far, behind
      builder.onProgress(progress -> {
        double seconds = Math.max(0.001, Duration.between(roundStart[0], Instant.now())
            .toMillis() / 1000.0);
        err.print("\r" + Printable.escape(progress.log()) + ": " + (progress.to()
            - progress.from()) + " entries (" + Math.round((progress.to() - progress.from())
            / seconds) + "/s), at " + progress.to() + ", " + (progress.treeSize()
            - progress.to()) + " behind   ");
        err.flush();
      });
    }
    CtWatcher watcher = builder.build();
    err.println("hpkp watch: " + logCount + (logCount == 1 ? " log, " : " logs, ")
        + watched.size() + (watched.size() == 1 ? " host" : " hosts") + "; state in " + state);
    while (true) {
      Instant started = Instant.now();
      roundStart[0] = started;
      List<CtWatcher.Progress> round = watcher.runOnce();
      err.print(terminal ? "\r" : "");
      double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis()
          / 1000.0);
      int alerts = 0;
      boolean unavailable = false;
      for (CtWatcher.Progress progress : round) {
        alerts += progress.alerts()
            + (progress.status() == CtWatcher.Status.MISBEHAVING ? 1 : 0);
        unavailable |= progress.status() == CtWatcher.Status.UNAVAILABLE
            || progress.status() == CtWatcher.Status.FAILED;
        if (once || progress.entries() > 0 || progress.problem() != null) {
          err.println(Printable.escape(progress.log() + ": +" + progress.entries() + " entries ("
              + Math.round(progress.entries() / seconds) + "/s), verified size "
              + progress.to() + (progress.treeSize() >= 0 ? ", " + (progress.treeSize()
              - progress.to()) + " behind" : "") + (progress.problem() == null ? ""
              : "; " + progress.problem())));
        }
      }
      err.flush();
      if (once) {
        return unavailable ? Hpkp.USAGE : alerts > 0 ? Hpkp.FINDING : 0;
      }
      Thread.sleep(Duration.ofSeconds(interval).toMillis());
    }
  }

  private List<WatchedHost> watchedHosts() {
    Map<String, String> settings = new LinkedHashMap<>();
    if (config != null) {
      if (!pins.isEmpty() || !backupPins.isEmpty() || includeSubDomains) {
        throw new UsageException("--config names the pins already; leave out --pins,"
            + " --backup-pins and --include-subdomains, or --config");
      }
      settings.put(HpkpConfig.CONFIG, config.toString());
    } else {
      if (pins.isEmpty() || backupPins.isEmpty()) {
        throw new UsageException("no pins to watch with; give --config FILE (the filter's"
            + " properties) or --pins and --backup-pins (the keys of the site)");
      }
      settings.put(HpkpConfig.PINS, HeaderCommand.references("--pins", pins));
      settings.put(HpkpConfig.BACKUP_PINS, HeaderCommand.references("--backup-pins",
          backupPins));
      settings.put(HpkpConfig.INCLUDE_SUB_DOMAINS, Boolean.toString(includeSubDomains));
      settings.put(HpkpConfig.SERVED_CHAIN_CHECK, "false");
      settings.put(HpkpConfig.REPORT_ONLY, "false");
    }
    PinPolicy policy;
    try {
      policy = HpkpConfig.of(settings, "option").toPolicy();
    } catch (PolicyException e) {
      throw new UsageException(e.message(OPTIONS), e);
    }
    List<WatchedHost> watched;
    try {
      watched = WatchedHost.of(policy, hosts);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--host: " + e.getMessage(), e);
    }
    if (watched.isEmpty()) {
      throw new UsageException("no host to watch; give --host HOST"
          + (config != null ? " (the served chain's leaf names none)" : ""));
    }
    return watched;
  }

  private int addLogs(CtWatcher.Builder builder, PrintWriter err) throws Exception {
    int count = 0;
    for (LogOption log : logs == null ? List.<LogOption>of() : logs) {
      String scheme = log.url.getScheme();
      if (!"https".equals(scheme) && !"http".equals(scheme) || log.url.getHost() == null) {
        throw new UsageException("--log: '" + log.url + "' is not an http(s) URL; give the"
            + " log's monitoring prefix (Static CT API) or its RFC 6962 URL, e.g."
            + " https://ct.example/2026h2/");
      }
      LogKey key = key(log.key);
      warnIfPlain(log.url, err);
      switch (log.api == null ? "static" : log.api) {
        case "static" -> builder.staticLog(log.url, log.submission != null ? log.submission
            : log.url, key);
        case "rfc6962" -> builder.rfc6962Log(log.url, key);
        default -> throw new UsageException("--log-api: '" + log.api + "' is neither static"
            + " nor rfc6962");
      }
      count++;
    }
    if (logList != null) {
      List<LogList.Log> listed;
      try {
        listed = LogList.load(logList);
      } catch (IOException e) {
        throw new UsageException("--log-list " + Printable.escape(logList) + " "
            + e.getMessage() + "; check it, or give the list as a file or an https:// URL", e);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--log-list " + Printable.escape(logList) + ": "
            + e.getMessage() + "; give a log list in Chrome's log_list.json format (v3)", e);
      }
      Instant now = Instant.now();
      for (LogList.Log log : listed) {
        if (log.current(now)) {
          warnIfPlain(log.url(), err);
          builder.log(log);
          count++;
        }
      }
    }
    return count;
  }

  private static void warnIfPlain(URI url, PrintWriter err) {
    err.print("http".equals(url.getScheme()) ? "warning: " + url + " is plain HTTP; fine for a"
        + " local or test log, the signatures are checked all the same\n" : "");
  }

  private static LogKey key(String value) {
    try {
      Path file = Path.of(value);
      if (Files.isRegularFile(file)) {
        return LogKey.parse(Files.readString(file));
      }
      if (value.contains("/") && value.endsWith(".pem") || value.startsWith(".")) {
        throw new UsageException("--log-key: " + Printable.escape(value) + " does not exist;"
            + " give the log's public key as a PEM file or as base64 DER (as log lists carry"
            + " it)");
      }
    } catch (InvalidPathException | IOException e) {
      // not a readable file: the value itself
    }
    try {
      return LogKey.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--log-key: " + e.getMessage(), e);
    }
  }

  /** The filter's settings as this command's options name them. */
  static final Wording.Names OPTIONS = (setting, value) -> switch (setting) {
    case HpkpConfig.PINS -> "--pins";
    case HpkpConfig.BACKUP_PINS -> "--backup-pins";
    case HpkpConfig.INCLUDE_SUB_DOMAINS -> "--include-subdomains";
    default -> Wording.Names.AS_WRITTEN.of(setting, value);
  };
}
