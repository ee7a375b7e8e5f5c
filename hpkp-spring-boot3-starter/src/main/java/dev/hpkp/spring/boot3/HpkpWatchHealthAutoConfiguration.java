package dev.hpkp.spring.boot3;

import dev.hpkp.spring.HpkpWatch;
import dev.hpkp.spring.HpkpWatchAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code hpkpWatch} health indicator, on Spring Boot 3.5's health API. */
@AutoConfiguration(after = HpkpWatchAutoConfiguration.class)
@ConditionalOnClass(value = AbstractHealthIndicator.class, name = "dev.hpkp.watch.CtWatcher")
@ConditionalOnBean(HpkpWatch.class)
public class HpkpWatchHealthAutoConfiguration {

  @Bean
  @ConditionalOnEnabledHealthIndicator("hpkpWatch")
  HpkpWatchHealthIndicator hpkpWatchHealthIndicator(HpkpWatch watch) {
    return new HpkpWatchHealthIndicator(watch);
  }
}
