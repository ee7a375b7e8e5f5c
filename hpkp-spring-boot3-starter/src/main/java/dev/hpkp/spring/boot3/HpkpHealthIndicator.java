package dev.hpkp.spring.boot3;

import dev.hpkp.spring.HpkpPolicySet;
import java.time.Clock;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code /actuator/health/hpkp} on Spring Boot 3.5: DOWN once a policy's renewal date has passed,
 * or once a reloaded served chain locks its clients out
 * ({@link HpkpPolicySet#renewals}: the leaf's expiry − the effective max-age − 30 days).
 */
public class HpkpHealthIndicator extends AbstractHealthIndicator {

  private final HpkpPolicySet policies;
  private final Clock clock;

  public HpkpHealthIndicator(HpkpPolicySet policies, Clock clock) {
    super("HPKP health check failed");
    this.policies = policies;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    HpkpPolicySet.Renewals renewals = policies.renewals(clock.instant());
    builder.withDetails(renewals.details());
    if (renewals.down()) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
