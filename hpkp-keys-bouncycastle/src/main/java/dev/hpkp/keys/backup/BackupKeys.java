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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import dev.hpkp.text.Printable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
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

  /**
   * {@code dnsName} in lower case, when it is a host name a CSR can ask for.
   *
   * @throws IllegalArgumentException naming the value and the form to write
   */
  public static String checkDnsName(String dnsName) {
    String host = dnsName.toLowerCase(Locale.ROOT);
    if (host.length() > 253 || !HOST_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + Printable.escape(dnsName) + "' is not a DNS"
          + " name; write e.g. www.example.com or *.example.com");
    }
    return host;
  }

  /** The subject's CN, when it is a host name. */
  static Optional<String> commonNameHost(String subject) {
    for (RDN rdn : name(subject).getRDNs(BCStyle.CN)) {
      String cn = IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT);
      if (cn.length() <= 253 && cn.contains(".") && HOST_NAME.matcher(cn).matches()) {
        return Optional.of(cn);
      }
    }
    return Optional.empty();
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

  private static final Pattern HOST_NAME = Pattern.compile(
      "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /**
   * Generates a key pair and a CSR for {@code subject}, an RFC 2253 name such as
   * {@code CN=www.example.com,O=Example}; the CSR asks for the subject's CN as its DNS name when
   * the CN is a host name (ACME CAs issue for the CSR's subjectAltName, not its CN).
   */
  public static BackupKey generate(Algorithm algorithm, String subject) {
    return generate(algorithm, subject, commonNameHost(subject).map(List::of).orElse(List.of()));
  }

  /**
   * As {@link #generate(Algorithm, String)}, with {@code dnsNames} in the CSR's subjectAltName
   * extension request.
   *
   * @throws IllegalArgumentException naming a DNS name that is no host name
   */
  public static BackupKey generate(Algorithm algorithm, String subject, List<String> dnsNames) {
    X500Name name = name(subject);
    List<GeneralName> names = new ArrayList<>();
    for (String dnsName : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, checkDnsName(dnsName)));
    }
    try {
      KeyPair pair = keyPair(algorithm);
      String signature = algorithm.name().startsWith("EC")
          ? (algorithm == Algorithm.EC_P384 ? "SHA384withECDSA" : "SHA256withECDSA")
          : "SHA256withRSA";
      JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
          name, pair.getPublic());
      if (!names.isEmpty()) {
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(
            new Extension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)).getEncoded())));
      }
      PKCS10CertificationRequest csr = builder.build(new JcaContentSignerBuilder(signature)
          .build(pair.getPrivate()));
      return new BackupKey(pair, pem(csr), KeyMaterial.pinOf(pair.getPublic()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
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
