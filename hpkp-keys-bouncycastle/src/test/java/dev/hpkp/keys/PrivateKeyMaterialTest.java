package dev.hpkp.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainCertificate.Role;
import dev.hpkp.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyMaterial} reading CSRs and private keys through this module's {@link KeyFormats}. */
class PrivateKeyMaterialTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  @Test
  void wrongPasswordOnEncryptedPrivateKey() throws Exception {
    byte[] content = KnownAnswerTest.fixture("rsa.enc.key.pem");
    assertThatThrownBy(() -> KeyMaterial.read(content, "rsa.enc.key.pem", "nope".toCharArray()))
        .hasMessage("rsa.enc.key.pem: wrong password (the key material did not decrypt with the"
            + " password given); check the password setting");
    assertThatThrownBy(() -> KeyMaterial.read(content, "rsa.enc.key.pem", null))
        .hasMessage("rsa.enc.key.pem holds an encrypted PKCS#8 private key and no password was"
            + " given; set the password, or pin the certificate or public key instead");
  }

  @Test
  void servedChainWithoutCertificateSaysWhatItFound() throws Exception {
    byte[] content = KnownAnswerTest.fixture("rsa.pub.pem");
    assertThatThrownBy(() -> KeyMaterial.readServedChain(content, "rsa.pub.pem", null, null))
        .hasMessage("rsa.pub.pem holds no certificate (found PUBLIC KEY); the served chain must"
            + " be the certificates the server presents, leaf first");
  }

  @Test
  void privateKeyPinEqualsCertificatePin() {
    byte[] key = TestPki.pkcs8Pem(PKI.leafKey().getPrivate()).getBytes(StandardCharsets.US_ASCII);
    assertThat(KeyMaterial.read(key, "leaf.key", null).get(0).pin()).isEqualTo(PKI.leafPin());
  }

  @Test
  void ecPrivateKeyWithoutCurveIsAClearError() {
    // SEC1 "EC PRIVATE KEY" as BouncyCastle writes a JDK key: no [0] curve parameters inside.
    byte[] key = TestPki.pem(PKI.leafKey().getPrivate()).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> KeyMaterial.read(key, "leaf.key", null))
        .hasMessage("leaf.key: the EC private key names no curve, so its public key cannot be"
            + " derived; rewrite it with 'openssl pkey -in KEY -out KEY.pem' or pin its"
            + " certificate or CSR instead");
  }
}
