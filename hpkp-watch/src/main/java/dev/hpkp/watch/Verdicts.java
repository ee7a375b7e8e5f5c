package dev.hpkp.watch;

import dev.hpkp.policy.Pin;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The verdict on one logged certificate: does it name a watched host, and if so does its chain
 * (the leaf, the precertificate's issuer key, the submitted issuers) hold a pin or backup pin?
 * Pinned is silent; unpinned is the alert.
 */
final class Verdicts {

  private static final System.Logger LOG = System.getLogger(CtWatcher.class.getName());

  private final List<WatchedHost> hosts;

  Verdicts(List<WatchedHost> hosts) {
    this.hosts = List.copyOf(hosts);
  }

  /** The alert for {@code entry}, or null when it names no watched host or is pinned. */
  Alert judge(CtLog log, LogEntry entry, Instant now)
      throws LogUnavailable, LogMisbehaviour, InterruptedException {
    List<String> names = CertificateNames.of(entry.certificate());
    if (names != null && hosts.stream().noneMatch(host -> host.coversAny(names))) {
      return null; // most entries: no watched name, and no need to parse them whole
    }
    IssuedCertificate certificate;
    try {
      certificate = IssuedCertificate.of(entry.certificate(), log.name() + " entry "
          + entry.index());
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "HPKP watch: " + log.name() + " entry " + entry.index()
          + " holds a certificate that cannot be read (" + e.getMessage() + "); skipped");
      return null;
    }
    List<String> watched = new ArrayList<>();
    Set<Pin> pins = new LinkedHashSet<>();
    for (WatchedHost host : hosts) {
      if (host.coversAny(certificate.names())) {
        watched.add(host.host());
        pins.addAll(host.pins());
      }
    }
    if (watched.isEmpty()) {
      return null;
    }
    List<Alert.Issuer> issuers = new ArrayList<>();
    List<Pin> chainPins = new ArrayList<>();
    chainPins.add(certificate.pin());
    if (entry.issuerKeyHash() != null) {
      chainPins.add(Pin.ofHash(entry.issuerKeyHash()));
    }
    List<byte[]> issuerDers = new ArrayList<>(entry.issuers());
    for (byte[] fingerprint : entry.issuerFingerprints()) {
      issuerDers.add(log.issuer(fingerprint));
    }
    for (byte[] der : issuerDers) {
      try {
        IssuedCertificate issuer = IssuedCertificate.of(der, "an issuer of entry "
            + entry.index());
        chainPins.add(issuer.pin());
        issuers.add(new Alert.Issuer(issuer.subject(), issuer.pin().toString()));
      } catch (IllegalArgumentException e) {
        issuers.add(new Alert.Issuer("(unreadable issuer)", "-"));
      }
    }
    if (chainPins.stream().anyMatch(pins::contains)) {
      return null; // pinned: a legitimate certificate
    }
    byte[] issuerKey = entry.issuerKeyHash() != null ? entry.issuerKeyHash()
        : chainPins.size() > 1 ? chainPins.get(1).hash() : new byte[32];
    String issuance = Checkpoint.hex(issuerKey) + ":" + certificate.serialHex();
    return Alert.unpinned(now, log.name(), entry.index(), issuance, new Alert.Entry(
        Instant.ofEpochMilli(entry.timestamp()), entry.precert() ? "precert" : "x509",
        certificate.names(), watched, certificate.serialHex(), certificate.notBefore(),
        certificate.notAfter(), certificate.subject(), certificate.issuer(),
        certificate.pin().toString(), issuers, certificate.sha256()));
  }
}
