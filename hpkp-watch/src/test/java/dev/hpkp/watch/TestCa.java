package dev.hpkp.watch;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA for tests: a root, an intermediate, and leaves, precertificates included. */
public final class TestCa {

  /** RFC 6962 §3.1: the critical poison extension of a precertificate. */
  static final ASN1ObjectIdentifier POISON = new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.3");
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  public final KeyPair rootKey = key();
  public final KeyPair intermediateKey = key();
  public final X509Certificate root;
  public final X509Certificate intermediate;
  private final String intermediateName;

  /** A precertificate and the final certificate of the same issuance. */
  public record Issuance(X509Certificate precert, X509Certificate certificate) {}

  public TestCa(String name) {
    String rootName = "O=hpkp-watch tests,CN=" + name + " Root";
    intermediateName = "O=hpkp-watch tests,CN=" + name + " Intermediate";
    root = issue(rootName, rootKey.getPublic(), rootName, rootKey, true, null, false,
        BigInteger.valueOf(SERIAL.incrementAndGet()));
    intermediate = issue(intermediateName, intermediateKey.getPublic(), rootName, rootKey, true,
        null, false, BigInteger.valueOf(SERIAL.incrementAndGet()));
  }

  public static KeyPair key() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static Pin pin(X509Certificate certificate) {
    return KeyMaterial.pinOf(certificate);
  }

  public static Pin pin(KeyPair key) {
    return KeyMaterial.pinOf(key.getPublic());
  }

  /** A leaf for {@code names} of {@code key}, issued by the intermediate. */
  public X509Certificate leaf(KeyPair key, String... names) {
    return issue("CN=" + names[0], key.getPublic(), intermediateName, intermediateKey, false,
        names, false, BigInteger.valueOf(SERIAL.incrementAndGet()));
  }

  /** A leaf whose only name is its subject CN: no subjectAltName. */
  public X509Certificate leafWithoutSan(KeyPair key, String commonName) {
    return issue("CN=" + commonName, key.getPublic(), intermediateName, intermediateKey, false,
        null, false, BigInteger.valueOf(SERIAL.incrementAndGet()));
  }

  /** A precertificate and its certificate for {@code names}: one serial, one key. */
  public Issuance issuance(KeyPair key, String... names) {
    BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet());
    return new Issuance(issue("CN=" + names[0], key.getPublic(), intermediateName,
        intermediateKey, false, names, true, serial), issue("CN=" + names[0], key.getPublic(),
        intermediateName, intermediateKey, false, names, false, serial));
  }

  private static final Instant NOW = Instant.now();

  private static X509Certificate issue(String subject, PublicKey publicKey, String issuer,
      KeyPair issuerKey, boolean ca, String[] names, boolean poison, BigInteger serial) {
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
          serial, Date.from(NOW.minusSeconds(60)), Date.from(NOW.plus(Duration.ofDays(90))),
          new X500Name(subject), publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (names != null) {
        GeneralName[] sans = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
          sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
      }
      if (poison) {
        builder.addExtension(POISON, true, DERNull.INSTANCE);
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
              .build(issuerKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue " + subject, e);
    }
  }
}
