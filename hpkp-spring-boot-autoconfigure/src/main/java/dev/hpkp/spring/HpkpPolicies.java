package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * hpkp.* as validated policies, for the servlet and the reactive configurations alike: no
 * servlet type here, so a WebFlux application without the Servlet API can load it.
 */
final class HpkpPolicies {

  private HpkpPolicies() {}

  /**
   * The chain the embedded server serves, from {@code server.ssl} (bound here: Boot 4 moved
   * {@code ServerProperties}, while {@code Ssl} kept its name); null when hpkp.served-chain is
   * set or the check is off.
   */
  static List<X509Certificate> served(HpkpProperties properties, Binder binder,
      SslBundles bundles) {
    if (!properties.isServedChainCheck() || properties.getServedChain() != null) {
      return null;
    }
    List<X509Certificate> chain;
    try {
      chain = ServerTlsChain.of(binder.bind("server.ssl", Ssl.class).orElse(null), bundles);
    } catch (RuntimeException e) {
      throw new HpkpStartupException("hpkp.served-chain: not set, and the chain of the server's"
          + " own TLS cannot be read: " + e.getMessage(), "Fix server.ssl, or set"
          + " hpkp.served-chain to the chain the site serves", e);
    }
    if (chain == null) {
      throw new HpkpStartupException("hpkp.served-chain: not set, and this application has no"
          + " TLS of its own (server.ssl.bundle or server.ssl.key-store) to read the served chain"
          + " from", "If TLS ends on a proxy, set hpkp.served-chain to the chain it serves"
          + " (e.g. file:/etc/tls/fullchain.pem), or hpkp.served-chain-check=false to start"
          + " without the check", null);
    }
    return chain;
  }

  /** The filter's settings for {@code policy}, with the chain settings of {@code properties}. */
  static Map<String, String> settings(HpkpProperties properties,
      PolicyProperties policy, boolean reportOnly) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(HpkpConfig.PINS, String.join(" ", policy.getPins()));
    settings.put(HpkpConfig.BACKUP_PINS, String.join(" ", policy.getBackupPins()));
    settings.put(HpkpConfig.MAX_AGE_SECONDS, Long.toString(policy.getMaxAge().getSeconds()));
    settings.put(HpkpConfig.INCLUDE_SUB_DOMAINS, Boolean.toString(policy.isIncludeSubdomains()));
    put(settings, HpkpConfig.REPORT_URI, policy.getReportUri());
    settings.put(HpkpConfig.REPORT_ONLY, Boolean.toString(reportOnly));
    settings.put(HpkpConfig.SERVED_CHAIN_CHECK, Boolean.toString(properties.isServedChainCheck()));
    settings.put(HpkpConfig.SERVED_CHAIN_WATCH, Boolean.toString(properties.isServedChainWatch()));
    if (properties.getServedChainQuietPeriod() != null) {
      settings.put(HpkpConfig.SERVED_CHAIN_QUIET_PERIOD_MILLIS,
          Long.toString(properties.getServedChainQuietPeriod().toMillis()));
    }
    put(settings, HpkpConfig.SERVED_CHAIN, properties.getServedChain());
    put(settings, HpkpConfig.SERVED_CHAIN_PASSWORD, properties.getServedChainPassword());
    put(settings, HpkpConfig.SERVED_CHAIN_ALIAS, properties.getServedChainAlias());
    put(settings, HpkpConfig.TRUST_STORE, properties.getTrustStore());
    put(settings, HpkpConfig.TRUST_STORE_PASSWORD, properties.getTrustStorePassword());
    return settings;
  }

  private static void put(Map<String, String> settings, String name, String value) {
    if (value != null) {
      settings.put(name, value);
    }
  }

  static PinPolicy policy(Map<String, String> settings, List<X509Certificate> served,
      String prefix) {
    try {
      return HpkpConfig.of(settings, "application property").toPolicy(served);
    } catch (PolicyException e) {
      throw PropertyNames.startupFailure(e, PropertyNames.policy(prefix), prefix + "*");
    }
  }

  /** hpkp.enabled=true, or hpkp.pins set and hpkp.enabled not false. */
  public static final class OnPolicy extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context,
        AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      Boolean enabled = binder.bind("hpkp.enabled", Boolean.class).orElse(null);
      if (Boolean.FALSE.equals(enabled)) {
        return ConditionOutcome.noMatch("hpkp.enabled=false");
      }
      if (Boolean.TRUE.equals(enabled)) {
        return ConditionOutcome.match("hpkp.enabled=true");
      }
      return listSet(binder, "hpkp.pins") ? ConditionOutcome.match("hpkp.pins is set")
          : ConditionOutcome.noMatch("neither hpkp.pins nor hpkp.enabled=true is set");
    }
  }

  /** hpkp.report-only-policy.pins set. */
  public static final class OnReportOnlyPolicy extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context,
        AnnotatedTypeMetadata metadata) {
      return listSet(Binder.get(context.getEnvironment()), "hpkp.report-only-policy.pins")
          ? ConditionOutcome.match("hpkp.report-only-policy.pins is set")
          : ConditionOutcome.noMatch("hpkp.report-only-policy.pins is not set");
    }
  }

  private static boolean listSet(Binder binder, String name) {
    return binder.bind(name, Bindable.listOf(String.class)).map(list -> !list.isEmpty())
        .orElse(false);
  }
}
