package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupKeyCommandTest {

  @TempDir Path dir;

  @Test
  void writesAnEncryptedKeyAndAVerifiableCsrWhosePinIsPrinted() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("pass"), "correct horse battery\n");
    Path prefix = dir.resolve("keys/backup-1");

    Cli cli = Cli.run("backup-key", "--out", prefix.toString(), "--subject",
        "CN=www.example.com,O=Example", "--password-file", passphrase.toString());

    assertThat(cli.exit()).as(cli.err()).isZero();
    String printed = cli.out().lines().filter(l -> l.startsWith("Pin: ")).findFirst()
        .orElseThrow().substring(5);
    assertThat(cli.out()).contains("keep at least two backup keys, stored in separate places");
    Path key = Path.of(prefix + ".key.pem");
    Path csr = Path.of(prefix + ".csr.pem");
    assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");

    KeyEntry decrypted = KeyMaterial.read(key, "correct horse battery".toCharArray()).get(0);
    assertThat(decrypted.pin().toString()).isEqualTo(printed);
    assertThat(decrypted.keyType()).isEqualTo("EC P-256");
    KeyEntry request = KeyMaterial.read(csr, null).get(0);
    assertThat(request.pin().toString()).isEqualTo(printed);
    assertThat(request.subject()).contains("CN=www.example.com,O=Example");
    try (PEMParser parser = new PEMParser(Files.newBufferedReader(csr))) {
      PKCS10CertificationRequest parsed = (PKCS10CertificationRequest) parser.readObject();
      assertThat(parsed.isSignatureValid(new JcaContentVerifierProviderBuilder()
          .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
          .build(parsed.getSubjectPublicKeyInfo()))).isTrue();
    }
  }

  private static java.util.List<String> sanOf(Path csr) throws Exception {
    try (PEMParser parser = new PEMParser(Files.newBufferedReader(csr))) {
      PKCS10CertificationRequest parsed = (PKCS10CertificationRequest) parser.readObject();
      java.util.List<String> names = new java.util.ArrayList<>();
      for (org.bouncycastle.asn1.pkcs.Attribute attribute : parsed.getAttributes(
          org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
        org.bouncycastle.asn1.x509.GeneralNames general = org.bouncycastle.asn1.x509.GeneralNames
            .fromExtensions(org.bouncycastle.asn1.x509.Extensions.getInstance(
            attribute.getAttrValues().getObjectAt(0)),
            org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        for (org.bouncycastle.asn1.x509.GeneralName name : general.getNames()) {
          names.add(name.getName().toString());
        }
      }
      return names;
    }
  }

  @Test
  void theCsrAsksForTheHostAsItsSubjectAltNameAsAcmeCasRequire() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("pass"), "long enough passphrase");
    Cli byCn = Cli.run("backup-key", "--out", dir.resolve("cn").toString(), "--subject",
        "CN=Shop.Example,O=Example", "--password-file", passphrase.toString());
    assertThat(byCn.exit()).as(byCn.err()).isZero();
    assertThat(sanOf(dir.resolve("cn.csr.pem"))).containsExactly("shop.example");

    Cli named = Cli.run("backup-key", "--out", dir.resolve("dns").toString(), "--subject",
        "CN=Backup 1", "--dns", "shop.example", "--dns", "*.shop.example", "--password-file",
        passphrase.toString());
    assertThat(named.exit()).as(named.err()).isZero();
    assertThat(sanOf(dir.resolve("dns.csr.pem"))).containsExactly("shop.example",
        "*.shop.example");

    Cli noHost = Cli.run("backup-key", "--out", dir.resolve("none").toString(), "--subject",
        "CN=Backup 1", "--password-file", passphrase.toString());
    assertThat(noHost.exit()).isZero();
    assertThat(sanOf(dir.resolve("none.csr.pem"))).isEmpty();

    for (String bad : new String[] {"shop example", "a\u0000b", "x".repeat(300), "-a.example"}) {
      Cli refused = Cli.run("backup-key", "--out", dir.resolve("bad").toString(), "--subject",
          "CN=x", "--dns", bad, "--password-file", passphrase.toString());
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.err()).contains("is not a DNS name").hasLineCount(1);
      assertThat(dir.resolve("bad.key.pem")).doesNotExist();
    }
  }

  @Test
  void neverOverwritesAndRejectsWeakOrMissingPassphrases() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("pass"), "long enough passphrase");
    Path prefix = dir.resolve("b");
    Files.writeString(Path.of(prefix + ".csr.pem"), "keep me");

    Cli cli = Cli.run("backup-key", "--out", prefix.toString(), "--subject", "CN=x",
        "--password-file", passphrase.toString());

    assertThat(cli.exit()).isEqualTo(2);
    assertThat(cli.err()).contains(prefix + ".csr.pem already exists; backup-key never"
        + " overwrites a file");
    assertThat(Files.readString(Path.of(prefix + ".csr.pem"))).isEqualTo("keep me");
    assertThat(Path.of(prefix + ".key.pem")).doesNotExist();

    Path weak = Files.writeString(dir.resolve("weak"), "short");
    Cli short1 = Cli.run("backup-key", "--out", dir.resolve("c").toString(), "--subject", "CN=x",
        "--password-file", weak.toString());
    assertThat(short1.exit()).isEqualTo(2);
    assertThat(short1.err()).contains("the password has 5 characters; use at least 8");
  }

  @Test
  void rsaKeysOnRequest() throws Exception {
    Path passphrase = Files.writeString(dir.resolve("pass"), "long enough passphrase");
    Cli cli = Cli.run("backup-key", "--out", dir.resolve("rsa").toString(), "--subject",
        "CN=x", "--algorithm", "rsa-3072", "--password-file", passphrase.toString());
    assertThat(cli.exit()).isZero();
    assertThat(KeyMaterial.read(dir.resolve("rsa.csr.pem"), null).get(0).keyType())
        .isEqualTo("RSA 3072");
    Cli bad = Cli.run("backup-key", "--out", dir.resolve("x").toString(), "--subject", "CN=x",
        "--algorithm", "rsa-1024", "--password-file", passphrase.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("'rsa-1024' is not a backup key algorithm");
  }
}
