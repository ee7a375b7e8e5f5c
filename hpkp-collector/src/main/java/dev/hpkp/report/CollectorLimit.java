package dev.hpkp.report;

import dev.hpkp.config.Parameters;
import dev.hpkp.config.Wording;

/**
 * The collector's numeric settings, each with its name, default and bounds written once: the
 * {@link ReportCollector.Builder} starts from these defaults and checks these bounds, {@link
 * HpkpReportServlet} reads its init-params with them, and the Spring Boot starter's metadata is
 * tested against them. A value out of bounds is a {@link CollectorConfigurationException} naming
 * the setting, whichever way it was set.
 */
public enum CollectorLimit {
  FILE_MAX_BYTES("fileMaxBytes", 64L << 20, 4096, Long.MAX_VALUE, "bytes"),
  FILE_KEEP("fileKeep", 5, 0, 1000, "files"),
  MAX_BODY_BYTES("maxBodyBytes", 65_536, 1024, 16 << 20, "bytes"),
  RATE_PER_SECOND("ratePerSecond", 10, 0, 1_000_000,
      "reports per second (0 switches the limit off)"),
  RATE_BURST("rateBurst", 100, 1, 1_000_000, "reports"),
  MAX_CONCURRENT("maxConcurrent", 64, 1, 10_000, "requests"),
  MAX_CHAIN_LENGTH("maxChainLength", 10, 1, 100, "certificates"),
  BODY_TIMEOUT_MILLIS("bodyTimeoutMillis", 5_000, 100, 600_000, "milliseconds"),
  /** Builder only: how long a request waits for one of the maxConcurrent permits, then 429. */
  ACQUIRE_TIMEOUT_MILLIS("acquireTimeoutMillis", 200, 0, 60_000, "milliseconds"),
  /** Builder only: client addresses the rate limiter tracks at once. */
  MAX_ADDRESSES("maxAddresses", 100_000, 1, 10_000_000, "addresses"),
  /** Builder only: reports kept in memory for status pages. */
  RECENT_CAPACITY("recentCapacity", 20, 0, 10_000, "reports");

  private static final Parameters RULES = new Parameters(CollectorConfigurationException::new);

  private final String parameter;
  private final long defaultValue;
  private final long min;
  private final long max;
  private final String unit;

  CollectorLimit(String parameter, long defaultValue, long min, long max, String unit) {
    this.parameter = parameter;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.unit = unit;
  }

  /** The init-param, e.g. {@code maxBodyBytes}. */
  public String parameter() {
    return parameter;
  }

  public long defaultValue() {
    return defaultValue;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  /**
   * {@code text} as this setting's value (ASCII digits within the bounds); null gives the default.
   *
   * @throws CollectorConfigurationException naming the setting, the value and the bounds
   */
  public long parse(String text) {
    return RULES.range(parameter, text, defaultValue, min, max, unit);
  }

  /**
   * {@code value} if it is within the bounds.
   *
   * @throws CollectorConfigurationException naming the setting, the value and the bounds
   */
  public long check(long value) {
    if (value < min || value > max) {
      throw new CollectorConfigurationException(parameter, Long.toString(value), Wording.text(
          value + " is not a whole number of " + unit + " from " + min + " to " + max
          + " (default " + defaultValue + ")"), null, null);
    }
    return value;
  }

  /** {@link #check(long)} for a rate, which may have a fraction. */
  double check(double value) {
    if (!(value >= min && value <= max)) {
      throw new CollectorConfigurationException(parameter, Double.toString(value), Wording.text(
          value + " is not a number of " + unit + " from " + min + " to " + max + " (default "
          + defaultValue + ")"), null, null);
    }
    return value;
  }
}
