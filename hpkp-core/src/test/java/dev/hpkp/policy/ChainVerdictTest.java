package dev.hpkp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.config.Wording;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every verdict a renewal can earn, judged by the start-up checks. */
class ChainVerdictTest {

  private static final TestPki PKI = TestPki.localhost();

  private static ChainVerdict judge(List<ChainCertificate> chain, Pin... backups) {
    try {
      return ChainVerdict.of(PinPolicy.builder().pins(PKI.leafPin()).backupPins(backups)
          .reportOnly(false).maxAgeSeconds(600).servedChain(chain).build());
    } catch (PolicyException e) {
      return ChainVerdict.refused(chain, e);
    }
  }

  private static List<ChainCertificate> renewedOn(java.security.KeyPair key) {
    return KeyMaterial.toChain(PKI.renewedOn(key));
  }

  @Test
  void aRenewalOnThePinnedKeyKeepsThePins() {
    ChainVerdict verdict = judge(renewedOn(PKI.leafKey()), PKI.backupPin(),
        PKI.secondBackupPin());

    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.PINNED);
    assertThat(verdict.kind().deployable()).isTrue();
    assertThat(verdict.refusal()).isEmpty();
    assertThat(verdict.leafPin()).contains(PKI.leafPin());
    assertThat(verdict.sentence()).startsWith("the served chain (leaf CN=localhost, expires ")
        .contains("the leaf's key " + PKI.leafPin() + " is pinned");
  }

  @Test
  void aRenewalOnANewKeyIsALockoutThatNamesTheNewKeyTheHeldPinsAndTheWaysOut() {
    java.security.KeyPair fresh = TestPki.ecKey();
    List<ChainCertificate> chain = renewedOn(fresh);
    ChainVerdict verdict = judge(chain, PKI.backupPin(), PKI.secondBackupPin());

    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.LOCKOUT);
    assertThat(verdict.kind().deployable()).isFalse();
    assertThat(verdict.leafPin()).contains(chain.get(0).pin());
    assertThat(verdict.sentence()).startsWith("pins: no pinned key is in the served chain,"
        + " whose leaf CN=localhost has the new key " + chain.get(0).pin() + ": clients that"
        + " noted this policy hold " + PKI.leafPin() + ", " + PKI.backupPin() + ", "
        + PKI.secondBackupPin() + " for up to max-age=600 seconds and refuse this chain")
        .contains("a lockout; do not deploy this chain")
        .contains("certbot renew --cert-name NAME --reuse-key --force-renewal")
        .contains("certbot certonly --csr backup-1.csr.pem");
    assertThat(verdict.matches(PKI.leafPin())).isEqualTo("not served");
    assertThat(verdict.matches(PKI.intermediatePin()))
        .isEqualTo("intermediate " + PKI.intermediate().getSubjectX500Principal().getName());
  }

  @Test
  void aRenewalOntoABackupKeyIsARotationWithTheRotatedPolicyAsTheFix() {
    List<ChainCertificate> chain = renewedOn(PKI.backupKey());
    ChainVerdict verdict = judge(chain, PKI.backupPin(), PKI.secondBackupPin());

    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.ROTATED_ONTO_BACKUP);
    assertThat(verdict.sentence()).isEqualTo("pins: backup pin " + PKI.backupPin()
        + " matches the leaf certificate CN=localhost (position 0 of the served chain), and none"
        + " of " + PKI.leafPin() + " is in the chain: the certificate was renewed onto a backup"
        + " key; clients accept it, since their pin set holds " + PKI.backupPin() + "; make the"
        + " policy say so: move " + PKI.backupPin() + " from backupPins to pins, keep "
        + PKI.secondBackupPin() + " in backupPins, and generate a new backup key with 'hpkp"
        + " backup-key' to add there");

    // the rotated policy passes
    ChainVerdict rotated = ChainVerdict.of(PinPolicy.builder().pins(PKI.backupPin())
        .backupPins(PKI.secondBackupPin(), PKI.leafPin()).reportOnly(false).servedChain(chain)
        .build());
    assertThat(rotated.kind()).isEqualTo(ChainVerdict.Kind.PINNED);
  }

  @Test
  void theLastBackupServedSaysToMakeANewOne() {
    ChainVerdict verdict = judge(renewedOn(PKI.backupKey()), PKI.backupPin());

    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.ROTATED_ONTO_BACKUP);
    assertThat(verdict.sentence()).endsWith("move " + PKI.backupPin() + " from backupPins to"
        + " pins, then, since no backup pin remains, generate a new backup key with 'hpkp"
        + " backup-key' and put its pin in backupPins");
  }

  @Test
  void aBackupPinOfTheServedIntermediateIsRefusedNotARotation() {
    ChainVerdict verdict = judge(KeyMaterial.toChain(PKI.chain()), PKI.intermediatePin(),
        PKI.backupPin());

    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.REFUSED);
    assertThat(verdict.refusal().map(e -> ((PolicyException) e).rule()))
        .contains(Rule.BACKUP_PIN_IN_CHAIN);
  }

  @Test
  void aLeafWithoutItsIntermediateIsRefusedNamingFullchain() {
    // certbot's cert.pem: the intermediate pinned as a "backup" would pass unseen
    ChainVerdict verdict = judge(KeyMaterial.toChain(List.of(PKI.leaf())),
        PKI.intermediatePin(), PKI.backupPin());

    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.REFUSED);
    assertThat(verdict.sentence()).startsWith("servedChain: holds only the leaf CN=localhost,"
        + " and its issuer " + PKI.intermediate().getSubjectX500Principal().getName()
        + " is neither in it nor among the trust anchors")
        .contains("certbot's fullchain.pem, not cert.pem");
  }

  @Test
  void aSelfSignedLeafAloneIsComplete() {
    java.security.cert.X509Certificate root = PKI.root();
    List<ChainCertificate> chain = KeyMaterial.toChain(List.of(root));
    ChainVerdict verdict = ChainVerdict.of(PinPolicy.builder().pins(PKI.rootPin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).reportOnly(false)
        .servedChain(chain).build());
    assertThat(verdict.kind()).isEqualTo(ChainVerdict.Kind.PINNED);
  }

  @Test
  void eachFrontEndNamesTheSettingsItsOwnWay() {
    ChainVerdict verdict = judge(renewedOn(PKI.backupKey()), PKI.backupPin(),
        PKI.secondBackupPin());
    Wording.Names boot = (setting, value) -> "hpkp." + setting;

    assertThat(verdict.sentence(boot)).startsWith("hpkp.pins: backup pin ")
        .contains("from hpkp.backupPins to hpkp.pins");
  }
}
