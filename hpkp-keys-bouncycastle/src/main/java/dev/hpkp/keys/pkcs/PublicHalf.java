package dev.hpkp.keys.pkcs;

import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.keys.KeyMaterialException.Reason;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.DSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Derives the public half of a private key, so a private key gives the same pin as its certificate.
 */
final class PublicHalf {

  private PublicHalf() {}

  /** The DER SubjectPublicKeyInfo of the public key that belongs to {@code info}. */
  static byte[] of(PrivateKeyInfo info, String source) {
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())
        && info.getPrivateKeyAlgorithm().getParameters() == null) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": the EC private key names no"
          + " curve, so its public key cannot be derived", "rewrite it with 'openssl pkey -in KEY"
          + " -out KEY.pem' or pin its certificate or CSR instead", null);
    }
    AsymmetricKeyParameter privateKey;
    try {
      privateKey = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": unsupported private key"
          + " algorithm " + info.getPrivateKeyAlgorithm().getAlgorithm() + " (" + e.getMessage()
          + ")", "supported are RSA, EC, Ed25519, Ed448 and DSA", e);
    }
    return encode(derive(privateKey, source), source);
  }

  /** DER SubjectPublicKeyInfo of a public key. */
  static byte[] encode(AsymmetricKeyParameter publicKey, String source) {
    try {
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey)
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": cannot encode the public"
          + " key (" + e.getMessage() + ")", e);
    }
  }

  /** DER encoding of a SubjectPublicKeyInfo BouncyCastle parsed (it may have come as BER). */
  static byte[] encode(SubjectPublicKeyInfo spki, String source) {
    try {
      return spki.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": cannot encode the public"
          + " key (" + e.getMessage() + ")", e);
    }
  }

  private static AsymmetricKeyParameter derive(AsymmetricKeyParameter privateKey,
      String source) {
    if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
      return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
    } else if (privateKey instanceof ECPrivateKeyParameters ec) {
      ECDomainParameters domain = ec.getParameters();
      return new ECPublicKeyParameters(
          new FixedPointCombMultiplier().multiply(domain.getG(), ec.getD()).normalize(), domain);
    } else if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
      return ed.generatePublicKey();
    } else if (privateKey instanceof Ed448PrivateKeyParameters ed) {
      return ed.generatePublicKey();
    } else if (privateKey instanceof DSAPrivateKeyParameters dsa) {
      return new DSAPublicKeyParameters(dsa.getParameters().getG()
          .modPow(dsa.getX(), dsa.getParameters().getP()), dsa.getParameters());
    }
    throw new KeyMaterialException(Reason.UNSUPPORTED, source + ": cannot derive the public key"
        + " of a " + privateKey.getClass().getSimpleName(), "pin its certificate or public"
        + " key instead", null);
  }
}
