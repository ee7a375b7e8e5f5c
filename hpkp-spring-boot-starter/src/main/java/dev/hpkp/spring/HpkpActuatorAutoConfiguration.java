package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/** {@code /actuator/hpkp} and the {@code hpkp} health indicator, when Actuator is present. */
@AutoConfiguration(after = HpkpAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(name = "hpkpFilter")
public class HpkpActuatorAutoConfiguration {

  @Bean
  @ConditionalOnAvailableEndpoint(endpoint = HpkpEndpoint.class)
  HpkpEndpoint hpkpEndpoint(ObjectProvider<FilterRegistrationBean<?>> registrations) {
    return new HpkpEndpoint(policies(registrations));
  }

  @Bean
  @ConditionalOnEnabledHealthIndicator("hpkp")
  HpkpHealthIndicator hpkpHealthIndicator(
      ObjectProvider<FilterRegistrationBean<?>> registrations) {
    return new HpkpHealthIndicator(policies(registrations), Clock.systemUTC());
  }

  /** The policies of the HpkpFilter registrations, by filter name. */
  static Map<String, PinPolicy> policies(
      ObjectProvider<FilterRegistrationBean<?>> registrations) {
    Map<String, PinPolicy> policies = new LinkedHashMap<>();
    List<FilterRegistrationBean<?>> all = registrations.orderedStream().toList();
    for (FilterRegistrationBean<?> registration : all) {
      if (registration.getFilter() instanceof HpkpFilter filter && filter.policy() != null) {
        policies.put(registration.getFilterName(), filter.policy());
      }
    }
    return policies;
  }
}
