package dev.hpkp.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * {@code /actuator/hpkp}, when Actuator is present, for servlet and WebFlux applications alike.
 * The {@code hpkp} health indicator is in each starter: its API differs between Boot 3 and 4.
 */
@AutoConfiguration(after = {HpkpAutoConfiguration.class, HpkpReactiveAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(HpkpPolicySet.class)
public class HpkpActuatorAutoConfiguration {

  @Bean
  @ConditionalOnAvailableEndpoint(endpoint = HpkpEndpoint.class)
  HpkpEndpoint hpkpEndpoint(HpkpPolicySet policies,
      ObjectProvider<HpkpEndpointSection> sections) {
    return new HpkpEndpoint(policies, sections.orderedStream().toList());
  }
}
