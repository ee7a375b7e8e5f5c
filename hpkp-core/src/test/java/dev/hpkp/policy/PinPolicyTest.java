package dev.hpkp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.testing.TestPki;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinPolicyTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final List<ChainCertificate> CHAIN = KeyMaterial.toChain(PKI.chain());

  private static PinPolicy.Builder valid() {
    return PinPolicy.builder()
        .pins(PKI.leafPin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin())
        .reportUri("https://reports.example.net/hpkp")
        .servedChain(CHAIN);
  }

  @Test
  void buildsTheExactReportOnlyHeaderByDefault() {
    PinPolicy policy = valid().build();

    assertThat(policy.headerName()).isEqualTo("Public-Key-Pins-Report-Only");
    assertThat(policy.headerValue()).isEqualTo(PKI.leafPin().toDirective() + "; "
        + PKI.backupPin().toDirective() + "; " + PKI.secondBackupPin().toDirective()
        + "; max-age=5184000; report-uri=\"https://reports.example.net/hpkp\"");
    assertThat(policy.warnings()).isEmpty();
    assertThat(policy.describe(PKI.leafPin())).isEqualTo("leaf CN=localhost");
    assertThat(policy.describe(PKI.backupPin())).isEqualTo("backup");
  }

  @Test
  void enforcingHeaderWithIncludeSubDomainsAndNoReportUri() {
    PinPolicy policy = PinPolicy.builder().pins(PKI.intermediatePin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).servedChain(CHAIN)
        .reportOnly(false).includeSubDomains(true).maxAgeSeconds(600).build();

    assertThat(policy.headerName()).isEqualTo("Public-Key-Pins");
    assertThat(policy.headerValue()).isEqualTo(PKI.intermediatePin().toDirective() + "; "
        + PKI.backupPin().toDirective() + "; " + PKI.secondBackupPin().toDirective()
        + "; max-age=600; includeSubDomains");
  }

  @Test
  void refusesToStartWithoutBackupPin() {
    assertThatThrownBy(() -> PinPolicy.builder().pins(PKI.leafPin()).servedChain(CHAIN)
        .reportOnly(false).build())
        .isInstanceOfSatisfying(PolicyException.class,
            e -> assertThat(e.parameter()).isEqualTo("backupPins"))
        .hasMessage("backupPins: no backup pin configured; user agents reject a policy without a"
            + " pin outside the served chain (RFC 7469 §4.3) — generate an offline backup key"
            + " with 'hpkp backup-key' and add its pin to backupPins");
  }

  @Test
  void refusesToStartWhenBackupPinIsInServedChain() {
    assertThatThrownBy(() -> valid().backupPins(PKI.intermediatePin()).build())
        .hasMessage("backupPins: " + PKI.intermediatePin() + " matches the intermediate"
            + " certificate CN=HPKP Test Intermediate,O=hpkp-filter tests (position 1 of the"
            + " served chain); a backup pin must be a key that is NOT deployed yet — generate"
            + " one with 'hpkp backup-key'");
  }

  @Test
  void refusesToStartWhenNoPinMatchesTheServedChainAndPrintsTheChainPins() {
    Pin stranger = KeyMaterial.pinOf(TestPki.ecKey().getPublic());
    assertThatThrownBy(() -> PinPolicy.builder().pins(stranger)
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).servedChain(CHAIN)
        .reportOnly(false).build())
        .hasMessage("pins: no pinned key is in the served chain, whose leaf CN=localhost has"
            + " the new key " + PKI.leafPin() + ": clients that noted this policy hold "
            + stranger + ", " + PKI.backupPin() + ", " + PKI.secondBackupPin() + " for up to"
            + " max-age=5184000 seconds and refuse this chain (RFC 7469 §2.5) — a lockout; do"
            + " not deploy this chain: re-issue the certificate on a pinned key (certbot renew"
            + " --cert-name NAME --reuse-key --force-renewal; lego renew --reuse-key; acme.sh"
            + " --renew --force, without --always-force-new-domain-key) or on a backup key"
            + " (certbot certonly --csr backup-1.csr.pem); only if no client has seen this policy"
            + " yet, put one of the chain's pins in pins (the chain's pins are: " + PKI.leafPin()
            + " (leaf CN=localhost), " + PKI.intermediatePin()
            + " (intermediate CN=HPKP Test Intermediate,O=hpkp-filter tests), " + PKI.rootPin()
            + " (root CN=HPKP Test Root,O=hpkp-filter tests))");
  }

  @Test
  void refusesToStartWhenABackupPinIsTheKeyInUse() {
    assertThatThrownBy(() -> valid().backupPins(PKI.leafPin()).build())
        .isInstanceOfSatisfying(PolicyException.class,
            e -> assertThat(e.rule()).isEqualTo(Rule.BACKUP_PIN_IN_PINS))
        .hasMessage("backupPins: " + PKI.leafPin() + " is listed in pins too: it is a key in"
            + " use, not a backup; a backup pin must be a different key that is NOT deployed yet"
            + " — generate one with 'hpkp backup-key'");
  }

  @Test
  void warnsAboutDuplicatePinsAndSendsEachOnce() {
    // User agents count a repeated pin once (RFC 7469 §2.1.1), so it cannot hurt the site.
    PinPolicy policy = valid().pins(PKI.leafPin()).build();
    assertThat(policy.pins()).containsExactly(PKI.leafPin());
    assertThat(policy.warnings()).contains("pins: " + PKI.leafPin() + " is listed twice; it"
        + " counts as one pin, so list each key once");
    assertThat(policy.headerValue()).containsOnlyOnce(PKI.leafPin().base64());
  }

  @Test
  void refusesToStartWithoutPins() {
    assertThatThrownBy(() -> PinPolicy.builder().backupPins(PKI.backupPin()).servedChain(CHAIN)
        .reportOnly(false).build())
        .hasMessage("pins: no pin configured; set pins to the pin of a key in the served chain"
            + " (compute it with 'hpkp pin cert.pem')");
  }

  @Test
  void refusesReportOnlyWithoutReportUri() {
    assertThatThrownBy(() -> valid().reportUri(null).build())
        .hasMessage("reportUri: not set, but a Public-Key-Pins-Report-Only policy without"
            + " report-uri does nothing: user agents have nowhere to report; set reportUri to a"
            + " report collector on another host, or set reportOnly=false to enforce");
  }

  @Test
  void refusesReportUriThatIsNotAbsoluteHttp() {
    assertThatThrownBy(() -> valid().reportUri("/hpkp-report").build())
        .hasMessage("reportUri: '/hpkp-report' is not an absolute http or https URI with a host;"
            + " use one such as https://reports.example.net/hpkp");
    assertThatThrownBy(() -> valid().reportUri("ftp://reports.example.net/x").build())
        .hasMessageStartingWith("reportUri: 'ftp://reports.example.net/x' is not an absolute");
  }

  @Test
  void refusesReportUriWithQuotesWhitespaceOrControlCharacters() {
    assertThatThrownBy(() -> valid().reportUri("https://r.example/\"x").build())
        .hasMessage("reportUri: 'https://r.example/\"x' contains a double quote at index 18,"
            + " which cannot stand in the quoted report-uri directive; percent-encode it");
    assertThatThrownBy(() -> valid().reportUri("https://r.example/a b").build())
        .hasMessageContaining("contains a space at index 19");
    assertThatThrownBy(() -> valid().reportUri("https://r.example/\r\nX-Evil: 1").build())
        .hasMessageContaining("contains the control character U+000D at index 18");
  }

  @Test
  void refusesNegativeMaxAge() {
    assertThatThrownBy(() -> valid().maxAgeSeconds(-1).build())
        .hasMessage("maxAgeSeconds: -1 is negative; use a number of seconds from 0 up to 5184000"
            + " (60 days)");
  }

  @Test
  void refusesToStartWithoutServedChainUnlessCheckIsSwitchedOff() {
    assertThatThrownBy(() -> PinPolicy.builder().pins(PKI.leafPin())
        .backupPins(PKI.backupPin()).reportOnly(false).build())
        .hasMessage("servedChain: not set; the filter checks the pins against the certificate"
            + " chain the server presents, so set servedChain to that chain (PEM file or"
            + " keystore), or set servedChainCheck=false if TLS ends on a proxy whose chain is"
            + " not available here");

    PinPolicy unchecked = PinPolicy.builder().pins(PKI.leafPin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).reportOnly(false)
        .withoutServedChainCheck().build();
    assertThat(unchecked.warnings()).singleElement().asString()
        .startsWith("servedChain: the served-chain check is switched off, so nothing verifies");
  }

  @Test
  void warnsAboutRiskyButLegalSettings() {
    PinPolicy policy = PinPolicy.builder().pins(PKI.leafPin()).backupPins(PKI.backupPin())
        .reportUri("https://reports.example.net/hpkp").servedChain(CHAIN)
        .maxAgeSeconds(10_000_000).build();
    assertThat(policy.warnings()).containsExactly(
        "maxAgeSeconds: 10000000 is above 5184000 (60 days); user agents cap it there (RFC 7469"
            + " §4.1), so a longer value buys nothing and reads as a mistake",
        "backupPins: only one backup pin " + PKI.backupPin() + "; keep at least two backup keys,"
            + " stored in separate places, so losing one does not lock users out — generate"
            + " another with 'hpkp backup-key'");

    assertThat(valid().maxAgeSeconds(0).build().warnings()).containsExactly(
        "maxAgeSeconds: 0 tells user agents to forget this host's pins (RFC 7469 §2.3.3); this"
            + " policy unpins clients");
  }

  @Test
  void warnsWhenLeafExpiresBeforeMaxAgePlusThirtyDays() {
    Clock late = Clock.fixed(Instant.now().plus(Duration.ofDays(300)), ZoneOffset.UTC);
    PinPolicy policy = valid().clock(late).build();
    assertThat(policy.warnings()).singleElement().asString()
        .startsWith("servedChain: the leaf certificate CN=localhost expires at ")
        .endsWith("; start the renewal now (see 'hpkp plan')");
  }

  @Test
  void warnsWhenReportUriIsOnThePinnedHost() {
    PinPolicy policy = valid().reportUri("https://localhost:8443/hpkp-report").build();
    assertThat(policy.warnings()).containsExactly("reportUri: https://localhost:8443/hpkp-report"
        + " is on a host the leaf certificate covers; a pin failure on this host also blocks the"
        + " report, so collect reports on another host (RFC 7469 §2.1.4)");
  }

  @Test
  void warnsWhenAPinMatchesNothingAndWhenChainIsOutOfOrder() {
    Pin stranger = KeyMaterial.pinOf(TestPki.ecKey().getPublic());
    PinPolicy policy = valid().pins(stranger)
        .servedChain(KeyMaterial.toChain(List.of(PKI.leaf(), PKI.root(), PKI.intermediate())))
        .build();
    assertThat(policy.warnings()).containsExactly(
        "pins: " + stranger + " matches no certificate of the served chain; if it is a key that"
            + " is not deployed, move it to backupPins, otherwise check for a typo",
        "servedChain: certificate 0 (CN=localhost) was not issued by certificate 1 (CN=HPKP Test"
            + " Root,O=hpkp-filter tests); list the chain leaf first, each certificate followed"
            + " by its issuer, as the server sends it");
  }

  @Test
  void isAValueEqualWhenTheConfiguredSettingsAre() {
    PinPolicy one = valid().build();
    PinPolicy same = valid().build();
    PinPolicy unchecked = valid().withoutServedChainCheck().build();
    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same);
    // The chain it was checked against and the findings travel beside the value.
    assertThat(unchecked).isEqualTo(one);
    assertThat(unchecked.warnings()).isNotEqualTo(one.warnings());
    assertThat(valid().maxAgeSeconds(601).build()).isNotEqualTo(one);
    assertThat(valid().includeSubDomains(true).build()).isNotEqualTo(one);
    assertThat(valid().reportUri("https://other.example.net/r").build()).isNotEqualTo(one);
  }

  @Test
  void theRenewalDateUsesTheCappedMaxAgeAndNeverOverflows() {
    Instant leafExpires = CHAIN.get(0).notAfter();
    PinPolicy tenMinutes = valid().maxAgeSeconds(600).build();
    PinPolicy aboveTheCap = valid().maxAgeSeconds(340L * 86_400).build();
    PinPolicy huge = valid().maxAgeSeconds(Long.MAX_VALUE).build();

    assertThat(tenMinutes.effectiveMaxAgeSeconds()).isEqualTo(600);
    assertThat(tenMinutes.renewBy()).contains(leafExpires.minusSeconds(600)
        .minus(Duration.ofDays(30)));
    // 340 days is sent as written, but user agents keep it 60 days: the date follows the cap
    assertThat(aboveTheCap.maxAgeSeconds()).isEqualTo(340L * 86_400);
    assertThat(aboveTheCap.effectiveMaxAgeSeconds()).isEqualTo(PinPolicy.MAX_AGE_CAP_SECONDS);
    assertThat(aboveTheCap.renewBy()).contains(leafExpires.minus(Duration.ofDays(90)));
    assertThat(huge.renewBy()).isEqualTo(aboveTheCap.renewBy());
    assertThat(valid().withoutServedChainCheck().build().renewBy()).isEmpty();
    assertThat(PinPolicy.renewBy(Instant.MIN.plus(Duration.ofDays(200)), Long.MAX_VALUE))
        .isEqualTo(Instant.MIN.plus(Duration.ofDays(110)));
  }
}
