package dev.hpkp.watch;

import dev.hpkp.config.Parameters;
import dev.hpkp.config.Wording;
import dev.hpkp.policy.HostName;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The watch's settings, each with its name, default, bounds and rule written once: the CLI's
 * {@code hpkp watch} and the Spring Boot starter's {@code hpkp.watch.*} read them through here,
 * each passing its values by these names and naming them its own way in messages ({@link
 * WatchConfigurationException#message}). A log is {@code logs[i].url}, {@code logs[i].key},
 * {@code logs[i].api}, {@code logs[i].submission}, numbered from 0 without gaps.
 *
 * <pre>{@code
 * WatchSettings settings = WatchSettings.read(Map.of("logs[0].url", url, "logs[0].key", key,
 *     "hosts", "example.com")::get, policy, Clock.systemUTC());
 * CtWatcher watcher = settings.builder().sink(myAlerts).build();
 * }</pre>
 */
public final class WatchSettings {

  /** Hosts to watch, comma-separated; default: the served leaf's names. */
  public static final String HOSTS = "hosts";
  /** A log list in Chrome's log_list.json format (v3): a file or an http(s) URL. */
  public static final String LOG_LIST = "logList";
  /** The logs, as a whole: named in the message when there is none. */
  public static final String LOGS = "logs";
  /** Where each log's position and {@link #ALERTS_FILE} are kept. */
  public static final String STATE = "state";
  /** Time between rounds ({@link Parameters#duration}). */
  public static final String INTERVAL = "interval";
  /** {@code true}: a log without state is read from its first entry, not from its end. */
  public static final String FROM_START = "fromStart";
  /** The entry a log without state is read from, instead of its end. */
  public static final String FROM_INDEX = "fromIndex";
  /** A program run for each alert ({@link HookAlerts}); named here for messages. */
  public static final String HOOK = "hook";

  /** A log's field: {@code logs[i].url}. */
  public static final String URL = "url";
  /** A log's field: its public key, base64 DER or a PEM file. */
  public static final String KEY = "key";
  /** A log's field: {@code static} (default) or {@code rfc6962} ({@link LogApi}). */
  public static final String API = "api";
  /** A log's field: a Static API log's submission prefix (default: its url). */
  public static final String SUBMISSION = "submission";

  public static final String DEFAULT_STATE = "hpkp-watch";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_INTERVAL = Duration.ofDays(1);
  /** The alerts file's name in the state directory. */
  public static final String ALERTS_FILE = "alerts.jsonl";

  private static final Parameters RULES = new Parameters(WatchConfigurationException::new);

  /** One log as the settings name it. */
  record LogSpec(LogApi api, URI url, URI submission, LogKey key) {}

  private final Path state;
  private final Duration interval;
  private final long startAt;
  private final List<WatchedHost> hosts;
  private final List<LogSpec> logs;
  private final List<Wording> warnings;

  private WatchSettings(Path state, Duration interval, long startAt, List<WatchedHost> hosts,
      List<LogSpec> logs, List<Wording> warnings) {
    this.state = state;
    this.interval = interval;
    this.startAt = startAt;
    this.hosts = List.copyOf(hosts);
    this.logs = List.copyOf(logs);
    this.warnings = List.copyOf(warnings);
  }

  /** The name of log {@code index}'s {@code field}: {@code logs[0].url}. */
  public static String log(int index, String field) {
    return LOGS + "[" + index + "]." + field;
  }

  /**
   * The settings {@code config} gives (null for unset), checked; a log list is fetched.
   *
   * @param policy the pins taken as legitimate, and the hosts when {@link #HOSTS} is unset
   * @param clock decides which logs of a log list are current
   * @throws WatchConfigurationException naming the setting, its value and the fix
   */
  public static WatchSettings read(Function<String, String> config, PinPolicy policy,
      Clock clock) throws InterruptedException {
    Path state = path(config.apply(STATE));
    Duration interval = RULES.duration(INTERVAL, config.apply(INTERVAL), DEFAULT_INTERVAL,
        MIN_INTERVAL, MAX_INTERVAL);
    boolean fromStart = RULES.bool(FROM_START, config.apply(FROM_START), false);
    String fromIndex = config.apply(FROM_INDEX);
    long startAt = fromStart ? 0 : -1;
    if (fromIndex != null) {
      startAt = Parameters.wholeNumber(fromIndex.strip());
      if (startAt < 0) {
        throw new WatchConfigurationException(FROM_INDEX, fromIndex, "'"
            + Printable.escape(fromIndex) + "' is not an entry index (a whole number, 0 or"
            + " more, in ASCII digits)", "give the entry to start at, e.g. 0, or leave it out",
            null);
      }
      if (fromStart) {
        throw new WatchConfigurationException(FROM_INDEX, fromIndex, Wording.text("'"
            + Printable.escape(fromIndex) + "' is set with ").setting(FROM_START, "true"),
            Wording.text("set one of them, not both"), null);
      }
    }
    List<WatchedHost> hosts = hosts(config.apply(HOSTS), policy);
    List<Wording> warnings = new ArrayList<>();
    List<LogSpec> logs = new ArrayList<>();
    // a log is known by its key (its LogID names its state): each is watched once
    Map<String, String> named = new HashMap<>();
    for (int i = 0; config.apply(log(i, URL)) != null || config.apply(log(i, KEY)) != null; i++) {
      LogSpec log = log(config, i, warnings);
      String before = named.putIfAbsent(Checkpoint.hex(log.key().logId()), log(i, KEY));
      if (before != null) {
        throw new WatchConfigurationException(log(i, KEY), config.apply(log(i, KEY)),
            Wording.text("the same key as ").setting(before).append(" (a log is known by its"
            + " key, and its position is kept under it)"), Wording.text("give each log its"
            + " own key, and name each log once"), null);
      }
      logs.add(log);
    }
    String list = config.apply(LOG_LIST);
    if (list != null) {
      for (LogList.Log listed : logList(list)) {
        if (listed.current(clock.instant())) {
          String before = named.putIfAbsent(Checkpoint.hex(listed.key().logId()), LOG_LIST);
          if (before != null) {
            warnings.add(Wording.text("").setting(LOG_LIST).append(": "
                + Printable.escape(listed.url().toString()) + " is watched once, as ")
                .setting(before).append(" names it"));
            continue;
          }
          logs.add(new LogSpec(listed.tiled() ? LogApi.STATIC : LogApi.RFC6962, listed.url(),
              listed.submission(), listed.key()));
          warnIfPlain(warnings, LOG_LIST, listed.url());
        }
      }
    }
    if (logs.isEmpty()) {
      throw new WatchConfigurationException(LOGS, null, Wording.text("no log to watch"),
          Wording.text("name the logs with ").setting(LOGS).append(", or give ")
          .setting(LOG_LIST).append(" (such as Chrome's log_list.json)"), null);
    }
    return new WatchSettings(state, interval, startAt, hosts, logs, warnings);
  }

  private static Path path(String text) {
    String value = text == null ? DEFAULT_STATE : text;
    try {
      if (value.isBlank() || value.indexOf('\0') >= 0) {
        throw new InvalidPathException(value, "empty, or holds a NUL");
      }
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new WatchConfigurationException(STATE, value, "'" + Printable.escape(value)
          + "' is not a directory name", "set it to a directory this program can write, e.g. "
          + DEFAULT_STATE, e);
    }
  }

  private static List<WatchedHost> hosts(String text, PinPolicy policy) {
    List<String> names = text == null || text.isBlank() ? List.of()
        : List.of(text.strip().split("\\s*,\\s*"));
    List<WatchedHost> hosts;
    try {
      hosts = WatchedHost.of(policy, names);
    } catch (IllegalArgumentException e) {
      throw new WatchConfigurationException(HOSTS, text, Printable.message(e.getMessage()),
          "name each host as it appears in certificates, e.g. www.example.com", e);
    }
    if (hosts.isEmpty()) {
      throw new WatchConfigurationException(HOSTS, null, "not set, and the served chain's"
          + " leaf names no host", "name the hosts to watch", null);
    }
    return hosts;
  }

  private static LogSpec log(Function<String, String> config, int i, List<Wording> warnings) {
    URI url = url(log(i, URL), config.apply(log(i, URL)), warnings);
    LogKey key = key(log(i, KEY), config.apply(log(i, KEY)));
    String apiText = config.apply(log(i, API));
    LogApi api = apiText == null ? LogApi.STATIC : LogApi.of(apiText.strip());
    if (api == null) {
      throw new WatchConfigurationException(log(i, API), apiText, "'"
          + Printable.escape(apiText) + "' is neither static nor rfc6962", "write static (a"
          + " Static CT API log, the default) or rfc6962", null);
    }
    String submission = config.apply(log(i, SUBMISSION));
    return new LogSpec(api, url, submission == null ? url
        : url(log(i, SUBMISSION), submission, warnings), key);
  }

  private static URI url(String name, String text, List<Wording> warnings) {
    URI url = logUrl(text);
    if (url == null) {
      throw new WatchConfigurationException(name, text, text == null || text.isBlank()
          ? "not set"
          : "'" + Printable.escape(text) + "' is not an http(s) URL", "give the log's"
          + " monitoring prefix (Static CT API) or its RFC 6962 URL, e.g."
          + " https://ct.example/2026h2/", null);
    }
    warnIfPlain(warnings, name, url);
    return url;
  }

  /** {@code text} as an http(s) URL with a host, or null: the one rule for a log's URL. */
  static URI logUrl(String text) {
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text.strip());
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null || uri.getHost().length() > HostName.MAX_LENGTH + 2) {
        return null;
      }
      IDN.toASCII(uri.getHost()); // refuses a label over 63 characters, as TLS's SNI would
      return uri;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void warnIfPlain(List<Wording> warnings, String name, URI url) {
    if ("http".equals(url.getScheme())) {
      warnings.add(Wording.text("").setting(name).append(": " + Printable.escape(url.toString())
          + " is plain HTTP; fine for a local or test log, its signatures are checked all the"
          + " same"));
    }
  }

  /** A log's key: a PEM file, or the key itself (base64 DER, as log lists carry it, or PEM). */
  private static LogKey key(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new WatchConfigurationException(name, value, "not set", "give the log's public"
          + " key, base64 DER as log lists carry it, or a PEM file", null);
    }
    String text = value.strip();
    try {
      Path file = Path.of(text);
      if (Files.isRegularFile(file)) {
        text = Files.readString(file);
      } else if (text.contains("/") && text.endsWith(".pem") || text.startsWith(".")) {
        throw new WatchConfigurationException(name, value, Printable.escape(value)
            + " does not exist", "give the log's public key as a PEM file or as base64 DER"
            + " (as log lists carry it)", null);
      }
    } catch (InvalidPathException | IOException e) {
      // not a readable file: the value itself
    }
    try {
      return LogKey.parse(text);
    } catch (IllegalArgumentException e) {
      throw new WatchConfigurationException(name, value, Printable.message(e.getMessage()),
          "give the log's public key, base64 DER as log lists carry it, or a PEM file", e);
    }
  }

  private static List<LogList.Log> logList(String where) throws InterruptedException {
    Wording fix = Wording.text("give a log list in Chrome's log_list.json format (v3), as a"
        + " file or an https:// URL");
    try {
      return LogList.load(where.strip());
    } catch (IOException e) {
      throw new WatchConfigurationException(LOG_LIST, where, Wording.text("'"
          + Printable.escape(where) + "' " + Printable.message(e.getMessage())), fix, e);
    } catch (IllegalArgumentException e) {
      throw new WatchConfigurationException(LOG_LIST, where, Wording.text("'"
          + Printable.escape(where) + "': " + Printable.message(e.getMessage())), fix, e);
    }
  }

  /** Where each log's position and the alerts file are kept. */
  public Path state() {
    return state;
  }

  public Duration interval() {
    return interval;
  }

  public List<WatchedHost> hosts() {
    return hosts;
  }

  /** How many logs are watched. */
  public int logCount() {
    return logs.size();
  }

  /** What is allowed but worth saying (a plain-HTTP log), each naming its setting. */
  public List<Wording> warnings() {
    return warnings;
  }

  /**
   * A watcher's builder with these logs, hosts, state and start, and the alerts file ({@link
   * #ALERTS_FILE} in the state directory) as its first sink; the caller adds its own sinks (a
   * {@link HookAlerts} for {@link #HOOK}).
   */
  public CtWatcher.Builder builder() {
    CtWatcher.Builder builder = CtWatcher.builder().stateDirectory(state)
        .sink(new AlertFile(state.resolve(ALERTS_FILE)));
    if (startAt >= 0) {
      builder.startAt(startAt);
    }
    hosts.forEach(builder::host);
    for (LogSpec log : logs) {
      builder.log(log.api(), log.url(), log.submission(), log.key());
    }
    return builder;
  }
}
