package dev.hpkp.spring;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationUnit;

/**
 * What a pinning policy says: the part {@code hpkp.*} and {@code hpkp.report-only-policy.*} share.
 */
public class PolicyProperties {

  /**
   * Pins of keys in use: sha256/… pins, or file:/classpath: references to certificates, chains,
   * keystores or public keys whose keys to pin. At least one must match the served chain.
   */
  private List<String> pins = new ArrayList<>();

  /**
   * Pins of offline backup keys, or file:/classpath: references to their CSRs or public keys.
   * At least one is required, two kept apart are advised; none may be in the served chain.
   */
  private List<String> backupPins = new ArrayList<>();

  /** How long user agents keep the pins: 600s, 10m, 60d. User agents cap it at 60 days. */
  @DurationUnit(ChronoUnit.SECONDS)
  // written as days so the metadata shows "60d"; HpkpAutoConfigurationTest holds it to the cap
  private Duration maxAge = Duration.ofDays(60);

  /** Whether the pins also apply to every subdomain. */
  private boolean includeSubdomains;

  /** Where user agents send violation reports: a collector on another host. */
  private String reportUri;

  public List<String> getPins() {
    return pins;
  }

  public void setPins(List<String> pins) {
    this.pins = pins;
  }

  public List<String> getBackupPins() {
    return backupPins;
  }

  public void setBackupPins(List<String> backupPins) {
    this.backupPins = backupPins;
  }

  public Duration getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(Duration maxAge) {
    this.maxAge = maxAge;
  }

  public boolean isIncludeSubdomains() {
    return includeSubdomains;
  }

  public void setIncludeSubdomains(boolean includeSubdomains) {
    this.includeSubdomains = includeSubdomains;
  }

  public String getReportUri() {
    return reportUri;
  }

  public void setReportUri(String reportUri) {
    this.reportUri = reportUri;
  }
}
