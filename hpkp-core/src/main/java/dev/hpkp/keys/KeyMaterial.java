package dev.hpkp.keys;

import dev.hpkp.keys.KeyMaterialException.Reason;
import dev.hpkp.keys.internal.CertificateFacts;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.HostName;
import dev.hpkp.policy.Pin;
import dev.hpkp.text.Printable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Reads key material in the forms operators keep it and computes the pin of every key.
 *
 * <p>With the JDK alone: X.509 certificates and chains, SubjectPublicKeyInfo public keys (each as
 * PEM or DER), and PKCS#12, JKS and JCEKS keystores. Certificate signing requests, private keys
 * and PKCS#1 public keys are read by the {@code hpkp-keys-bouncycastle} module when it is on the
 * class path ({@link KeyFormats}); without it they are refused with a sentence that says how to
 * get the pin instead. A pin is the SHA-256 of the key's DER SubjectPublicKeyInfo, taken from the
 * bytes the certificate carries: the value the openssl pipeline prints.
 */
public final class KeyMaterial {

  private static final ThreadLocal<CertificateFactory> X509 = ThreadLocal.withInitial(() -> {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 is required of every Java platform", e);
    }
  });

  private KeyMaterial() {}

  /** Reads every key in {@code file}. {@code password} may be null when nothing is encrypted. */
  public static List<KeyEntry> read(Path file, char[] password) {
    return read(readFile(file), file.toString(), password);
  }

  /**
   * Reads every key in {@code content}; {@code source} names it in error messages (a path, a
   * classpath resource). {@code password} may be null when nothing is encrypted.
   */
  public static List<KeyEntry> read(byte[] content, String source, char[] password) {
    requireContent(content, source, "a certificate, chain, CSR, public or private key (PEM or"
        + " DER), or a PKCS#12/JKS/JCEKS keystore");
    String keyStoreType = KeyStores.type(content);
    if (keyStoreType != null) {
      return KeyStores.read(content, source, password, keyStoreType, null, false);
    }
    List<KeyEntry> entries = looksLikePem(content)
        ? KeyFiles.readPem(content, source, password, false)
        : KeyFiles.readDer(content, source, password, false);
    if (entries.isEmpty()) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + " holds no certificate, CSR or"
          + " key that can be pinned", "expected PEM blocks such as CERTIFICATE, CERTIFICATE"
          + " REQUEST, PUBLIC KEY or PRIVATE KEY", null);
    }
    return entries;
  }

  /**
   * Reads the served chain from a file; see {@link #readServedChain(byte[], String, char[],
   * String)}.
   */
  public static List<ChainCertificate> readServedChain(Path file, char[] password, String alias) {
    return readServedChain(readFile(file), file.toString(), password, alias);
  }

  /**
   * Reads the certificate chain a server presents: a PEM or DER chain (leaf first, as servers send
   * it; keys in the same file are skipped, not read) or a keystore, where {@code alias} selects the
   * key entry (it may be null when the keystore holds exactly one).
   */
  public static List<ChainCertificate> readServedChain(byte[] content, String source,
      char[] password, String alias) {
    return toChain(readServedCertificates(content, source, password, alias));
  }

  /**
   * The certificates of {@link #readServedChain(byte[], String, char[], String)}, as the JDK has
   * them.
   */
  public static List<X509Certificate> readServedCertificates(byte[] content, String source,
      char[] password, String alias) {
    requireContent(content, source, "the served certificate chain (PEM or DER, leaf first) or a"
        + " PKCS#12/JKS/JCEKS keystore");
    String keyStoreType = KeyStores.type(content);
    List<KeyEntry> entries;
    if (keyStoreType != null) {
      entries = KeyStores.read(content, source, password, keyStoreType, alias, true);
    } else if (looksLikePem(content)) {
      entries = KeyFiles.readPem(content, source, password, true);
    } else {
      entries = KeyFiles.readDer(content, source, password, true);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (KeyEntry entry : entries) {
      entry.certificate().ifPresent(certificates::add);
    }
    if (certificates.isEmpty()) {
      throw new KeyMaterialException(Reason.NO_CERTIFICATE, source + " holds no certificate"
          + found(content), "the served chain must be the certificates the server presents,"
          + " leaf first", null);
    }
    return List.copyOf(certificates);
  }

  /** Turns certificates in the order a server sends them into a served chain with roles. */
  public static List<ChainCertificate> toChain(List<X509Certificate> certificates) {
    List<ChainCertificate> chain = new ArrayList<>(certificates.size());
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate certificate = certificates.get(i);
      chain.add(CertificateFacts.of(certificate, pinOf(certificate)).at(i,
          dnsNames(certificate)));
    }
    return Collections.unmodifiableList(chain);
  }

  /**
   * The pin of a certificate's public key: SHA-256 of the SubjectPublicKeyInfo bytes it carries.
   */
  public static Pin pinOf(X509Certificate certificate) {
    try {
      return Pin.ofSubjectPublicKeyInfo(Der.certificateSubjectPublicKeyInfo(
          certificate.getEncoded()));
    } catch (CertificateEncodingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the public key of certificate "
          + certificate.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
    }
  }

  /** The pin of a JCA public key (its X.509 encoding is a SubjectPublicKeyInfo). */
  public static Pin pinOf(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded == null || !"X.509".equals(key.getFormat())) {
      throw new IllegalArgumentException("the " + key.getAlgorithm() + " key has no X.509"
          + " SubjectPublicKeyInfo encoding, so it has no pin");
    }
    return Pin.ofSubjectPublicKeyInfo(encoded);
  }

  /** A public key given as a DER SubjectPublicKeyInfo, as an entry. */
  public static KeyEntry publicKeyEntry(byte[] subjectPublicKeyInfo, int position) {
    return new KeyEntry(KeyEntry.Kind.PUBLIC_KEY, position, null, null,
        Pin.ofSubjectPublicKeyInfo(subjectPublicKeyInfo), KeyTypes.describe(subjectPublicKeyInfo),
        null);
  }

  /**
   * One DER certificate, its structure checked without recursion before the JDK parses it.
   *
   * @throws KeyMaterialException naming {@code where} when it is not a certificate
   */
  public static X509Certificate certificate(byte[] der, String where) {
    try {
      Der.requireBounded(der);
    } catch (IllegalArgumentException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, where + " is not a valid X.509"
          + " certificate (" + e.getMessage() + ")", e);
    }
    try {
      return (X509Certificate) X509.get().generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, where + " is not a valid X.509"
          + " certificate (" + Printable.message(e.getMessage()) + ")", "re-export it, e.g. with"
          + " openssl x509", e);
    }
  }

  static KeyEntry certificateEntry(X509Certificate certificate, int position, String alias,
      String source) {
    byte[] spki;
    try {
      spki = Der.certificateSubjectPublicKeyInfo(certificate.getEncoded());
    } catch (CertificateEncodingException | IllegalArgumentException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": certificate " + (position + 1)
          + " cannot be decoded (" + e.getMessage() + ")", e);
    }
    return new KeyEntry(KeyEntry.Kind.CERTIFICATE, position, alias,
        certificate.getSubjectX500Principal().getName(), Pin.ofSubjectPublicKeyInfo(spki),
        KeyTypes.describe(spki), certificate);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyMaterialException(Reason.NOT_FOUND, file + " does not exist", "check the path"
          + " (relative paths resolve against " + Path.of("").toAbsolutePath() + ")", e);
    } catch (AccessDeniedException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, file + " is not readable by this process",
          "fix its permissions", e);
    } catch (IOException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, "cannot read " + file + ": "
          + e.getMessage(), e);
    }
  }

  private static void requireContent(byte[] content, String source, String expected) {
    for (byte b : content) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
    }
    throw new KeyMaterialException(Reason.EMPTY, source + " is empty", "expected " + expected,
        null);
  }

  private static List<String> dnsNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          if (Integer.valueOf(2).equals(alternative.get(0))) {
            names.add(HostName.normalize(String.valueOf(alternative.get(1))));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // An unparseable extension only means we know no DNS names for a report-uri warning.
    }
    return names;
  }

  /**
   * What a file without certificates holds instead, for the message: {@code  (found PUBLIC KEY)}.
   */
  private static String found(byte[] content) {
    if (!looksLikePem(content)) {
      return "";
    }
    List<String> types = new ArrayList<>();
    for (PemBlock block : PemBlock.split(new String(content, StandardCharsets.ISO_8859_1), "")) {
      if (!types.contains(block.type())) {
        types.add(block.type());
      }
    }
    return types.isEmpty() ? "" : " (found " + String.join(", ", types) + ")";
  }

  static boolean looksLikePem(byte[] content) {
    String head = new String(content, 0, Math.min(content.length, 64 * 1024),
        StandardCharsets.ISO_8859_1);
    return head.contains("-----BEGIN ");
  }
}
