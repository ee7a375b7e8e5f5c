package dev.hpkp.spring.boot4;

import dev.hpkp.spring.HpkpWatch;
import dev.hpkp.spring.HpkpWatchAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code hpkpWatch} health indicator, on Spring Boot 4's health API. */
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
