package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.report.CollectorConfigurationException;
import dev.hpkp.report.HpkpReportServlet;
import dev.hpkp.servlet.HpkpConfig;
import dev.hpkp.testing.TestPki;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Boot users read hpkp.* keys in every sentence, warnings included, not the filter's names. */
class PropertyNamesTest {

  private static final TestPki PKI = TestPki.localhost();

  @Test
  void warningsSpeakOfTheHpkpKeys() {
    PinPolicy policy = HpkpConfig.of(Map.of("pins", PKI.leafPin().toString(),
        "backupPins", PKI.backupPin().toString(), "servedChainCheck", "false",
        "maxAgeSeconds", "99999999", "reportUri", "https://localhost/r"), "test").toPolicy();

    assertThat(policy.warnings(PropertyNames.policy("hpkp."))).hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(warning -> assertThat(warning).startsWith("hpkp.").doesNotContain(
            "backupPins", "servedChain", "maxAgeSeconds", "reportUri", "reportOnly"));
    assertThat(policy.warnings()).anySatisfy(warning -> assertThat(warning)
        .startsWith("maxAgeSeconds: "));
  }

  @Test
  void refusalsNameTheKeysOfTheirPolicyAndTheSharedChainKeys() {
    PolicyException e = catchThrowableOfType(() -> HpkpConfig.of(Map.of(
        "pins", PKI.leafPin().toString(), "backupPins", PKI.backupPin().toString(),
        "reportOnly", "false"), "test").toPolicy(), PolicyException.class);

    assertThat(e.message(PropertyNames.policy("hpkp.report-only-policy."))).isEqualTo(
        "hpkp.served-chain: not set; the filter checks the pins against the certificate chain"
        + " the server presents, so set hpkp.served-chain to that chain (PEM file or keystore),"
        + " or set hpkp.served-chain-check=false if TLS ends on a proxy whose chain is not"
        + " available here");
    HpkpStartupException failure = PropertyNames.startupFailure(e,
        PropertyNames.policy("hpkp."), "hpkp.*");
    assertThat(failure.action()).startsWith("The filter checks the pins against").contains(
        "set hpkp.served-chain to that chain");
  }

  @Test
  void theReportOnlyPolicyIsEnforcedByMovingItsPinsNotByAKeyItDoesNotHave() {
    PolicyException e = catchThrowableOfType(() -> HpkpConfig.of(Map.of(
        "pins", PKI.leafPin().toString(), "backupPins", PKI.backupPin().toString(),
        "servedChainCheck", "false"), "test").toPolicy(), PolicyException.class);

    assertThat(e.message(PropertyNames.policy("hpkp.report-only-policy."))).isEqualTo(
        "hpkp.report-only-policy.report-uri: not set, but a Public-Key-Pins-Report-Only policy"
        + " without report-uri does nothing: user agents have nowhere to report; set"
        + " hpkp.report-only-policy.report-uri to a report collector on another host, or set"
        + " these pins in hpkp.pins with hpkp.report-only=false to enforce")
        .doesNotContain("hpkp.report-only-policy.report-only");
    assertThat(e.message(PropertyNames.policy("hpkp."))).endsWith(
        "set hpkp.report-uri to a report collector on another host, or set"
        + " hpkp.report-only=false to enforce");
  }

  @Test
  void collectorRefusalsNameTheCollectorKeys() {
    CollectorConfigurationException e = catchThrowableOfType(
        () -> HpkpReportServlet.collectorFrom(Map.of("sink", "log", "fileKeep", "3"), "test"),
        CollectorConfigurationException.class);

    assertThat(e.message(PropertyNames.COLLECTOR)).isEqualTo("hpkp.collector.file-keep: set"
        + " to '3', but no jsonl sink is configured; add jsonl to hpkp.collector.sink (e.g."
        + " hpkp.collector.sink=log,jsonl) or remove hpkp.collector.file-keep");
    assertThat(e.getMessage()).isEqualTo("fileKeep: set to '3', but no jsonl sink is"
        + " configured; add jsonl to sink (e.g. sink=log,jsonl) or remove fileKeep");
  }
}
