package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;

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
@Conditional(HpkpPolicies.OnPolicy.class)
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
    List<X509Certificate> served = HpkpPolicies.served(properties, server, bundles);
    PinPolicy policy = HpkpPolicies.policy(HpkpPolicies.settings(properties, properties,
        properties.isReportOnly()), served, "hpkp.");
    return registration("hpkp", policy, "hpkp.");
  }

  @Bean
  @Conditional(HpkpPolicies.OnReportOnlyPolicy.class)
  FilterRegistrationBean<HpkpFilter> hpkpReportOnlyFilter(HpkpProperties properties,
      ObjectProvider<ServerProperties> server, ObjectProvider<SslBundles> bundles) {
    if (properties.isReportOnly()) {
      throw new HpkpStartupException("hpkp.report-only-policy.pins is set, but hpkp.report-only"
          + " is true: both policies would be Public-Key-Pins-Report-Only headers, and user"
          + " agents read only one",
          "The report-only policy is for a rotation beside an enforced one: set"
          + " hpkp.report-only=false, or move these pins into hpkp.pins", null);
    }
    List<X509Certificate> served = HpkpPolicies.served(properties, server, bundles);
    PinPolicy policy = HpkpPolicies.policy(HpkpPolicies.settings(properties,
        properties.getReportOnlyPolicy(), true), served, "hpkp.report-only-policy.");
    return registration("hpkp-report-only", policy, "hpkp.report-only-policy.");
  }

  private static FilterRegistrationBean<HpkpFilter> registration(String name, PinPolicy policy,
      String prefix) {
    FilterRegistrationBean<HpkpFilter> registration = new FilterRegistrationBean<>(
        new HpkpFilter(policy, warning -> PropertyNames.inPropertyTerms(warning, prefix)));
    registration.setName(name);
    registration.addUrlPatterns("/*");
    registration.setOrder(ORDER);
    registration.setAsyncSupported(true);
    return registration;
  }

}
