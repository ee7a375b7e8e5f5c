package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code /actuator/health/hpkp}: DOWN once a policy's renewal date has passed (the leaf's expiry
 * − max-age − 30 days): a renewal started later cannot switch keys before user agents still hold
 * the old pins, and the served leaf expires under them.
 */
public class HpkpHealthIndicator extends AbstractHealthIndicator {

  private final Map<String, PinPolicy> policies;
  private final Clock clock;

  HpkpHealthIndicator(Map<String, PinPolicy> policies, Clock clock) {
    super("HPKP health check failed");
    this.policies = policies;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Instant now = clock.instant();
    boolean down = false;
    for (Map.Entry<String, PinPolicy> entry : policies.entrySet()) {
      HpkpEndpoint.Renewal renewal = HpkpEndpoint.Renewal.of(entry.getValue()).orElse(null);
      if (renewal == null) {
        builder.withDetail(entry.getKey(), Map.of("renewBy", "unknown: no served chain checked"));
        continue;
      }
      boolean overdue = !now.isBefore(renewal.renewBy());
      down |= overdue;
      builder.withDetail(entry.getKey(), Map.of(
          "leafExpires", renewal.leaf().notAfter().toString(),
          "renewBy", renewal.renewBy().toString(),
          "maxAgeSeconds", entry.getValue().maxAgeSeconds(),
          "status", overdue ? "renewal overdue: start it now, with the backup key if the"
              + " current one cannot be reused" : "renewal not due yet"));
    }
    if (down) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
