package dev.hpkp.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainCertificate.Role;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportParserTest {

  private static final TestPki PKI = TestPki.localhost();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsedChainsCarryPinsSubjectsAndRolesAlsoWhenCached() throws Exception {
    ReportParser parser = new ReportParser(65_536, 10);
    byte[] body = utf8(Reports.interception(PKI, "a.example"));

    for (int round = 0; round < 2; round++) { // the second round is served from the cache
      PinFailureReport report = parser.parse(body);
      assertThat(report.servedChain()).extracting(ChainCertificate::role)
          .containsExactly(Role.LEAF, Role.INTERMEDIATE, Role.ROOT);
      assertThat(report.servedChain()).extracting(ChainCertificate::pin)
          .containsExactly(PKI.leafPin(), PKI.intermediatePin(), PKI.rootPin());
      assertThat(report.servedChain().get(0).issuer())
          .isEqualTo("CN=HPKP Test Intermediate,O=hpkp-filter tests");
    }

    // The cached intermediate, now first in a chain, takes the role of its new position.
    PinFailureReport shifted = parser.parse(utf8(Reports.valid("b.example",
        List.of(PKI.intermediate(), PKI.root()), List.of(), List.of(PKI.backupPin()))));
    assertThat(shifted.servedChain()).extracting(ChainCertificate::role)
        .containsExactly(Role.LEAF, Role.ROOT);
    assertThat(shifted.servedChain()).extracting(ChainCertificate::position)
        .containsExactly(0, 1);
  }
}
