package dev.hpkp.spring;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs before any bean is made, so its refusals reach Boot's failure analysis as one sentence
 * instead of a {@code TypeNotPresentException} or a silent start: the Boot generation against
 * the starter's ({@link BootGeneration}), then the {@code hpkp.*} keys ({@link HpkpKeys}).
 */
public final class HpkpStartupChecks
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    HpkpStartupException refusal = BootGeneration.check(SpringBootVersion.getVersion(),
        BootGeneration.starters(context.getClassLoader() != null ? context.getClassLoader()
            : HpkpStartupChecks.class.getClassLoader()));
    if (refusal == null) {
      refusal = HpkpKeys.check(context.getEnvironment());
    }
    if (refusal != null) {
      throw refusal;
    }
  }
}
