package dev.hpkp.spring.boot4;

import dev.hpkp.spring.HpkpAutoConfiguration;
import dev.hpkp.spring.HpkpPolicySet;
import dev.hpkp.spring.HpkpReactiveAutoConfiguration;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code hpkp} health indicator, on Spring Boot 4's health API. */
@AutoConfiguration(after = {HpkpAutoConfiguration.class, HpkpReactiveAutoConfiguration.class})
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(HpkpPolicySet.class)
public class HpkpHealthAutoConfiguration {

  @Bean
  @ConditionalOnEnabledHealthIndicator("hpkp")
  HpkpHealthIndicator hpkpHealthIndicator(HpkpPolicySet policies) {
    return new HpkpHealthIndicator(policies, Clock.systemUTC());
  }
}
