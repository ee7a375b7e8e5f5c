package dev.hpkp.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebFilter;

/**
 * The same hpkp.* properties for a Spring WebFlux application: {@link HpkpWebFilter} sends each
 * policy, the rotation's report-only one included, validated exactly as on the servlet side.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(WebFilter.class)
@Conditional(HpkpPolicies.OnPolicy.class)
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpReactiveAutoConfiguration {

  @Bean
  HpkpPolicySet hpkpPolicies(HpkpProperties properties, Environment environment,
      ObjectProvider<SslBundles> bundles) {
    return HpkpPolicySet.from(properties, Binder.get(environment), bundles.getIfAvailable());
  }

  @Bean
  HpkpWebFilter hpkpWebFilter(HpkpPolicySet policies) {
    return new HpkpWebFilter(policies);
  }
}
