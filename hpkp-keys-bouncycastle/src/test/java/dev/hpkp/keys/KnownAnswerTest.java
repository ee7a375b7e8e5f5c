package dev.hpkp.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.policy.Pin;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every expected pin below was printed by the openssl pipeline (see kat/make-fixtures.sh):
 * {@code openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64}.
 */
class KnownAnswerTest {

  private static final String RSA = "xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eM=";
  private static final String EC256 = "xUBOfKdQc0FPkBVqKW3gN8JXnnCmP7FORHaKyK7yNl8=";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // RSA 2048 in every form: the pin is of the key, not of the container
      "rsa.cert.pem,         CERTIFICATE, RSA 2048, " + RSA,
      "rsa.cert.der,         CERTIFICATE, RSA 2048, " + RSA,
      "rsa.csr.pem,          CSR,         RSA 2048, " + RSA,
      "rsa.pub.pem,          PUBLIC_KEY,  RSA 2048, " + RSA,
      "rsa.pkcs1.pub.pem,    PUBLIC_KEY,  RSA 2048, " + RSA,
      "rsa.key.pem,          PRIVATE_KEY, RSA 2048, " + RSA,
      "rsa.pkcs1.key.pem,    PRIVATE_KEY, RSA 2048, " + RSA,
      "rsa.enc.key.pem,      PRIVATE_KEY, RSA 2048, " + RSA,
      "rsa.p12,              CERTIFICATE, RSA 2048, " + RSA,
      "rsa.jks,              CERTIFICATE, RSA 2048, " + RSA,
      // EC on the three NIST curves; PKCS#8 and SEC1 private keys, DER PKCS#8
      "ec256.cert.pem,       CERTIFICATE, EC P-256, " + EC256,
      "ec256.csr.pem,        CSR,         EC P-256, " + EC256,
      "ec256.key.pem,        PRIVATE_KEY, EC P-256, " + EC256,
      "ec256.sec1.key.pem,   PRIVATE_KEY, EC P-256, " + EC256,
      "ec256.key.der,        PRIVATE_KEY, EC P-256, " + EC256,
      "ec384.cert.pem,       CERTIFICATE, EC P-384, yLbKtjSgwu1AWF84E8hZgf5+6p29cG3RkKplHSuYpnk=",
      "ec384.csr.pem,        CSR,         EC P-384, yLbKtjSgwu1AWF84E8hZgf5+6p29cG3RkKplHSuYpnk=",
      "ec384.sec1.key.pem,   PRIVATE_KEY, EC P-384, yLbKtjSgwu1AWF84E8hZgf5+6p29cG3RkKplHSuYpnk=",
      "ec521.cert.pem,       CERTIFICATE, EC P-521, 5JBbYiXRyMQw5uBmqt1Yb8xjwWGj7DYRHEPKo/y8Ttw=",
      "ec521.key.pem,        PRIVATE_KEY, EC P-521, 5JBbYiXRyMQw5uBmqt1Yb8xjwWGj7DYRHEPKo/y8Ttw=",
      "ec521.sec1.key.pem,   PRIVATE_KEY, EC P-521, 5JBbYiXRyMQw5uBmqt1Yb8xjwWGj7DYRHEPKo/y8Ttw=",
      // Ed25519: PKCS#8 carries no public key, so it is derived
      "ed25519.cert.pem,     CERTIFICATE, Ed25519,  yHwoIplSQVZtY/KY2F5J/PGaqobOdJ58WdoETlv2dPk=",
      "ed25519.csr.pem,      CSR,         Ed25519,  yHwoIplSQVZtY/KY2F5J/PGaqobOdJ58WdoETlv2dPk=",
      "ed25519.pub.pem,      PUBLIC_KEY,  Ed25519,  yHwoIplSQVZtY/KY2F5J/PGaqobOdJ58WdoETlv2dPk=",
      "ed25519.key.pem,      PRIVATE_KEY, Ed25519,  yHwoIplSQVZtY/KY2F5J/PGaqobOdJ58WdoETlv2dPk=",
      // DSA 2048: PKCS#8 and OpenSSL's traditional DSA PRIVATE KEY
      "dsa.cert.pem,         CERTIFICATE, DSA 2048, NUS157YruNrabbTWEjO6R9TFaYVkpiWAJ/EB2ac40W0=",
      "dsa.key.pem,          PRIVATE_KEY, DSA 2048, NUS157YruNrabbTWEjO6R9TFaYVkpiWAJ/EB2ac40W0=",
      "dsa.openssl.key.pem,  PRIVATE_KEY, DSA 2048, NUS157YruNrabbTWEjO6R9TFaYVkpiWAJ/EB2ac40W0=",
  })
  void pinMatchesTheOpensslPipeline(String file, KeyEntry.Kind kind, String keyType,
      String expectedPin) throws IOException {
    List<KeyEntry> entries = KeyMaterial.read(fixture(file), file, "changeit".toCharArray());

    assertThat(entries).hasSize(1);
    KeyEntry entry = entries.get(0);
    assertThat(entry.kind()).isEqualTo(kind);
    assertThat(entry.keyType()).isEqualTo(keyType);
    assertThat(entry.pin()).isEqualTo(Pin.fromString(expectedPin));
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = KnownAnswerTest.class.getResourceAsStream("/kat/" + name)) {
      if (in == null) {
        throw new IOException("missing fixture /kat/" + name);
      }
      return in.readAllBytes();
    }
  }
}
