package dev.hpkp.watch;

import java.lang.System.Logger.Level;
import java.util.List;

/** Each alert as one log line (System.Logger {@code dev.hpkp.watch}), at WARNING. */
public final class LogAlerts implements AlertSink {

  private static final System.Logger LOG = System.getLogger("dev.hpkp.watch");

  @Override
  public void accept(List<Alert> alerts) {
    for (Alert alert : alerts) {
      LOG.log(Level.WARNING, alert.message());
    }
  }
}
