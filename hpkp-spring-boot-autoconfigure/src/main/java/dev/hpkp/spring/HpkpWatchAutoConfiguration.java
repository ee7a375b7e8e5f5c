package dev.hpkp.spring;

import dev.hpkp.config.Parameters;
import dev.hpkp.config.Wording;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.watch.Alert;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.HookAlerts;
import dev.hpkp.watch.LogAlerts;
import dev.hpkp.watch.WatchConfigurationException;
import dev.hpkp.watch.WatchSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
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
    WatchSettings settings;
    try {
      settings = WatchSettings.read(settings(watch)::get, policy, Clock.systemUTC());
    } catch (WatchConfigurationException e) {
      throw PropertyNames.startupFailure(e, PropertyNames.WATCH, "hpkp.watch.*");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HpkpStartupException("hpkp.watch.log-list: interrupted while fetching it",
          "Start the application again", e);
    }
    for (Wording warning : settings.warnings()) {
      System.getLogger(HpkpWatch.class.getName()).log(System.Logger.Level.WARNING,
          warning.in(PropertyNames.WATCH));
    }
    CtWatcher.Builder builder = settings.builder().sink(new LogAlerts());
    if (!watch.getHook().isEmpty()) {
      builder.sink(new HookAlerts(watch.getHook()));
    }
    try {
      return new HpkpWatch(builder, settings.interval().toMillis());
    } catch (IOException e) {
      // the state directory, or the alerts file in it: the message names which and why
      throw new HpkpStartupException("hpkp.watch.state: " + e.getMessage(), "Set"
          + " hpkp.watch.state to a directory this application can write, and run one watcher"
          + " on it", e);
    }
  }

  /** The hpkp.watch.* properties as the watch's settings ({@link WatchSettings}) name them. */
  private static Map<String, String> settings(WatchProperties watch) {
    Map<String, String> settings = new HashMap<>();
    settings.put(WatchSettings.STATE, watch.getState());
    settings.put(WatchSettings.INTERVAL, Parameters.text(watch.getInterval()));
    settings.put(WatchSettings.FROM_START, Boolean.toString(watch.isFromStart()));
    settings.put(WatchSettings.FROM_INDEX, watch.fromIndex());
    settings.put(WatchSettings.HOSTS, watch.getHosts().isEmpty() ? null
        : String.join(",", watch.getHosts()));
    settings.put(WatchSettings.LOG_LIST, watch.getLogList());
    for (int i = 0; i < watch.getLogs().size(); i++) {
      WatchProperties.Log log = watch.getLogs().get(i);
      settings.put(WatchSettings.log(i, WatchSettings.URL), log.getUrl() == null ? ""
          : log.getUrl());
      settings.put(WatchSettings.log(i, WatchSettings.KEY), log.getKey() == null ? ""
          : log.getKey());
      settings.put(WatchSettings.log(i, WatchSettings.API), log.getApi());
      settings.put(WatchSettings.log(i, WatchSettings.SUBMISSION), log.getSubmission());
    }
    return settings;
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
