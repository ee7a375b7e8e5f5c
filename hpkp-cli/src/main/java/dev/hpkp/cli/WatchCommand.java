package dev.hpkp.cli;

import dev.hpkp.config.Wording;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.text.Printable;
import dev.hpkp.watch.Alert;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.HookAlerts;
import dev.hpkp.watch.WatchConfigurationException;
import dev.hpkp.watch.WatchSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
    String url;

    @Option(names = "--log-key", required = true, paramLabel = "FILE|BASE64",
        description = "The log's public key: base64 DER, or a PEM file.")
    String key;

    @Option(names = "--log-api", paramLabel = "static|rfc6962",
        description = "The API the log serves (default static).")
    String api;

    @Option(names = "--log-submission", paramLabel = "URL", description = "A Static API log's"
        + " submission prefix, which names it in its checkpoints (default: --log).")
    String submission;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<LogOption> logs;

  @Option(names = "--state", paramLabel = "DIR", defaultValue = WatchSettings.DEFAULT_STATE,
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
  String fromIndex;

  @Option(names = "--hook", paramLabel = "CMD", description = "A program run for each alert:"
      + " the alert as JSON on standard input, HPKP_* environment variables.")
  String hook;

  @Option(names = "--interval", paramLabel = "TIME", description = "Time between rounds:"
      + " seconds, or with a unit (90, 5m, 1h; default 60s).")
  String interval;

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
    WatchSettings settings;
    try {
      settings = WatchSettings.read(settings()::get, policy(), Clock.systemUTC());
    } catch (WatchConfigurationException e) {
      throw new UsageException(e.message(NAMES), e);
    }
    settings.warnings().forEach(warning -> err.println("warning: " + warning.in(NAMES)));
    CtWatcher.Builder builder = settings.builder();
    builder.sink(alerts -> {
      for (Alert alert : alerts) {
        out.println(json ? alert.json() : alert.message());
      }
      out.flush();
    });
    if (hook != null) {
      builder.sink(new HookAlerts(List.of("sh", "-c", hook)));
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
    int logCount = settings.logCount();
    int hostCount = settings.hosts().size();
    CtWatcher watcher;
    try {
      watcher = builder.build();
    } catch (IOException e) { // the state directory, or the alerts file in it
      throw new UsageException(NAMES.of(WatchSettings.STATE, null) + ": " + e.getMessage(), e);
    }
    err.println("hpkp watch: " + logCount + (logCount == 1 ? " log, " : " logs, ")
        + hostCount + (hostCount == 1 ? " host" : " hosts") + "; state in " + state);
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
          double took = progress.took().isZero() ? seconds
              : Math.max(0.001, progress.took().toMillis() / 1000.0); // this log's own time
          err.println(Printable.escape(progress.log() + ": +" + progress.entries() + " entries ("
              + Math.round(progress.entries() / took) + "/s), verified size "
              + progress.to() + (progress.treeSize() >= 0 ? ", " + (progress.treeSize()
              - progress.to()) + " behind" : "") + (progress.problem() == null ? ""
              : "; " + progress.problem())));
        }
      }
      err.flush();
      if (once) {
        watcher.close();
        return unavailable ? Hpkp.USAGE : alerts > 0 ? Hpkp.FINDING : 0;
      }
      Thread.sleep(settings.interval().toMillis());
    }
  }

  private PinPolicy policy() {
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
    return policy;
  }

  /** The options as the watch's settings ({@link WatchSettings}) name them. */
  private Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(WatchSettings.STATE, state.toString());
    put(settings, WatchSettings.INTERVAL, interval);
    put(settings, WatchSettings.FROM_START, fromStart ? "true" : null);
    put(settings, WatchSettings.FROM_INDEX, fromIndex);
    put(settings, WatchSettings.HOSTS, hosts.isEmpty() ? null : String.join(",", hosts));
    put(settings, WatchSettings.LOG_LIST, logList);
    List<LogOption> given = logs == null ? List.of() : logs;
    for (int i = 0; i < given.size(); i++) {
      settings.put(WatchSettings.log(i, WatchSettings.URL), given.get(i).url);
      settings.put(WatchSettings.log(i, WatchSettings.KEY), given.get(i).key);
      put(settings, WatchSettings.log(i, WatchSettings.API), given.get(i).api);
      put(settings, WatchSettings.log(i, WatchSettings.SUBMISSION), given.get(i).submission);
    }
    return settings;
  }

  private static void put(Map<String, String> settings, String name, String value) {
    if (value != null) {
      settings.put(name, value);
    }
  }

  /** The watch's settings as this command's options name them. */
  static final Wording.Names NAMES = (setting, value) -> {
    String option = switch (setting.replaceFirst("^logs\\[\\d+]\\.", "log.")) {
      case WatchSettings.HOSTS -> "--host";
      case WatchSettings.LOG_LIST -> "--log-list";
      case WatchSettings.LOGS -> "--log URL --log-key KEY";
      case WatchSettings.STATE -> "--state";
      case WatchSettings.INTERVAL -> "--interval";
      case WatchSettings.FROM_START -> "--from-start";
      case WatchSettings.FROM_INDEX -> "--from-index";
      case WatchSettings.HOOK -> "--hook";
      case "log." + WatchSettings.URL -> "--log";
      case "log." + WatchSettings.KEY -> "--log-key";
      case "log." + WatchSettings.API -> "--log-api";
      case "log." + WatchSettings.SUBMISSION -> "--log-submission";
      default -> setting;
    };
    return value == null || WatchSettings.FROM_START.equals(setting) ? option
        : option + " " + value;
  };

  /** The filter's settings as this command's options name them. */
  static final Wording.Names OPTIONS = (setting, value) -> switch (setting) {
    case HpkpConfig.PINS -> "--pins";
    case HpkpConfig.BACKUP_PINS -> "--backup-pins";
    case HpkpConfig.INCLUDE_SUB_DOMAINS -> "--include-subdomains";
    default -> Wording.Names.AS_WRITTEN.of(setting, value);
  };
}
