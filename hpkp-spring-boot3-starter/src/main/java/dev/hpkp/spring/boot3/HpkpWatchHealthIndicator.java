package dev.hpkp.spring.boot3;

import dev.hpkp.spring.HpkpWatch;
import dev.hpkp.watch.CtWatcher;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code /actuator/health/hpkpWatch} on Spring Boot 3.5: DOWN once a certificate for a watched
 * host whose chain holds no pinned key was seen, or while a CT log misbehaves.
 */
public class HpkpWatchHealthIndicator extends AbstractHealthIndicator {

  private final HpkpWatch watch;

  public HpkpWatchHealthIndicator(HpkpWatch watch) {
    super("HPKP watch health check failed");
    this.watch = watch;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, Object> logs = new LinkedHashMap<>();
    for (CtWatcher.Progress progress : watch.lastRound().values()) {
      logs.put(progress.log(), progress.status() + ", verified size " + progress.to()
          + (progress.problem() == null ? "" : ": " + progress.problem()));
    }
    builder.withDetail("logs", logs).withDetail("unpinnedAlerts", watch.unpinnedAlerts())
        .withDetail("misbehaviourAlerts", watch.misbehaviourAlerts());
    if (watch.alerting()) {
      builder.down();
    } else {
      builder.up();
    }
  }
}
