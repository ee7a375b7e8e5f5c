package dev.hpkp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.testing.TestPki;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Boot users read hpkp.* keys in every sentence, warnings included, not the filter's names. */
class PropertyNamesTest {

  private static final TestPki PKI = TestPki.localhost();

  @Test
  void warningsAndErrorsSpeakOfTheHpkpKeys() {
    PinPolicy policy = dev.hpkp.servlet.HpkpConfig.of(Map.of("pins", PKI.leafPin().toString(),
        "backupPins", PKI.backupPin().toString(), "servedChainCheck", "false",
        "maxAgeSeconds", "99999999", "reportUri", "https://localhost/r"), "test").toPolicy();

    assertThat(policy.warnings()).hasSizeGreaterThanOrEqualTo(3);
    for (String warning : policy.warnings()) {
      String worded = PropertyNames.inPropertyTerms(warning, "hpkp.");
      assertThat(worded).startsWith("hpkp.").doesNotContain("backupPins", "servedChain",
          "maxAgeSeconds", "reportUri", "reportOnly");
    }
    assertThat(PropertyNames.inPropertyTerms("pins: no pin matches; set servedChainCheck=false"
        + " or reportOnly=false", "hpkp.report-only-policy.")).isEqualTo(
        "hpkp.report-only-policy.pins: no pin matches; set"
            + " hpkp.served-chain-check=false or"
            + " hpkp.report-only-policy.report-only=false");
  }
}
