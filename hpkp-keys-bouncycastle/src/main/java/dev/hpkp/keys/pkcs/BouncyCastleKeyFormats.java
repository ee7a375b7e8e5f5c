package dev.hpkp.keys.pkcs;

import dev.hpkp.keys.KeyEntry;
import dev.hpkp.keys.KeyFormats;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.keys.KeyMaterialException.Reason;
import dev.hpkp.keys.KeyTypes;
import dev.hpkp.keys.PemBlock;
import dev.hpkp.policy.Pin;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The {@link KeyFormats} that BouncyCastle makes possible: PKCS#10 CSRs, PKCS#8 (plain and
 * encrypted), PKCS#1 RSA, SEC1 EC and OpenSSL DSA private keys, legacy encrypted PEM, and PKCS#1
 * RSA public keys. Registered through {@code META-INF/services}, so {@link KeyMaterial} finds it
 * whenever this module is on the class path. This is the only package that reads keys with
 * BouncyCastle.
 */
public final class BouncyCastleKeyFormats implements KeyFormats {

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  @Override
  public KeyEntry readPem(PemBlock block, int position, String source, char[] password) {
    Object object;
    try (PEMParser parser = new PEMParser(new StringReader(block.text()))) {
      object = parser.readObject();
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": PEM block "
          + (block.index() + 1) + " is damaged (" + e.getMessage() + ")", "re-export it, e.g."
          + " with openssl x509 or openssl pkey", e);
    }
    if (object instanceof PKCS10CertificationRequest csr) {
      return csrEntry(csr.toASN1Structure(), position, source);
    } else if (object instanceof SubjectPublicKeyInfo spki) {
      return KeyMaterial.publicKeyEntry(PublicHalf.encode(spki, source), position);
    } else if (object instanceof PrivateKeyInfo info) {
      return privateKeyEntry(info, position, source);
    } else if (object instanceof PEMKeyPair pair) {
      return privateKeyEntry(pair.getPrivateKeyInfo(), position, source);
    } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      requirePassword(password, source, "an encrypted PKCS#8 private key");
      try {
        return privateKeyEntry(encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)),
            position, source);
      } catch (PKCSException e) {
        throw KeyMaterialException.wrongPassword(source, e);
      } catch (OperatorCreationException e) {
        throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": the private key is"
            + " encrypted with an unsupported scheme (" + e.getMessage() + ")", e);
      }
    } else if (object instanceof PEMEncryptedKeyPair encrypted) {
      requirePassword(password, source, "an encrypted PEM private key");
      try {
        return privateKeyEntry(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
            .setProvider(BC).build(password)).getPrivateKeyInfo(), position, source);
      } catch (IOException e) {
        throw KeyMaterialException.wrongPassword(source, e);
      }
    } else if (object == null || object instanceof ASN1ObjectIdentifier
        || object instanceof X9ECParameters || object instanceof ASN1Sequence) {
      return null; // "EC PARAMETERS" that 'openssl ecparam -genkey' writes before the key
    }
    throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": PEM block "
        + (block.index() + 1) + " (" + block.type() + ") holds no key that can be pinned");
  }

  @Override
  public KeyEntry readDer(byte[] der, int position, String source, char[] password) {
    try (ASN1InputStream in = new ASN1InputStream(der, true)) {
      ASN1Primitive object = in.readObject();
      if (object instanceof ASN1Sequence sequence && sequence.size() >= 2) {
        KeyEntry entry = fromSequence(sequence, position, source);
        if (entry != null) {
          return entry;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof KeyMaterialException kme) {
        throw kme;
      }
      throw new KeyMaterialException(Reason.UNREADABLE, source + ": DER object " + (position + 1)
          + " looks like key material but cannot be decoded (" + e.getMessage() + ")", e);
    }
    throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": DER object " + (position + 1)
        + " is not a certificate, CSR, public key, private key or PKCS#12 keystore");
  }

  private static KeyEntry fromSequence(ASN1Sequence sequence, int position, String source)
      throws IOException {
    ASN1Encodable first = sequence.getObjectAt(0);
    if (first instanceof ASN1Sequence info && sequence.size() == 3 && info.size() == 4
        && info.getObjectAt(0) instanceof ASN1Integer) {
      // CertificationRequest ::= SEQUENCE { info { version, subject, spki, [0] }, alg, sig }
      return csrEntry(CertificationRequest.getInstance(sequence), position, source);
    }
    if (!(first instanceof ASN1Integer version)) {
      return null;
    }
    if (sequence.size() == 2) { // PKCS#1 RSAPublicKey { modulus, publicExponent }
      RSAPublicKey rsa = RSAPublicKey.getInstance(sequence);
      return KeyMaterial.publicKeyEntry(PublicHalf.encode(new RSAKeyParameters(false,
          rsa.getModulus(), rsa.getPublicExponent()), source), position);
    }
    if (sequence.getObjectAt(1) instanceof ASN1Sequence) { // PKCS#8 PrivateKeyInfo
      return privateKeyEntry(PrivateKeyInfo.getInstance(sequence), position, source);
    }
    if (sequence.size() == 9 && version.getValue().signum() == 0) { // PKCS#1 RSAPrivateKey
      RSAPrivateKey rsa = RSAPrivateKey.getInstance(sequence);
      return entry(KeyEntry.Kind.PRIVATE_KEY, position, null, PublicHalf.encode(
          new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()), source));
    }
    if (version.getValue().equals(BigInteger.ONE)) { // SEC1 ECPrivateKey
      ECPrivateKey ec = ECPrivateKey.getInstance(sequence);
      if (ec.getParametersObject() == null) {
        throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": the SEC1 EC private key"
            + " names no curve", "convert it to PKCS#8 with openssl pkey", null);
      }
      return privateKeyEntry(new PrivateKeyInfo(new AlgorithmIdentifier(
          X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec), position, source);
    }
    return null;
  }

  private static KeyEntry csrEntry(CertificationRequest csr, int position, String source) {
    return entry(KeyEntry.Kind.CSR, position,
        rfc2253(csr.getCertificationRequestInfo().getSubject()),
        PublicHalf.encode(csr.getCertificationRequestInfo().getSubjectPublicKeyInfo(), source));
  }

  private static KeyEntry privateKeyEntry(PrivateKeyInfo info, int position, String source) {
    return entry(KeyEntry.Kind.PRIVATE_KEY, position, null, PublicHalf.of(info, source));
  }

  private static KeyEntry entry(KeyEntry.Kind kind, int position, String subject, byte[] spki) {
    return new KeyEntry(kind, position, null, subject, Pin.ofSubjectPublicKeyInfo(spki),
        KeyTypes.describe(spki), null);
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
          + " and no password was given", "set the password, or pin the certificate or public key"
          + " instead", null);
    }
  }

}
