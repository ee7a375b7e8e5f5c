package dev.hpkp.spring;

import dev.hpkp.config.ConfigurationException;
import dev.hpkp.config.Wording;
import dev.hpkp.servlet.HpkpConfig;
import java.util.Locale;
import java.util.Map;

/** The filter's and the collector's settings named as the hpkp.* keys a Boot user sets. */
final class PropertyNames {

  private static final Map<String, String> POLICY_KEYS = Map.of(
      HpkpConfig.PINS, "pins",
      HpkpConfig.BACKUP_PINS, "backup-pins",
      HpkpConfig.MAX_AGE_SECONDS, "max-age",
      HpkpConfig.INCLUDE_SUB_DOMAINS, "include-subdomains",
      HpkpConfig.REPORT_URI, "report-uri",
      HpkpConfig.REPORT_ONLY, "report-only");

  /** Shared by both policies: always hpkp.*. */
  private static final Map<String, String> CHAIN_KEYS = Map.of(
      HpkpConfig.SERVED_CHAIN, "served-chain",
      HpkpConfig.SERVED_CHAIN_PASSWORD, "served-chain-password",
      HpkpConfig.SERVED_CHAIN_ALIAS, "served-chain-alias",
      HpkpConfig.SERVED_CHAIN_CHECK, "served-chain-check",
      HpkpConfig.SERVED_CHAIN_WATCH, "served-chain-watch",
      HpkpConfig.SERVED_CHAIN_QUIET_PERIOD_MILLIS, "served-chain-quiet-period",
      HpkpConfig.TRUST_STORE, "trust-store",
      HpkpConfig.TRUST_STORE_PASSWORD, "trust-store-password");

  private PropertyNames() {}

  /**
   * The policy's settings under {@code prefix} ({@code hpkp.} or {@code
   * hpkp.report-only-policy.}); the chain settings are hpkp.* for both. The report-only policy
   * has no report-only key: enforcing it means moving its pins to the main policy.
   */
  static Wording.Names policy(String prefix) {
    return (setting, value) -> {
      if (HpkpConfig.REPORT_ONLY.equals(setting) && !prefix.equals("hpkp.")) {
        return "these pins in hpkp.pins with hpkp.report-only=false";
      }
      String chain = CHAIN_KEYS.get(setting);
      String policy = POLICY_KEYS.get(setting);
      String key = chain != null ? "hpkp." + chain : policy != null ? prefix + policy : setting;
      return value == null ? key : key + "=" + value;
    };
  }

  /**
   * The collector's init-params as hpkp.collector.* keys: {@code maxBodyBytes} → {@code
   * max-body-bytes}.
   */
  static final Wording.Names COLLECTOR = (setting, value) -> {
    String key = "hpkp.collector." + setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
    return value == null ? key : key + "=" + value;
  };

  /**
   * The watch's settings as hpkp.watch.* keys: {@code fromIndex} → {@code
   * hpkp.watch.from-index}, {@code logs[0].url} → {@code hpkp.watch.logs[0].url}.
   */
  static final Wording.Names WATCH = (setting, value) -> {
    String key = "hpkp.watch." + setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .toLowerCase(Locale.ROOT);
    return value == null ? key : key + "=" + value;
  };

  /** A refusal as a failure analysis: the whole sentence, and the fix as the action. */
  static HpkpStartupException startupFailure(ConfigurationException e, Wording.Names names,
      String keys) {
    String action = e.fix() == null ? "Correct " + keys + " (see the description)"
        : capitalized(e.fix().in(names));
    return new HpkpStartupException(e.message(names), action, e);
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
