package dev.hpkp.spring;

import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.server.WebFilter;

/** The same hpkp.* properties for a Spring WebFlux application: {@link HpkpWebFilter}. */
@AutoConfiguration(after = {ReactiveWebServerFactoryAutoConfiguration.class,
    SslAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(WebFilter.class)
@Conditional(HpkpPolicies.OnPolicy.class)
@EnableConfigurationProperties(HpkpProperties.class)
public class HpkpReactiveAutoConfiguration {

  @Bean
  HpkpWebFilter hpkpWebFilter(HpkpProperties properties,
      ObjectProvider<ServerProperties> server, ObjectProvider<SslBundles> bundles) {
    List<X509Certificate> served = HpkpPolicies.served(properties, server, bundles);
    return new HpkpWebFilter(HpkpPolicies.policy(HpkpPolicies.settings(
        properties, properties, properties.isReportOnly()), served, "hpkp."));
  }
}
