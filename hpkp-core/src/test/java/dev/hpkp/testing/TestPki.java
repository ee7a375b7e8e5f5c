package dev.hpkp.testing;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI for tests: root → intermediate → leaf, plus backup keys that are in no chain.
 * Everything is generated when the test runs (EC P-256, fast to make).
 */
public final class TestPki {

  public static final char[] PASSWORD = "changeit".toCharArray();
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final KeyPair rootKey;
  private final KeyPair intermediateKey;
  private final KeyPair leafKey;
  private final KeyPair backupKey;
  private final KeyPair secondBackupKey;
  private final X509Certificate root;
  private final X509Certificate intermediate;
  private final X509Certificate leaf;

  private final String host;
  private final String intermediateName;

  private TestPki(String host, Duration leafValidity, String caName) {
    this.host = host;
    rootKey = ecKey();
    intermediateKey = ecKey();
    leafKey = ecKey();
    backupKey = ecKey();
    secondBackupKey = ecKey();
    Instant now = Instant.now();
    String rootName = "O=hpkp-filter tests,CN=" + caName + " Root";
    intermediateName = "O=hpkp-filter tests,CN=" + caName + " Intermediate";
    root = issue(rootName, rootKey.getPublic(), rootName, rootKey.getPrivate(), now,
        now.plus(Duration.ofDays(3650)), true, null);
    intermediate = issue(intermediateName, intermediateKey.getPublic(), rootName,
        rootKey.getPrivate(), now, now.plus(Duration.ofDays(1825)), true, null);
    leaf = issue("CN=" + host, leafKey.getPublic(), intermediateName,
        intermediateKey.getPrivate(), now, now.plus(leafValidity), false, host);
  }

  /** A chain for {@code localhost} (SAN localhost and 127.0.0.1) whose leaf is valid for a year. */
  public static TestPki localhost() {
    return new TestPki("localhost", Duration.ofDays(365));
  }

  private TestPki(String host, Duration leafValidity) {
    this(host, leafValidity, "HPKP Test");
  }

  /** A chain for {@code host} whose leaf expires after {@code leafValidity}. */
  public static TestPki create(String host, Duration leafValidity) {
    return new TestPki(host, leafValidity);
  }

  /**
   * A chain for localhost from another CA, whose root and intermediate are named after {@code
   * caName}: a mis-issued certificate, when a client trusts both CAs.
   */
  public static TestPki otherCa(String caName) {
    return new TestPki("localhost", Duration.ofDays(365), caName);
  }

  /**
   * A keystore for a server whose leaf, issued by this PKI's intermediate for the same host, is
   * of {@code key}: the same CA, a rotated key (e.g. {@link #backupKey()}).
   */
  public KeyStore keyStoreFor(KeyPair key, String alias) {
    X509Certificate rotated = issue("CN=" + host, key.getPublic(), intermediateName,
        intermediateKey.getPrivate(), Instant.now(), Instant.now().plus(Duration.ofDays(90)),
        false, host);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, key.getPrivate(), PASSWORD,
          new X509Certificate[] {rotated, intermediate, root});
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The chain after a renewal onto {@code key}: a new leaf for the same host from the same
   * intermediate (90 days, as an ACME CA issues), then the intermediate and the root.
   */
  public List<X509Certificate> renewedOn(KeyPair key) {
    X509Certificate renewed = issue("CN=" + host, key.getPublic(), intermediateName,
        intermediateKey.getPrivate(), Instant.now(), Instant.now().plus(Duration.ofDays(90)),
        false, host);
    return List.of(renewed, intermediate, root);
  }

  public X509Certificate root() {
    return root;
  }

  public X509Certificate intermediate() {
    return intermediate;
  }

  public X509Certificate leaf() {
    return leaf;
  }

  public KeyPair leafKey() {
    return leafKey;
  }

  /** Leaf first, as a server sends it. */
  public List<X509Certificate> chain() {
    return List.of(leaf, intermediate, root);
  }

  public Pin leafPin() {
    return KeyMaterial.pinOf(leaf);
  }

  public Pin intermediatePin() {
    return KeyMaterial.pinOf(intermediate);
  }

  public Pin rootPin() {
    return KeyMaterial.pinOf(root);
  }

  public Pin backupPin() {
    return KeyMaterial.pinOf(backupKey.getPublic());
  }

  public Pin secondBackupPin() {
    return KeyMaterial.pinOf(secondBackupKey.getPublic());
  }

  public KeyPair backupKey() {
    return backupKey;
  }

  /** Writes a PKCS#10 CSR for {@code key} with {@code subject}, as PEM. */
  public static Path writeCsr(KeyPair key, String subject, Path file) throws IOException {
    try {
      org.bouncycastle.pkcs.PKCS10CertificationRequest csr =
          new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
              new X500Name(subject), key.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
      Files.writeString(file, pem(csr));
      return file;
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IOException(e);
    }
  }

  public KeyPair secondBackupKey() {
    return secondBackupKey;
  }

  public KeyPair intermediateKey() {
    return intermediateKey;
  }

  /** Writes the chain, leaf first, as PEM. */
  public Path writeChainPem(Path file) throws IOException {
    Files.writeString(file, pem(leaf, intermediate, root));
    return file;
  }

  /** Writes a PKCS#12 keystore (password {@link #PASSWORD}) with the leaf key under alias. */
  public Path writeKeystore(Path file, String alias) throws IOException {
    return writeKeystore(file, alias, "PKCS12");
  }

  /** Writes a keystore of {@code type} (PKCS12, JKS, JCEKS), password {@link #PASSWORD}. */
  public Path writeKeystore(Path file, String alias, String type) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      keyStore(alias, type).store(out, PASSWORD);
      return file;
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** A PKCS#12 keystore holding the leaf key and the chain, for a server's TLS connector. */
  public KeyStore keyStore(String alias) {
    return keyStore(alias, "PKCS12");
  }

  /**
   * A keystore whose key entry carries {@code chain} exactly as given, e.g. out of order (JKS:
   * PKCS#12 refuses a misordered chain).
   */
  public KeyStore keyStore(String alias, X509Certificate... chain) {
    return keyStore(alias, "JKS", chain);
  }

  private KeyStore keyStore(String alias, String type) {
    return keyStore(alias, type, leaf, intermediate, root);
  }

  private KeyStore keyStore(String alias, String type, X509Certificate... chain) {
    try {
      KeyStore store = KeyStore.getInstance(type);
      store.load(null, null);
      store.setKeyEntry(alias, leafKey.getPrivate(), PASSWORD, chain);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An SSL context that trusts only this PKI's root. */
  public SSLContext clientContext() {
    return trusting(root);
  }

  /** An SSL context that trusts only {@code anchor}. */
  public static SSLContext trusting(X509Certificate anchor) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new javax.net.ssl.TrustManager[] {trustManager(anchor)}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The platform's PKIX trust manager over exactly {@code anchors}. */
  public static javax.net.ssl.X509TrustManager trustManager(X509Certificate... anchors) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      for (int i = 0; i < anchors.length; i++) {
        trust.setCertificateEntry("root-" + i, anchors[i]);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      return (javax.net.ssl.X509TrustManager) factory.getTrustManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pkcs8Pem(PrivateKey key) {
    try {
      return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of objects (certificates, keys, CSRs). */
  public static String pem(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  public static KeyPair ecKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate issue(String subject, java.security.PublicKey publicKey,
      String issuer, PrivateKey issuerKey, Instant notBefore, Instant notAfter, boolean ca,
      String host) {
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore.minusSeconds(60)),
          Date.from(notAfter), new X500Name(subject), publicKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
            new GeneralName[] {new GeneralName(GeneralName.dNSName, host),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue test certificate " + subject, e);
    }
  }

  /**
   * A leaf issued by this PKI's intermediate whose subject CN is {@code commonName} exactly as
   * given — control characters included, for tests of what reaches a log.
   */
  public X509Certificate leafWithCommonName(String commonName) {
    try {
      // built from the ASN.1 value itself: BouncyCastle's builder refuses a CN over RFC 5280's
      // 64 characters (since 1.81), and a hostile certificate is not bound by it
      X500Name subject = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {
          new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.CN,
              new org.bouncycastle.asn1.DERUTF8String(commonName))});
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          new X500Name(intermediateName),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(Instant.now().minusSeconds(60)),
          Date.from(Instant.now().plus(Duration.ofDays(30))), subject, ecKey().getPublic());
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(intermediateKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue test certificate for CN " + commonName, e);
    }
  }
}
