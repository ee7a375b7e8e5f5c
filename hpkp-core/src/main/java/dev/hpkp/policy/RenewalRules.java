package dev.hpkp.policy;

import dev.hpkp.config.Wording;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of the table that say what a change of the served chain breaks: a lockout (no key
 * clients hold is served), a rotation onto a backup key, a lone leaf whose intermediates cannot
 * be checked. Called by {@link PolicyRules#pinSet} and {@link PinPolicy.Builder#build()}, so the
 * filter at start-up, {@code hpkp guard} and every re-check after a renewal say the same.
 */
final class RenewalRules {

  private RenewalRules() {}

  /**
   * NO_PIN_MATCHES_CHAIN for a configuration: no key clients may hold is in the chain. Said as
   * the lockout it is when the policy was served before (a renewal on a new key), with the ways
   * out, and the first-deployment fix last.
   */
  static Finding lockout(List<Pin> pins, List<Pin> backupPins,
      List<ChainCertificate> chain, Long maxAgeSeconds) {
    ChainCertificate leaf = chain.get(0);
    String listed = String.join(", ", pins.stream().map(Pin::toString).toList());
    List<Pin> held = new ArrayList<>(pins);
    held.addAll(backupPins);
    String holding = maxAgeSeconds == null ? "" : " for up to max-age="
        + PinPolicy.effectiveMaxAgeSeconds(maxAgeSeconds) + " seconds";
    Wording problem = Wording.text("no pinned key is in the served chain, whose leaf "
        + leaf.subject() + " has the new key " + leaf.pin() + ": clients that noted this policy"
        + " hold " + String.join(", ", held.stream().map(Pin::toString).toList()) + holding
        + " and refuse this chain (RFC 7469 §2.5) — a lockout");
    Wording fix = Wording.text("do not deploy this chain: re-issue the certificate on a pinned"
        + " key (certbot renew --cert-name NAME --reuse-key --force-renewal; lego renew"
        + " --reuse-key; acme.sh --renew --force, without --always-force-new-domain-key) or on a"
        + " backup key (certbot certonly --csr backup-1.csr.pem); only if no client has seen this"
        + " policy yet, put one of the chain's pins in ").setting("pins")
        .append(" (the chain's pins are:" + PolicyRules.listing(chain) + ")");
    if (!PolicyRules.endsAtRoot(chain)) {
      fix = fix.append("; the chain ends below its root: to pin the root, add it to the trust"
          + " anchors the chain is completed with — ").setting("trustStore").append(", or"
          + " --trust");
    }
    return Finding.of(Rule.NO_PIN_MATCHES_CHAIN, listed, problem, fix);
  }

  /** ROTATED_ONTO_BACKUP: the chain carries a backup key and no pin of {@code pins}. */
  static Finding rotatedOntoBackup(List<Pin> pins, List<Pin> backupPins, Pin served,
      List<ChainCertificate> chain) {
    ChainCertificate certificate = chain.stream().filter(c -> c.pin().equals(served))
        .findFirst().orElseThrow();
    List<Pin> others = backupPins.stream().filter(pin -> !pin.equals(served)).toList();
    Wording fix = Wording.text("clients accept it, since their pin set holds " + served
        + "; make the policy say so: move " + served + " from ").setting("backupPins")
        .append(" to ").setting("pins");
    fix = others.isEmpty() ? fix.append(", then, since no backup pin remains, generate a new"
        + " backup key with 'hpkp backup-key' and put its pin in ").setting("backupPins")
        : fix.append(", keep " + String.join(", ", others.stream().map(Pin::toString).toList())
        + " in ").setting("backupPins").append(", and generate a new backup key with 'hpkp"
        + " backup-key' to add there");
    return Finding.of(Rule.ROTATED_ONTO_BACKUP, served.toString(), Wording.text("backup pin "
        + served + " matches " + certificate.describe() + ", and none of "
        + String.join(", ", pins.stream().map(Pin::toString).toList()) + " is in the chain:"
        + " the certificate was renewed onto a backup key"), fix);
  }

  /**
   * INCOMPLETE_CHAIN: a served chain of one certificate that is not self-issued, whose issuer
   * the trust anchors did not supply, hides the intermediates the server sends — a backup pin
   * could be one of them and would pass as "not deployed".
   */
  static void complete(List<ChainCertificate> chain, List<Finding> findings) {
    if (chain.size() != 1) {
      return;
    }
    ChainCertificate leaf = chain.get(0);
    if (!leaf.issuer().equals(leaf.subject())) {
      findings.add(Finding.of(Rule.INCOMPLETE_CHAIN, null, Wording.text("holds only the leaf "
          + leaf.subject() + ", and its issuer " + leaf.issuer() + " is neither in it nor among"
          + " the trust anchors, so the pins cannot be checked against the intermediates the"
          + " server sends (a backup pin of one would pass as not deployed)"),
          Wording.text("point ").setting("servedChain").append(" at the whole chain the server"
          + " sends, leaf first (certbot's fullchain.pem, not cert.pem), or add the issuer's"
          + " root to ").setting("trustStore")));
    }
  }
}
