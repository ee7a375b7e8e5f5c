package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.config.Parameters;
import dev.hpkp.text.Printable;
import dev.hpkp.watch.Alert;
import dev.hpkp.watch.AlertFile;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.HookAlerts;
import dev.hpkp.watch.LogAlerts;
import dev.hpkp.watch.LogKey;
import dev.hpkp.watch.LogList;
import dev.hpkp.watch.WatchedHost;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code hpkp.watch.enabled=true}: CT logs watched with the pins of {@code hpkp.pins} and
 * {@code hpkp.backup-pins} as the legitimate keys, on a background thread ({@link HpkpWatch});
 * with Micrometer, {@code hpkp.watch.entries}, {@code hpkp.watch.alerts{kind}} and {@code
 * hpkp.watch.behind{log}}. A bad
 * {@code hpkp.watch.*} value stops the application with a failure analysis.
 */
@AutoConfiguration(after = {HpkpAutoConfiguration.class, HpkpReactiveAutoConfiguration.class})
@ConditionalOnClass(CtWatcher.class)
@ConditionalOnProperty(prefix = "hpkp.watch", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpWatchAutoConfiguration {

  @Bean
  HpkpWatch hpkpWatch(HpkpProperties properties,
      ObjectProvider<HpkpPolicySet> policies) {
    WatchProperties watch = properties.getWatch();
    PinPolicy policy = policies.getIfAvailable() == null ? null
        : policies.getIfAvailable().get(HpkpPolicySet.MAIN);
    if (policy == null) {
      throw new HpkpStartupException("hpkp.watch.enabled is true, but there is no policy to"
          + " watch with", "Set hpkp.pins and hpkp.backup-pins: they are the keys the watch"
          + " takes as legitimate", null);
    }
    List<WatchedHost> watched;
    try {
      watched = WatchedHost.of(policy, watch.getHosts());
    } catch (IllegalArgumentException e) {
      throw new HpkpStartupException("hpkp.watch.hosts: " + e.getMessage(),
          "Correct hpkp.watch.hosts", e);
    }
    if (watched.isEmpty()) {
      throw new HpkpStartupException("hpkp.watch.hosts: not set, and the served chain's leaf"
          + " names no host", "Set hpkp.watch.hosts to the hosts to watch", null);
    }
    CtWatcher.Builder builder = CtWatcher.builder().fromStart(watch.isFromStart())
        .stateDirectory(Path.of(watch.getState()))
        .sink(new AlertFile(Path.of(watch.getState()).resolve("alerts.jsonl")))
        .sink(new LogAlerts());
    if (watch.fromIndex() != null) {
      String text = Printable.escape(watch.fromIndex());
      long index = Parameters.wholeNumber(watch.fromIndex().strip());
      if (index < 0) {
        throw new HpkpStartupException("hpkp.watch.from-index: '" + text + "' is not an entry"
            + " index (a whole number, 0 or more, in ASCII digits)", "Set hpkp.watch.from-index"
            + " to the entry to start at, e.g. 0, or remove it", null);
      }
      if (watch.isFromStart()) {
        throw new HpkpStartupException("hpkp.watch.from-index: " + text + " is set with"
            + " hpkp.watch.from-start", "Set one of them, not both", null);
      }
      builder.startAt(index);
    }
    watched.forEach(builder::host);
    int logs = 0;
    for (int i = 0; i < watch.getLogs().size(); i++) {
      WatchProperties.Log log = watch.getLogs().get(i);
      String key = "hpkp.watch.logs[" + i + "]";
      URI url = url(log.getUrl(), key + ".url");
      LogKey logKey;
      try {
        logKey = LogKey.parse(log.getKey() == null ? "" : log.getKey());
      } catch (IllegalArgumentException e) {
        throw new HpkpStartupException(key + ".key: " + e.getMessage(), "Set " + key
            + ".key to the log's public key, base64 as log lists carry it", e);
      }
      switch (log.getApi()) {
        case "static" -> builder.staticLog(url, log.getSubmission() == null ? url
            : url(log.getSubmission(), key + ".submission"), logKey);
        case "rfc6962" -> builder.rfc6962Log(url, logKey);
        default -> throw new HpkpStartupException(key + ".api: '" + log.getApi()
            + "' is neither static nor rfc6962", "Set " + key + ".api to static or rfc6962",
            null);
      }
      logs++;
    }
    if (watch.getLogList() != null) {
      List<LogList.Log> listed;
      String fix = "Set hpkp.watch.log-list to a log list in Chrome's log_list.json format"
          + " (v3): a file, or an https:// URL";
      String where = "hpkp.watch.log-list: " + Printable.escape(watch.getLogList());
      try {
        listed = LogList.load(watch.getLogList());
      } catch (IOException e) {
        throw new HpkpStartupException(where + " " + e.getMessage(), fix, e);
      } catch (IllegalArgumentException e) {
        throw new HpkpStartupException(where + ": " + e.getMessage(), fix, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HpkpStartupException(where + ": interrupted while fetching it",
            "Start the application again", e);
      }
      Instant now = Instant.now();
      for (LogList.Log log : listed) {
        if (log.current(now)) {
          builder.log(log);
          logs++;
        }
      }
    }
    if (logs == 0) {
      throw new HpkpStartupException("hpkp.watch.enabled is true, but no log is named",
          "Set hpkp.watch.logs (url and key of each) or hpkp.watch.log-list", null);
    }
    if (!watch.getHook().isEmpty()) {
      builder.sink(new HookAlerts(watch.getHook(), Duration.ofSeconds(30)));
    }
    if (watch.getInterval().compareTo(Duration.ofSeconds(1)) < 0
        || watch.getInterval().compareTo(Duration.ofDays(1)) > 0) {
      throw new HpkpStartupException("hpkp.watch.interval: " + watch.getInterval()
          + " is not from 1s to 1d", "Set hpkp.watch.interval to e.g. 60s (the default)", null);
    }
    try {
      return new HpkpWatch(builder, watch.getInterval().toMillis());
    } catch (IOException e) {
      throw new HpkpStartupException("hpkp.watch.state: " + watch.getState() + " cannot be"
          + " read (" + e.getMessage() + ")", "Set hpkp.watch.state to a directory this"
          + " application can write", e);
    }
  }

  private static URI url(String text, String key) {
    try {
      URI uri = new URI(text == null ? "" : text);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null) {
        if ("http".equals(uri.getScheme())) {
          System.getLogger(HpkpWatch.class.getName()).log(System.Logger.Level.WARNING,
              key + ": " + uri + " is plain HTTP; fine for a local or test log, its"
              + " signatures are checked all the same");
        }
        return uri;
      }
    } catch (URISyntaxException e) {
      // refused below
    }
    throw new HpkpStartupException(key + ": '" + Printable.escape(String.valueOf(text))
        + "' is not an http(s) URL", "Set " + key + " to the log's URL", null);
  }

  /** The watch in {@code /actuator/hpkp}: each log's last round and the newest alerts. */
  @Bean
  HpkpEndpointSection hpkpWatchEndpointSection(HpkpWatch watch) {
    return new HpkpEndpointSection() {
      @Override
      public String name() {
        return "watch";
      }

      @Override
      public Object describe() {
        Map<String, Object> described = new LinkedHashMap<>();
        Map<String, Object> logs = new LinkedHashMap<>();
        watch.lastRound().forEach((log, progress) -> logs.put(log, Map.of(
            "status", progress.status().toString(), "verifiedSize", progress.to(),
            "problem", progress.problem() == null ? "" : progress.problem())));
        described.put("logs", logs);
        described.put("entriesVerified", watch.entriesVerified());
        described.put("alerts", watch.recentAlerts().stream().map(Alert::message).toList());
        return described;
      }
    };
  }

  /** The watch's counters in Micrometer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    MeterBinder hpkpWatchMetrics(HpkpWatch watch) {
      return registry -> {
        FunctionCounter.builder("hpkp.watch.entries", watch, HpkpWatch::entriesVerified)
            .description("CT log entries read and verified").register(registry);
        FunctionCounter.builder("hpkp.watch.alerts", watch, HpkpWatch::unpinnedAlerts)
            .tag("kind", "ct-unpinned-issuance")
            .description("Certificates for a watched host whose chain holds no pinned key")
            .register(registry);
        FunctionCounter.builder("hpkp.watch.alerts", watch, HpkpWatch::misbehaviourAlerts)
            .tag("kind", "log-misbehaviour").description("CT logs that served what does not"
            + " verify").register(registry);
        for (String log : watch.logNames()) {
          Gauge.builder("hpkp.watch.behind", watch, w -> w.behind(log)).tag("log", log)
              .description("Entries the log has beyond the last verified round")
              .register(registry);
        }
      };
    }
  }
}
