package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusServletTest {

  @Test
  void reportersAreShownWithoutTheirHostPart() {
    assertThat(StatusServlet.masked("203.0.113.77")).isEqualTo("203.0.113.x");
    assertThat(StatusServlet.masked("2001:db8:1:2:3:4:5:6")).isEqualTo("2001:db8:1:2::/64");
    assertThat(StatusServlet.masked("::1")).isEqualTo("(masked)");
  }

  @Test
  void subjectsCanNeitherInjectMarkupNorShowControlCharacters() {
    assertThat(StatusServlet.esc("CN=<script>\u001b[2J\n"))
        .isEqualTo("CN=&lt;script&gt;\\u001b[2J\\n");
  }

  @Test
  void theVerdictOnTheServedChainIsShownAndEscaped() {
    dev.hpkp.testing.TestPki pki = dev.hpkp.testing.TestPki.localhost();
    java.util.List<dev.hpkp.policy.ChainCertificate> renewed = dev.hpkp.keys.KeyMaterial
        .toChain(pki.renewedOn(dev.hpkp.testing.TestPki.ecKey()));
    dev.hpkp.policy.ChainVerdict lockout;
    try {
      dev.hpkp.policy.PinPolicy.builder().pins(pki.leafPin())
          .backupPins(pki.backupPin(), pki.secondBackupPin()).reportOnly(false)
          .servedChain(renewed).build();
      throw new AssertionError("a chain on a new key must be refused");
    } catch (dev.hpkp.policy.PolicyException e) {
      lockout = dev.hpkp.policy.ChainVerdict.refused(renewed, e);
    }
    assertThat(StatusServlet.verdict(lockout)).startsWith("<p>Served chain now: <span"
        + " class=\"bad\">lockout</span> pins: no pinned key is in the served chain")
        .contains("the chain&#39;s pins are").doesNotContain("chain's");
    assertThat(StatusServlet.verdict(null)).isEmpty();
  }

  @Test
  void theCountersSayTheyRestartWithTheProcessAndTheListDoesNot() {
    assertThat(StatusServlet.countersNote(java.time.Instant.parse("2026-12-06T05:00:00Z")))
        .contains("Counters since this application started (", "read back from the report file",
            "keeps those from before a restart");
  }
}
