package dev.hpkp.spring;

import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.servlet.ServedChainWatch;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Judges the pins again whenever the served chain changes while the application runs: when
 * Boot reloads the server's SSL bundle ({@code reload-on-update: true}), or when the {@code
 * hpkp.served-chain} file is replaced. Each verdict is logged in the guard's words (ERROR for a
 * lockout, WARN for a rotation onto a backup, INFO for a renewal on a pinned key), kept for the
 * health indicator and {@code /actuator/hpkp}, and counted as {@code hpkp.chain.changes{verdict}}
 * in Micrometer. Off with {@code hpkp.served-chain-watch=false}.
 */
@AutoConfiguration(after = {HpkpAutoConfiguration.class, HpkpReactiveAutoConfiguration.class})
@ConditionalOnBean(HpkpPolicySet.class)
public class HpkpReloadAutoConfiguration {

  @Bean
  HpkpChainMonitor hpkpChainMonitor(HpkpPolicySet policies, HpkpProperties properties,
      Environment environment, ObjectProvider<SslBundles> bundles) {
    return new HpkpChainMonitor(policies, properties, Binder.get(environment),
        bundles.getIfAvailable());
  }

  /** {@code hpkp.chain.changes{verdict}}: the re-checks since start, by verdict. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean
    MeterBinder hpkpChainMetrics(HpkpPolicySet policies) {
      return registry -> {
        for (ChainVerdict.Kind kind : ChainVerdict.Kind.values()) {
          FunctionCounter.builder("hpkp.chain.changes", policies, p -> p.changes(kind))
              .description("Re-checks of the served chain after it changed, by verdict")
              .tag("verdict", kind.code()).register(registry);
        }
      };
    }
  }

  /** Registers the re-check where the served chain can change; closes the file watch. */
  static final class HpkpChainMonitor implements DisposableBean {

    private static final System.Logger LOG = System.getLogger(HpkpChainMonitor.class.getName());

    private ServedChainWatch watch;

    HpkpChainMonitor(HpkpPolicySet policies, HpkpProperties properties, Binder binder,
        SslBundles bundles) {
      if (!properties.isServedChainCheck() || !properties.isServedChainWatch()) {
        return;
      }
      if (properties.getServedChain() != null) {
        HpkpConfig config = HpkpConfig.of(HpkpPolicies.settings(properties, properties,
            properties.isReportOnly()), "application property");
        Optional<Path> file = config.watchedServedChain();
        if (file.isEmpty()) {
          return;
        }
        Duration quiet = config.servedChainQuietPeriod();
        try {
          watch = ServedChainWatch.start(file.get(), quiet, "hpkp-served-chain",
              changed -> policies.recheck("hpkp.served-chain " + changed, null, quiet));
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.WARNING, "hpkp.served-chain: cannot watch " + file.get() + " for"
              + " changes (" + e.getMessage() + "), so a renewal is checked only at the next"
              + " start; set hpkp.served-chain-watch=false to say so deliberately");
        }
        return;
      }
      Ssl ssl = binder.bind("server.ssl", Ssl.class).orElse(null);
      if (ssl == null || !ssl.isEnabled() || ssl.getBundle() == null || bundles == null) {
        return;
      }
      String name = ssl.getBundle();
      String where = "SSL bundle '" + name + "' (server.ssl.bundle)";
      bundles.addBundleUpdateHandler(name, bundle -> {
        try {
          policies.recheck(where, ServerTlsChain.of(bundle, ssl.getKeyAlias(), where),
              Duration.ZERO);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "HPKP: the reloaded " + where + " cannot be read ("
              + e.getMessage() + "); the pins were not judged against it");
        }
      });
    }

    @Override
    public void destroy() {
      if (watch != null) {
        watch.close();
      }
    }
  }
}
