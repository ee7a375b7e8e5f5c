package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Registers {@link HpkpFilter} from {@code hpkp.*} in a servlet web application, when {@code
 * hpkp.pins} is set or {@code hpkp.enabled=true}. The policy is validated by the filter's own
 * rules against the chain the embedded server serves (its SSL bundle or {@code server.ssl.*}
 * key store) unless {@code hpkp.served-chain} names another; a policy the filter would refuse
 * stops the application with a failure analysis naming the {@code hpkp.*} key.
 *
 * <p>Only types Boot 3.5 and Boot 4 share under the same names appear here ({@code server.ssl}
 * is bound directly rather than through {@code ServerProperties}, which Boot 4 moved).
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HpkpFilter.class)
@Conditional(HpkpPolicies.OnPolicy.class)
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpAutoConfiguration {

  /**
   * Just after Boot's character-encoding filter and before everything else, Spring Security's
   * chain included, so a 401 or 403 a later filter sends still carries the header.
   */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

  @Bean
  HpkpPolicySet hpkpPolicies(HpkpProperties properties, Environment environment,
      ObjectProvider<SslBundles> bundles) {
    return HpkpPolicySet.from(properties, Binder.get(environment), bundles.getIfAvailable());
  }

  @Bean
  FilterRegistrationBean<HpkpFilter> hpkpFilter(HpkpPolicySet policies) {
    return registration(HpkpPolicySet.MAIN, policies.get(HpkpPolicySet.MAIN), "hpkp.");
  }

  @Bean
  @Conditional(HpkpPolicies.OnReportOnlyPolicy.class)
  FilterRegistrationBean<HpkpFilter> hpkpReportOnlyFilter(HpkpPolicySet policies) {
    return registration(HpkpPolicySet.REPORT_ONLY, policies.get(HpkpPolicySet.REPORT_ONLY),
        "hpkp.report-only-policy.");
  }

  private static FilterRegistrationBean<HpkpFilter> registration(String name, PinPolicy policy,
      String prefix) {
    FilterRegistrationBean<HpkpFilter> registration = new FilterRegistrationBean<>(
        new HpkpFilter(policy, PropertyNames.policy(prefix)));
    registration.setName(name);
    registration.addUrlPatterns("/*");
    registration.setOrder(ORDER);
    registration.setAsyncSupported(true);
    return registration;
  }
}
