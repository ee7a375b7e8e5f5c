package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.servlet.HpkpFilter;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Registers {@link HpkpFilter} from {@code hpkp.*} in a servlet web application, when {@code
 * hpkp.pins} is set or {@code hpkp.enabled=true}. The policy is validated by the filter's own
 * rules against the chain the embedded server serves (its SSL bundle or {@code server.ssl.*}
 * key store) unless {@code hpkp.served-chain} names another; a policy the filter would refuse
 * stops the application with a failure analysis naming the {@code hpkp.*} key.
 */
@AutoConfiguration(after = {ServletWebServerFactoryAutoConfiguration.class,
    SslAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HpkpFilter.class)
@Conditional(HpkpAutoConfiguration.OnPolicy.class)
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpAutoConfiguration {

  /**
   * Just after Boot's character-encoding filter and before everything else, Spring Security's
   * chain included, so a 401 or 403 a later filter sends still carries the header.
   */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

  @Bean
  FilterRegistrationBean<HpkpFilter> hpkpFilter(HpkpProperties properties,
      ObjectProvider<ServerProperties> server, ObjectProvider<SslBundles> bundles) {
    List<X509Certificate> served = served(properties, server, bundles);
    PinPolicy policy = policy(settings(properties, properties, properties.isReportOnly()),
        served, "hpkp.");
    return registration("hpkp", policy);
  }

  @Bean
  @Conditional(OnReportOnlyPolicy.class)
  FilterRegistrationBean<HpkpFilter> hpkpReportOnlyFilter(HpkpProperties properties,
      ObjectProvider<ServerProperties> server, ObjectProvider<SslBundles> bundles) {
    if (properties.isReportOnly()) {
      throw new HpkpStartupException("hpkp.report-only-policy.pins is set, but hpkp.report-only"
          + " is true: both policies would be Public-Key-Pins-Report-Only headers, and user"
          + " agents read only one",
          "The report-only policy is for a rotation beside an enforced one: set"
          + " hpkp.report-only=false, or move these pins into hpkp.pins", null);
    }
    List<X509Certificate> served = served(properties, server, bundles);
    PinPolicy policy = policy(settings(properties, properties.getReportOnlyPolicy(), true),
        served, "hpkp.report-only-policy.");
    return registration("hpkp-report-only", policy);
  }

  private static FilterRegistrationBean<HpkpFilter> registration(String name, PinPolicy policy) {
    FilterRegistrationBean<HpkpFilter> registration =
        new FilterRegistrationBean<>(new HpkpFilter(policy));
    registration.setName(name);
    registration.addUrlPatterns("/*");
    registration.setOrder(ORDER);
    registration.setAsyncSupported(true);
    return registration;
  }

  private static List<X509Certificate> served(HpkpProperties properties,
      ObjectProvider<ServerProperties> server, ObjectProvider<SslBundles> bundles) {
    if (!properties.isServedChainCheck() || properties.getServedChain() != null) {
      return null;
    }
    List<X509Certificate> chain;
    try {
      chain = ServerTlsChain.of(server.getIfAvailable(), bundles.getIfAvailable());
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
  private static Map<String, String> settings(HpkpProperties properties,
      PolicyProperties policy, boolean reportOnly) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(HpkpConfig.PINS, String.join(" ", policy.getPins()));
    settings.put(HpkpConfig.BACKUP_PINS, String.join(" ", policy.getBackupPins()));
    settings.put(HpkpConfig.MAX_AGE_SECONDS, Long.toString(policy.getMaxAge().getSeconds()));
    settings.put(HpkpConfig.INCLUDE_SUB_DOMAINS, Boolean.toString(policy.isIncludeSubdomains()));
    put(settings, HpkpConfig.REPORT_URI, policy.getReportUri());
    settings.put(HpkpConfig.REPORT_ONLY, Boolean.toString(reportOnly));
    settings.put(HpkpConfig.SERVED_CHAIN_CHECK, Boolean.toString(properties.isServedChainCheck()));
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

  private static PinPolicy policy(Map<String, String> settings, List<X509Certificate> served,
      String prefix) {
    try {
      return HpkpConfig.of(settings, "application property").toPolicy(served);
    } catch (PolicyException e) {
      String description = PropertyNames.inPropertyTerms(e.getMessage(), prefix);
      int fix = description.lastIndexOf("; ");
      String action = fix < 0 ? "Correct " + prefix + "* (see the description)"
          : Character.toUpperCase(description.charAt(fix + 2)) + description.substring(fix + 3);
      throw new HpkpStartupException(description, action, e);
    }
  }

  /** hpkp.enabled=true, or hpkp.pins set and hpkp.enabled not false. */
  static final class OnPolicy extends SpringBootCondition {
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
  static final class OnReportOnlyPolicy extends SpringBootCondition {
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
