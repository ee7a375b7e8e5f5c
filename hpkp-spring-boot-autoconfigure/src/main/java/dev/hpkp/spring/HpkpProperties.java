package dev.hpkp.spring;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code hpkp.*}: the filter's settings in Spring's style. The same meaning as the filter's
 * init-params (see the README's configuration reference); an unknown {@code hpkp.*} key stops
 * the application instead of being ignored.
 */
@ConfigurationProperties(prefix = "hpkp", ignoreUnknownFields = false)
public class HpkpProperties extends PolicyProperties {

  /**
   * Whether to send a pinning header. Unset: on when hpkp.pins is set. false switches the starter
   * off whatever else is set.
   */
  private Boolean enabled;

  /**
   * Send Public-Key-Pins-Report-Only (user agents report failures and block nothing) instead of
   * the enforcing Public-Key-Pins.
   */
  private boolean reportOnly = true;

  /**
   * The chain the site serves (PEM/DER chain or keystore, file: or classpath:). Unset: the chain
   * of the server's own TLS (server.ssl.bundle or the server.ssl.* key store).
   */
  private String servedChain;

  /** Password of the hpkp.served-chain keystore. */
  private String servedChainPassword;

  /** Key entry of the hpkp.served-chain keystore, when it holds more than one. */
  private String servedChainAlias;

  /**
   * Whether to check the pins against the served chain at start-up. Switch off only when TLS ends
   * on a proxy whose chain this application cannot read (then set hpkp.served-chain instead, if
   * you can).
   */
  private boolean servedChainCheck = true;

  /**
   * Whether to judge the pins again whenever the served chain changes while the application
   * runs: the SSL bundle reloaded (reload-on-update), or the hpkp.served-chain file replaced.
   */
  private boolean servedChainWatch = true;

  /**
   * How long a changed hpkp.served-chain file must stay unchanged before it is judged (an SSL
   * bundle is judged when Boot reloads it, after spring.ssl.bundle.watch.file.quiet-period).
   */
  private Duration servedChainQuietPeriod = Duration.ofSeconds(10);

  /**
   * Trust anchors (PEM or keystore) that complete the served chain to a root; default the JVM's.
   */
  private String trustStore;

  /** Password of the hpkp.trust-store keystore. */
  private String trustStorePassword;

  /**
   * A second, report-only policy sent beside the first during a rotation: the next pins are
   * tried in report-only while the current ones are enforced.
   */
  @NestedConfigurationProperty
  private ReportOnlyPolicy reportOnlyPolicy = new ReportOnlyPolicy();

  /** The report collector, for an application on the host the report-uri names. */
  @NestedConfigurationProperty
  private CollectorProperties collector = new CollectorProperties();

  /** CT log watching with the pins as the legitimate keys. */
  @NestedConfigurationProperty
  private WatchProperties watch = new WatchProperties();

  /**
   * The second policy of a rotation: always Public-Key-Pins-Report-Only, with the served chain
   * and trust store of the first. Setting its pins turns it on; its report-uri is required.
   */
  public static class ReportOnlyPolicy extends PolicyProperties {
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isReportOnly() {
    return reportOnly;
  }

  public void setReportOnly(boolean reportOnly) {
    this.reportOnly = reportOnly;
  }

  public String getServedChain() {
    return servedChain;
  }

  public void setServedChain(String servedChain) {
    this.servedChain = servedChain;
  }

  public String getServedChainPassword() {
    return servedChainPassword;
  }

  public void setServedChainPassword(String servedChainPassword) {
    this.servedChainPassword = servedChainPassword;
  }

  public String getServedChainAlias() {
    return servedChainAlias;
  }

  public void setServedChainAlias(String servedChainAlias) {
    this.servedChainAlias = servedChainAlias;
  }

  public boolean isServedChainCheck() {
    return servedChainCheck;
  }

  public void setServedChainCheck(boolean servedChainCheck) {
    this.servedChainCheck = servedChainCheck;
  }

  public boolean isServedChainWatch() {
    return servedChainWatch;
  }

  public void setServedChainWatch(boolean servedChainWatch) {
    this.servedChainWatch = servedChainWatch;
  }

  public Duration getServedChainQuietPeriod() {
    return servedChainQuietPeriod;
  }

  public void setServedChainQuietPeriod(Duration servedChainQuietPeriod) {
    this.servedChainQuietPeriod = servedChainQuietPeriod;
  }

  public String getTrustStore() {
    return trustStore;
  }

  public void setTrustStore(String trustStore) {
    this.trustStore = trustStore;
  }

  public String getTrustStorePassword() {
    return trustStorePassword;
  }

  public void setTrustStorePassword(String trustStorePassword) {
    this.trustStorePassword = trustStorePassword;
  }

  public WatchProperties getWatch() {
    return watch;
  }

  public void setWatch(WatchProperties watch) {
    this.watch = watch;
  }

  public CollectorProperties getCollector() {
    return collector;
  }

  public void setCollector(CollectorProperties collector) {
    this.collector = collector;
  }

  public ReportOnlyPolicy getReportOnlyPolicy() {
    return reportOnlyPolicy;
  }

  public void setReportOnlyPolicy(ReportOnlyPolicy reportOnlyPolicy) {
    this.reportOnlyPolicy = reportOnlyPolicy;
  }
}
