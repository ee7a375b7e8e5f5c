package dev.hpkp.keys;

import static dev.hpkp.keys.KeyMaterialException.Reason;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads key material in any of the forms operators keep it and computes the pin of every key.
 *
 * <p>Accepted: X.509 certificates and chains, PKCS#10 CSRs, public keys (SubjectPublicKeyInfo and
 * PKCS#1 {@code RSA PUBLIC KEY}), private keys (PKCS#8, encrypted PKCS#8, PKCS#1 RSA, SEC1 EC,
 * OpenSSL DSA, legacy encrypted PEM), each as PEM or DER, and PKCS#12 and JKS keystores. RSA, EC,
 * Ed25519, Ed448 and DSA keys. A private key's pin is that of its public half, so a certificate,
 * its CSR, its public key and its private key all give the same pin — the value the openssl
 * pipeline prints.
 *
 * <p>This is the only package of the library that uses BouncyCastle.
 */
public final class KeyMaterial {

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final int JKS_MAGIC = 0xFEEDFEED;
  private static final int JCEKS_MAGIC = 0xCECECECE;

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
    if (content.length == 0 || isBlank(content)) {
      throw new KeyMaterialException(Reason.EMPTY, source + " is empty; expected a certificate,"
          + " chain, CSR, public or private key (PEM or DER), or a PKCS#12/JKS keystore");
    }
    if (startsWithInt(content, JKS_MAGIC) || startsWithInt(content, JCEKS_MAGIC)) {
      return readKeystore(content, source, password, "JKS", null, false);
    }
    if (looksLikePem(content)) {
      return readPem(content, source, password);
    }
    return readDer(content, source, password);
  }

  /** Reads the served chain from a file; see {@link #readServedChain(byte[], String, char[], String)}. */
  public static List<ChainCertificate> readServedChain(Path file, char[] password, String alias) {
    return readServedChain(readFile(file), file.toString(), password, alias);
  }

  /**
   * Reads the certificate chain a server presents: a PEM or DER chain (leaf first, as servers send
   * it; keys in the same file are ignored) or a keystore, where {@code alias} selects the key
   * entry (it may be null when the keystore holds exactly one).
   */
  public static List<ChainCertificate> readServedChain(byte[] content, String source,
      char[] password, String alias) {
    if (content.length == 0 || isBlank(content)) {
      throw new KeyMaterialException(Reason.EMPTY, source + " is empty; expected the served"
          + " certificate chain (PEM or DER, leaf first) or a PKCS#12/JKS keystore");
    }
    List<KeyEntry> entries;
    if (startsWithInt(content, JKS_MAGIC) || startsWithInt(content, JCEKS_MAGIC)) {
      entries = readKeystore(content, source, password, "JKS", alias, true);
    } else if (!looksLikePem(content) && isPkcs12(content)) {
      entries = readKeystore(content, source, password, "PKCS12", alias, true);
    } else {
      entries = read(content, source, password);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (KeyEntry entry : entries) {
      entry.certificate().ifPresent(certificates::add);
    }
    if (certificates.isEmpty()) {
      throw new KeyMaterialException(Reason.NO_CERTIFICATE, source + " holds no certificate (found "
          + describeKinds(entries) + "); the served chain must be the certificates the server"
          + " presents, leaf first");
    }
    return toChain(certificates);
  }

  /**
   * Parses PEM certificates, leaf first, into a chain, one parse per certificate: the path the
   * report collector takes for every report. Each string must hold exactly one certificate;
   * {@code source} names the list in messages ({@code source[i]}). DNS names are not extracted.
   */
  public static List<ChainCertificate> chainFromPem(List<String> pems, String source) {
    List<ChainCertificate> chain = new ArrayList<>(pems.size());
    for (int i = 0; i < pems.size(); i++) {
      chain.add(inChain(certificateFromPem(pems.get(i), source + "[" + i + "]"), i));
    }
    return Collections.unmodifiableList(chain);
  }

  /**
   * One PEM certificate as a chain element at position 0 (role leaf); {@link #inChain} moves it.
   * DNS names are not extracted.
   */
  public static ChainCertificate certificateFromPem(String pem, String where) {
    X509CertificateHolder holder = singleCertificate(pem, where);
    return new ChainCertificate(0, rfc2253(holder.getSubject()), rfc2253(holder.getIssuer()),
        holder.getNotAfter().toInstant(), pinOf(holder.getSubjectPublicKeyInfo()),
        ChainCertificate.Role.LEAF, List.of());
  }

  /** {@code certificate} at {@code position} of a chain, with the role that position gives it. */
  public static ChainCertificate inChain(ChainCertificate certificate, int position) {
    ChainCertificate.Role role = position == 0 ? ChainCertificate.Role.LEAF
        : certificate.subject().equals(certificate.issuer()) ? ChainCertificate.Role.ROOT
        : ChainCertificate.Role.INTERMEDIATE;
    return new ChainCertificate(position, certificate.subject(), certificate.issuer(),
        certificate.notAfter(), certificate.pin(), role, certificate.dnsNames());
  }

  private static X509CertificateHolder singleCertificate(String pem, String where) {
    try (org.bouncycastle.util.io.pem.PemReader reader =
        new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(pem))) {
      org.bouncycastle.util.io.pem.PemObject object = reader.readPemObject();
      if (object == null || !"CERTIFICATE".equals(object.getType())
          || reader.readPemObject() != null) {
        throw new KeyMaterialException(Reason.UNSUPPORTED, where
            + " is not exactly one PEM certificate");
      }
      return new X509CertificateHolder(object.getContent());
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyMaterialException kme) {
        throw kme;
      }
      throw new KeyMaterialException(Reason.UNREADABLE, where + " is not a valid PEM certificate",
          e);
    }
  }

  /** Turns certificates in the order a server sends them into a served chain with roles. */
  public static List<ChainCertificate> toChain(List<X509Certificate> certificates) {
    List<ChainCertificate> chain = new ArrayList<>(certificates.size());
    for (int i = 0; i < certificates.size(); i++) {
      X509Certificate certificate = certificates.get(i);
      ChainCertificate.Role role;
      if (i == 0) {
        role = ChainCertificate.Role.LEAF;
      } else if (certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        role = ChainCertificate.Role.ROOT;
      } else {
        role = ChainCertificate.Role.INTERMEDIATE;
      }
      chain.add(new ChainCertificate(i, certificate.getSubjectX500Principal().getName(),
          certificate.getIssuerX500Principal().getName(), certificate.getNotAfter().toInstant(),
          pinOf(certificate), role, dnsNames(certificate)));
    }
    return Collections.unmodifiableList(chain);
  }

  /** The pin of a certificate's public key, computed from the DER SubjectPublicKeyInfo it carries. */
  public static Pin pinOf(X509Certificate certificate) {
    try {
      X509CertificateHolder holder = new X509CertificateHolder(certificate.getEncoded());
      return pinOf(holder.getSubjectPublicKeyInfo());
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("cannot encode certificate "
          + certificate.getSubjectX500Principal().getName() + ": " + e.getMessage(), e);
    }
  }

  /** The pin of a public key given as a DER SubjectPublicKeyInfo. */
  public static Pin pinOf(SubjectPublicKeyInfo spki) {
    try {
      return Pin.ofSubjectPublicKeyInfo(spki.getEncoded(ASN1Encoding.DER));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot DER-encode public key: " + e.getMessage(), e);
    }
  }

  /** The pin of a JCA public key (its X.509 encoding is a SubjectPublicKeyInfo). */
  public static Pin pinOf(java.security.PublicKey key) {
    return pinOf(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
  }

  // ---- PEM ---------------------------------------------------------------------------------

  private static List<KeyEntry> readPem(byte[] content, String source, char[] password) {
    List<KeyEntry> entries = new ArrayList<>();
    int position = 0;
    try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content),
        StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      Object object;
      while ((object = readPemObject(parser, source, position)) != null) {
        KeyEntry entry = fromPemObject(object, source, position, password);
        if (entry != null) {
          entries.add(entry);
          position++;
        }
      }
    } catch (IOException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": cannot read PEM block "
          + (position + 1) + ": " + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + " holds no certificate, CSR or"
          + " key that can be pinned; expected PEM blocks such as CERTIFICATE, CERTIFICATE REQUEST,"
          + " PUBLIC KEY or PRIVATE KEY");
    }
    return Collections.unmodifiableList(entries);
  }

  private static Object readPemObject(PEMParser parser, String source, int position)
      throws IOException {
    try {
      return parser.readObject();
    } catch (PEMException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": PEM block " + (position + 1)
          + " is damaged (" + e.getMessage() + "); re-export it, e.g. with openssl x509 or"
          + " openssl pkey", e);
    }
  }

  private static KeyEntry fromPemObject(Object object, String source, int position,
      char[] password) {
    if (object instanceof X509CertificateHolder holder) {
      return certificateEntry(holder, position, null, source);
    } else if (object instanceof PKCS10CertificationRequest csr) {
      return csrEntry(csr.toASN1Structure(), position);
    } else if (object instanceof SubjectPublicKeyInfo spki) {
      return new KeyEntry(KeyEntry.Kind.PUBLIC_KEY, position, null, null, pinOf(spki),
          keyType(spki), null);
    } else if (object instanceof PrivateKeyInfo info) {
      return privateKeyEntry(info, position, source);
    } else if (object instanceof PEMKeyPair pair) {
      return privateKeyEntry(pair.getPrivateKeyInfo(), position, source);
    } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      requirePassword(password, source, "an encrypted PKCS#8 private key");
      try {
        PrivateKeyInfo info = encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password));
        return privateKeyEntry(info, position, source);
      } catch (PKCSException e) {
        throw wrongPassword(source, e);
      } catch (OperatorCreationException e) {
        throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": the private key is"
            + " encrypted with an unsupported scheme (" + e.getMessage() + ")", e);
      }
    } else if (object instanceof PEMEncryptedKeyPair encrypted) {
      requirePassword(password, source, "an encrypted PEM private key");
      try {
        PEMKeyPair pair = encrypted.decryptKeyPair(
            new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password));
        return privateKeyEntry(pair.getPrivateKeyInfo(), position, source);
      } catch (IOException e) {
        throw wrongPassword(source, e);
      }
    } else if (object instanceof ASN1ObjectIdentifier || object instanceof ASN1Sequence
        && isEcParameters((ASN1Sequence) object)) {
      return null; // "EC PARAMETERS" block that openssl ecparam -genkey writes before the key
    } else if (object instanceof org.bouncycastle.asn1.x9.X9ECParameters) {
      return null;
    }
    throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": PEM block " + (position + 1)
        + " (" + object.getClass().getSimpleName() + ") holds no key that can be pinned; expected"
        + " CERTIFICATE, CERTIFICATE REQUEST, PUBLIC KEY, RSA PUBLIC KEY or a private key");
  }

  private static boolean isEcParameters(ASN1Sequence sequence) {
    return sequence.size() > 0 && sequence.getObjectAt(0) instanceof ASN1Integer
        && ((ASN1Integer) sequence.getObjectAt(0)).getValue().equals(BigInteger.ONE)
        && sequence.size() >= 5;
  }

  // ---- DER ---------------------------------------------------------------------------------

  private static List<KeyEntry> readDer(byte[] content, String source, char[] password) {
    List<ASN1Primitive> objects = new ArrayList<>();
    try (ASN1InputStream in = new ASN1InputStream(content, true)) {
      ASN1Primitive primitive;
      while ((primitive = in.readObject()) != null) {
        objects.add(primitive);
      }
    } catch (IOException | RuntimeException e) {
      if (objects.isEmpty()) {
        throw new KeyMaterialException(Reason.UNSUPPORTED, source + " is neither PEM nor DER key"
            + " material (" + e.getMessage() + "); expected a certificate, chain, CSR, public or"
            + " private key, or a PKCS#12/JKS keystore", e);
      }
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": DER object "
          + (objects.size() + 1) + " is truncated or damaged (" + e.getMessage() + ")", e);
    }
    if (objects.size() == 1 && isPkcs12(objects.get(0))) {
      return readKeystore(content, source, password, "PKCS12", null, false);
    }
    List<KeyEntry> entries = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      entries.add(fromDerObject(objects.get(i), source, i));
    }
    return Collections.unmodifiableList(entries);
  }

  private static KeyEntry fromDerObject(ASN1Primitive object, String source, int position) {
    if (!(object instanceof ASN1Sequence sequence) || sequence.size() < 2) {
      throw unsupportedDer(source, position);
    }
    ASN1Encodable first = sequence.getObjectAt(0);
    try {
      if (first instanceof ASN1Sequence tbs && sequence.size() == 3) {
        // Certificate or CSR: SEQUENCE { tbs, signatureAlgorithm, signature }
        if (tbs.size() == 4 && tbs.getObjectAt(0) instanceof ASN1Integer) {
          return csrEntry(CertificationRequest.getInstance(sequence), position);
        }
        if (tbs.size() >= 6 && (tbs.getObjectAt(0) instanceof ASN1TaggedObject
            || tbs.getObjectAt(0) instanceof ASN1Integer)) {
          return certificateEntry(new X509CertificateHolder(
              org.bouncycastle.asn1.x509.Certificate.getInstance(sequence)), position, null, source);
        }
      }
      if (first instanceof ASN1Sequence && sequence.size() == 2) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(sequence);
        return new KeyEntry(KeyEntry.Kind.PUBLIC_KEY, position, null, null, pinOf(spki),
            keyType(spki), null);
      }
      if (first instanceof ASN1Integer version) {
        if (sequence.size() == 2) { // PKCS#1 RSAPublicKey { modulus, publicExponent }
          SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
              rsaPublic(RSAPublicKey.getInstance(sequence)));
          return new KeyEntry(KeyEntry.Kind.PUBLIC_KEY, position, null, null, pinOf(spki),
              keyType(spki), null);
        }
        if (sequence.getObjectAt(1) instanceof ASN1Sequence) { // PKCS#8 PrivateKeyInfo
          return privateKeyEntry(PrivateKeyInfo.getInstance(sequence), position, source);
        }
        if (sequence.size() == 9 && version.getValue().signum() == 0) { // PKCS#1 RSAPrivateKey
          RSAPrivateKey rsa = RSAPrivateKey.getInstance(sequence);
          SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
              new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()));
          return new KeyEntry(KeyEntry.Kind.PRIVATE_KEY, position, null, null, pinOf(spki),
              keyType(spki), null);
        }
        if (version.getValue().equals(BigInteger.ONE) && sequence.size() >= 2) { // SEC1
          ECPrivateKey ec = ECPrivateKey.getInstance(sequence);
          if (ec.getParametersObject() == null) {
            throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": the SEC1 EC private"
                + " key names no curve; convert it to PKCS#8 with openssl pkey");
          }
          return privateKeyEntry(new PrivateKeyInfo(new org.bouncycastle.asn1.x509
              .AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey,
              ec.getParametersObject()), ec), position, source);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyMaterialException kme) {
        throw kme;
      }
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": DER object " + (position + 1)
          + " looks like key material but cannot be decoded (" + e.getMessage() + ")", e);
    }
    throw unsupportedDer(source, position);
  }

  private static KeyMaterialException unsupportedDer(String source, int position) {
    return new KeyMaterialException(Reason.UNSUPPORTED, source + ": DER object " + (position + 1)
        + " is not a certificate, CSR, public key, private key or PKCS#12 keystore");
  }

  private static boolean isPkcs12(byte[] content) {
    try (ASN1InputStream in = new ASN1InputStream(content, true)) {
      return isPkcs12(in.readObject());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isPkcs12(ASN1Primitive object) {
    // PFX ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, macData MacData OPTIONAL }
    return object instanceof ASN1Sequence sequence && sequence.size() >= 2
        && sequence.getObjectAt(0) instanceof ASN1Integer version
        && version.getValue().intValue() == 3
        && sequence.getObjectAt(1) instanceof ASN1Sequence contentInfo
        && contentInfo.size() >= 1 && contentInfo.getObjectAt(0) instanceof ASN1ObjectIdentifier;
  }

  // ---- keystores ---------------------------------------------------------------------------

  private static List<KeyEntry> readKeystore(byte[] content, String source, char[] password,
      String type, String alias, boolean oneKeyEntry) {
    KeyStore keyStore;
    try {
      keyStore = KeyStore.getInstance(type);
      keyStore.load(new ByteArrayInputStream(content), password);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException || password != null
          && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")) {
        throw wrongPassword(source, e);
      }
      if (password == null) {
        throw new KeyMaterialException(Reason.PASSWORD_REQUIRED, source + " is a " + type
            + " keystore and cannot be read without its password; set the password", e);
      }
      throw new KeyMaterialException(Reason.UNREADABLE, source + " is a damaged " + type
          + " keystore (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": cannot open " + type
          + " keystore (" + e.getMessage() + ")", e);
    }
    try {
      List<String> aliases = Collections.list(keyStore.aliases());
      Collections.sort(aliases);
      if (oneKeyEntry) {
        return keystoreChain(keyStore, aliases, alias, source, type, password);
      }
      List<KeyEntry> entries = new ArrayList<>();
      for (String name : aliases) {
        Certificate[] chain = keyStore.isKeyEntry(name)
            ? keyStore.getCertificateChain(name)
            : new Certificate[] {keyStore.getCertificate(name)};
        if (chain == null) {
          continue; // a secret key entry: nothing to pin
        }
        for (int i = 0; i < chain.length; i++) {
          if (chain[i] instanceof X509Certificate x509) {
            entries.add(certificateEntry(new X509CertificateHolder(x509.getEncoded()), i, name,
                source));
          }
        }
      }
      if (entries.isEmpty()) {
        throw emptyKeystore(source, type, password);
      }
      return Collections.unmodifiableList(entries);
    } catch (GeneralSecurityException | IOException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": cannot read " + type
          + " keystore entries (" + e.getMessage() + ")", e);
    }
  }

  private static List<KeyEntry> keystoreChain(KeyStore keyStore, List<String> aliases,
      String alias, String source, String type, char[] password)
      throws GeneralSecurityException, IOException {
    List<String> keyAliases = new ArrayList<>();
    for (String name : aliases) {
      if (keyStore.isKeyEntry(name) && keyStore.getCertificateChain(name) != null) {
        keyAliases.add(name);
      }
    }
    if (keyAliases.isEmpty()) {
      throw emptyKeystore(source, type, password);
    }
    String chosen = alias;
    if (chosen == null) {
      if (keyAliases.size() != 1) {
        throw new KeyMaterialException(Reason.AMBIGUOUS_ALIAS, source + ": the " + type
            + " keystore holds " + keyAliases.size() + " key entries " + keyAliases
            + "; name the one the server uses with its alias");
      }
      chosen = keyAliases.get(0);
    } else if (!keyAliases.contains(chosen)) {
      throw new KeyMaterialException(Reason.AMBIGUOUS_ALIAS, source + ": the " + type
          + " keystore has no key entry with alias '" + alias + "'; its key entries are "
          + keyAliases);
    }
    Certificate[] chain = keyStore.getCertificateChain(chosen);
    List<KeyEntry> entries = new ArrayList<>();
    for (int i = 0; i < chain.length; i++) {
      entries.add(certificateEntry(new X509CertificateHolder(chain[i].getEncoded()), i, chosen,
          source));
    }
    return entries;
  }

  private static KeyMaterialException emptyKeystore(String source, String type,
      char[] password) {
    if (password == null) {
      // PKCS#12 opens without a password, but its certificates stay encrypted and unseen.
      return new KeyMaterialException(Reason.PASSWORD_REQUIRED, source + " is a " + type
          + " keystore and shows no certificate without its password; set the password");
    }
    return new KeyMaterialException(Reason.NO_CERTIFICATE, source + ": the " + type
        + " keystore holds no certificate");
  }

  // ---- entries -----------------------------------------------------------------------------

  private static KeyEntry certificateEntry(X509CertificateHolder holder, int position,
      String alias, String source) {
    X509Certificate certificate;
    try {
      certificate = new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": certificate " + (position + 1)
          + " cannot be decoded (" + e.getMessage() + ")", e);
    }
    SubjectPublicKeyInfo spki = holder.getSubjectPublicKeyInfo();
    return new KeyEntry(KeyEntry.Kind.CERTIFICATE, position, alias,
        certificate.getSubjectX500Principal().getName(), pinOf(spki), keyType(spki), certificate);
  }

  private static KeyEntry csrEntry(CertificationRequest csr, int position) {
    SubjectPublicKeyInfo spki = csr.getCertificationRequestInfo().getSubjectPublicKeyInfo();
    return new KeyEntry(KeyEntry.Kind.CSR, position, null,
        rfc2253(csr.getCertificationRequestInfo().getSubject()), pinOf(spki), keyType(spki), null);
  }

  private static KeyEntry privateKeyEntry(PrivateKeyInfo info, int position, String source) {
    SubjectPublicKeyInfo spki = publicHalf(info, source);
    return new KeyEntry(KeyEntry.Kind.PRIVATE_KEY, position, null, null, pinOf(spki),
        keyType(spki), null);
  }

  /** The SubjectPublicKeyInfo of a private key's public half, derived from the private key. */
  static SubjectPublicKeyInfo publicHalf(PrivateKeyInfo info, String source) {
    if (org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey.equals(
        info.getPrivateKeyAlgorithm().getAlgorithm())
        && info.getPrivateKeyAlgorithm().getParameters() == null) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": the EC private key names no"
          + " curve, so its public key cannot be derived; rewrite it with 'openssl pkey -in KEY"
          + " -out KEY.pem' or pin its certificate or CSR instead");
    }
    AsymmetricKeyParameter privateKey;
    try {
      privateKey = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": unsupported private key"
          + " algorithm " + info.getPrivateKeyAlgorithm().getAlgorithm() + " (" + e.getMessage()
          + "); supported are RSA, EC, Ed25519, Ed448 and DSA", e);
    }
    AsymmetricKeyParameter publicKey;
    if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
      publicKey = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
    } else if (privateKey instanceof ECPrivateKeyParameters ec) {
      ECDomainParameters domain = ec.getParameters();
      publicKey = new ECPublicKeyParameters(
          new FixedPointCombMultiplier().multiply(domain.getG(), ec.getD()).normalize(), domain);
    } else if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
      publicKey = ed.generatePublicKey();
    } else if (privateKey instanceof Ed448PrivateKeyParameters ed) {
      publicKey = ed.generatePublicKey();
    } else if (privateKey instanceof DSAPrivateKeyParameters dsa) {
      publicKey = new DSAPublicKeyParameters(dsa.getParameters().getG()
          .modPow(dsa.getX(), dsa.getParameters().getP()), dsa.getParameters());
    } else {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": cannot derive the public key"
          + " of a " + privateKey.getClass().getSimpleName() + "; pin its certificate or public"
          + " key instead");
    }
    try {
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey);
    } catch (IOException e) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": cannot encode the public"
          + " key (" + e.getMessage() + ")", e);
    }
  }

  private static RSAKeyParameters rsaPublic(RSAPublicKey key) {
    return new RSAKeyParameters(false, key.getModulus(), key.getPublicExponent());
  }

  /** {@code RSA 2048}, {@code EC P-256}, {@code Ed25519}, {@code DSA 2048}, or the OID. */
  static String keyType(SubjectPublicKeyInfo spki) {
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(spki);
    } catch (IOException | RuntimeException e) {
      return spki.getAlgorithm().getAlgorithm().getId();
    }
    if (key instanceof RSAKeyParameters rsa) {
      return "RSA " + rsa.getModulus().bitLength();
    } else if (key instanceof ECPublicKeyParameters ec) {
      if (ec.getParameters() instanceof ECNamedDomainParameters named) {
        String name = NISTNamedCurves.getName(named.getName());
        if (name == null) {
          name = ECNamedCurveTable.getName(named.getName());
        }
        return "EC " + (name == null ? named.getName().getId() : name);
      }
      return "EC " + ec.getParameters().getCurve().getFieldSize() + "-bit (explicit parameters)";
    } else if (key instanceof Ed25519PublicKeyParameters) {
      return "Ed25519";
    } else if (key instanceof Ed448PublicKeyParameters) {
      return "Ed448";
    } else if (key instanceof DSAPublicKeyParameters dsa) {
      return "DSA " + dsa.getParameters().getP().bitLength();
    }
    return spki.getAlgorithm().getAlgorithm().getId();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyMaterialException(Reason.NOT_FOUND, file + " does not exist; check the path"
          + " (relative paths resolve against " + Path.of("").toAbsolutePath() + ")", e);
    } catch (AccessDeniedException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, file + " is not readable by this process"
          + "; fix its permissions", e);
    } catch (IOException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, "cannot read " + file + ": "
          + e.getMessage(), e);
    }
  }

  private static List<String> dnsNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          if (Integer.valueOf(2).equals(alternative.get(0))) {
            names.add(String.valueOf(alternative.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // An unparseable extension only means we know no DNS names for a report-uri warning.
    }
    return names;
  }

  private static String rfc2253(X500Name name) {
    try {
      return new X500Principal(name.getEncoded()).getName();
    } catch (IOException | IllegalArgumentException e) {
      return name.toString();
    }
  }

  private static void requirePassword(char[] password, String source, String what) {
    if (password == null) {
      throw new KeyMaterialException(Reason.PASSWORD_REQUIRED, source + " holds " + what
          + " and no password was given; set the password, or pin the certificate or public key"
          + " instead");
    }
  }

  private static KeyMaterialException wrongPassword(String source, Exception cause) {
    return new KeyMaterialException(Reason.WRONG_PASSWORD, source + ": wrong password (the key"
        + " material did not decrypt with the password given); check the password setting", cause);
  }

  private static String describeKinds(List<KeyEntry> entries) {
    List<String> kinds = new ArrayList<>();
    for (KeyEntry entry : entries) {
      if (!kinds.contains(entry.kind().toString())) {
        kinds.add(entry.kind().toString());
      }
    }
    return String.join(", ", kinds);
  }

  private static boolean looksLikePem(byte[] content) {
    String head = new String(content, 0, Math.min(content.length, 64 * 1024),
        StandardCharsets.ISO_8859_1);
    return head.contains("-----BEGIN ");
  }

  private static boolean isBlank(byte[] content) {
    for (byte b : content) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWithInt(byte[] content, int magic) {
    return content.length >= 4 && ((content[0] & 0xff) << 24 | (content[1] & 0xff) << 16
        | (content[2] & 0xff) << 8 | (content[3] & 0xff)) == magic;
  }
}
