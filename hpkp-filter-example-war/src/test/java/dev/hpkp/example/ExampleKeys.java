package dev.hpkp.example;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.keys.backup.BackupKeys;
import dev.hpkp.testing.Reports;
import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The example's development key material under {@code dir}: made on first use (root →
 * intermediate → leaf for localhost, two backup keys), reused afterwards.
 *
 * <pre>
 * keys/fullchain.pem     served chain, leaf first       keys/server.p12   TLS keystore (changeit)
 * keys/localhost.crt     leaf certificate               keys/backup-N.csr backup CSRs
 * keys/root.pem          the development root, for hpkp check --trust
 * offline-backup/        the backup private keys, encrypted (passphrase changeit) and 0600: in
 *                        real life, on an offline medium
 * sample-report.json     what a pinning client would report about an interception of
 *                        localhost:8443 (another CA's chain, this example's pins)
 * keys/impostor.p12      a certificate for localhost from another CA ("Impostor CA"), served
 * keys/impostor-root.pem on -Dexample.impostorPort: a mis-issued certificate, to be refused
 * </pre>
 */
public final class ExampleKeys {

  public static final String PASSWORD = new String(TestPki.PASSWORD);

  private ExampleKeys() {}

  /** Creates the material unless it is there already; returns {@code dir}. */
  public static Path prepare(Path dir) throws IOException {
    if (Files.exists(dir.resolve("keys/server.p12"))) {
      if (!Files.exists(dir.resolve("keys/impostor.p12"))) {
        writeImpostor(dir.resolve("keys"), TestPki.otherCa("Impostor CA"));
      }
      return dir;
    }
    write(dir, TestPki.localhost(), false);
    return dir;
  }

  /**
   * Material whose first "backup" CSR is for the intermediate key, which is in the served chain:
   * the filter must refuse to start with it.
   */
  public static Path prepareBackupInChain(Path dir) throws IOException {
    write(dir, TestPki.localhost(), true);
    return dir;
  }

  private static void write(Path dir, TestPki pki, boolean backupInChain) throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path offline = Files.createDirectories(dir.resolve("offline-backup"));
    pki.writeChainPem(keys.resolve("fullchain.pem"));
    Files.writeString(keys.resolve("localhost.crt"), TestPki.pem(pki.leaf()));
    // the development root, for 'hpkp check https://localhost:8443/ --trust root.pem'
    Files.writeString(keys.resolve("root.pem"), TestPki.pem(pki.root()));
    pki.writeKeystore(keys.resolve("server.p12"), "localhost");
    KeyPair first = backupInChain ? pki.intermediateKey() : pki.backupKey();
    TestPki.writeCsr(first, "CN=localhost backup 1", keys.resolve("backup-1.csr"));
    TestPki.writeCsr(pki.secondBackupKey(), "CN=localhost backup 2", keys.resolve("backup-2.csr"));
    writePrivate(offline.resolve("backup-1.key.pem"), first);
    writePrivate(offline.resolve("backup-2.key.pem"), pki.secondBackupKey());
    // What a pinning client would report if someone with another CA's certificate for localhost
    // intercepted the example: the attacker's chain, and the example's real pins as known pins.
    TestPki attacker = TestPki.otherCa("Impostor CA");
    writeImpostor(keys, attacker);
    writeSampleReport(dir, "localhost", 8443);
  }

  /**
   * sample-report.json: what a pinning client that noted this example's pins would report about
   * an interception of {@code host}:{@code port} (the impostor's chain), dated now; the example
   * writes it for the host and port it serves on every start.
   */
  public static void writeSampleReport(Path dir, String host, int port) throws IOException {
    Path keys = dir.resolve("keys");
    List<X509Certificate> attacker = KeyMaterial.readServedCertificates(
        Files.readAllBytes(keys.resolve("impostor.p12")), "impostor.p12", TestPki.PASSWORD,
        "localhost");
    List<Pin> pins = List.of(KeyMaterial.readServedChain(keys.resolve("fullchain.pem"), null,
        null).get(0).pin(), KeyMaterial.read(keys.resolve("backup-1.csr"), null).get(0).pin(),
        KeyMaterial.read(keys.resolve("backup-2.csr"), null).get(0).pin());
    java.time.Instant now = java.time.Instant.now();
    Files.writeString(dir.resolve("sample-report.json"), Reports.at(host, port, host, now,
        now.plusSeconds(600), attacker, attacker, pins));
  }

  private static void writeImpostor(Path keys, TestPki attacker) throws IOException {
    attacker.writeKeystore(keys.resolve("impostor.p12"), "localhost");
    Files.writeString(keys.resolve("impostor-root.pem"), TestPki.pem(attacker.root()));
  }

  /** An offline backup key: encrypted PKCS#8 (passphrase {@link #PASSWORD}), owner-only. */
  private static void writePrivate(Path file, KeyPair key) throws IOException {
    Files.writeString(file, BackupKeys.encryptedPem(key.getPrivate(), TestPki.PASSWORD));
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the key is still encrypted
    }
  }
}
