package dev.hpkp.keys.backup;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Generates offline backup keys: a key pair, a CSR ready to send to a CA when the key is needed,
 * and the private key as encrypted PKCS#8 PEM.
 */
public final class BackupKeys {

  /** Key algorithms offered for backup keys. */
  public enum Algorithm {
    EC_P256("ec-p256"), EC_P384("ec-p384"), RSA_2048("rsa-2048"), RSA_3072("rsa-3072"),
    RSA_4096("rsa-4096");

    private final String label;

    Algorithm(String label) {
      this.label = label;
    }

    /** Parses {@code ec-p256}, {@code rsa-3072}, … (case-insensitive). */
    public static Algorithm fromLabel(String label) {
      for (Algorithm algorithm : values()) {
        if (algorithm.label.equalsIgnoreCase(label)) {
          return algorithm;
        }
      }
      throw new IllegalArgumentException("'" + label + "' is not a backup key algorithm; use one"
          + " of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096");
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** A generated backup key. */
  public record BackupKey(KeyPair keyPair, String csrPem, Pin pin) {}

  private static final BouncyCastleProvider BC =
      new BouncyCastleProvider();

  private BackupKeys() {}

  /**
   * Fails unless {@code subject} is an RFC 2253 name {@link #generate} takes.
   *
   * @throws IllegalArgumentException naming the subject and the form to write
   */
  public static void checkSubject(String subject) {
    name(subject);
  }

  private static X500Name name(String subject) {
    try {
      // RFC 2253 order, as people write it (CN first); X500Principal encodes it correctly.
      return X500Name.getInstance(new X500Principal(subject)
          .getEncoded());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + subject + "' is not an X.500 name; write e.g."
          + " CN=www.example.com,O=Example", e);
    }
  }

  /**
   * Generates a key pair and a CSR for {@code subject}, an RFC 2253 name such as
   * {@code CN=www.example.com,O=Example}.
   */
  public static BackupKey generate(Algorithm algorithm, String subject) {
    X500Name name = name(subject);
    try {
      KeyPair pair = keyPair(algorithm);
      String signature = algorithm.name().startsWith("EC")
          ? (algorithm == Algorithm.EC_P384 ? "SHA384withECDSA" : "SHA256withECDSA")
          : "SHA256withRSA";
      PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(name,
          pair.getPublic()).build(new JcaContentSignerBuilder(signature).build(pair.getPrivate()));
      return new BackupKey(pair, pem(csr), KeyMaterial.pinOf(pair.getPublic()));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key: "
          + e.getMessage(), e);
    }
  }

  /**
   * The private key as {@code ENCRYPTED PRIVATE KEY} PEM: PKCS#8 with PBES2, AES-256-CBC and
   * PBKDF2-HMAC-SHA256. openssl reads it with {@code openssl pkey -in KEY}.
   */
  public static String encryptedPem(PrivateKey key, char[] passphrase) {
    try {
      JceOpenSSLPKCS8EncryptorBuilder encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(210_000)
              .setProvider(BC)
              .setPasssword(passphrase);
      return pem(new JcaPKCS8Generator(key, encryptor.build()).generate());
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot encrypt the private key: " + e.getMessage(), e);
    }
  }

  private static KeyPair keyPair(Algorithm algorithm) throws GeneralSecurityException {
    String name = algorithm.name().toLowerCase(Locale.ROOT);
    if (name.startsWith("ec")) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(algorithm == Algorithm.EC_P384 ? "secp384r1"
          : "secp256r1"));
      return generator.generateKeyPair();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(Integer.parseInt(name.substring(4)));
    return generator.generateKeyPair();
  }

  private static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }
}
