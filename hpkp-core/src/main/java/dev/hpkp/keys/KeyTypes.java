package dev.hpkp.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;

/**
 * Names a public key the way people speak of it: {@code RSA 2048}, {@code EC P-256}, {@code
 * Ed25519}.
 */
public final class KeyTypes {

  private static final String RSA = "1.2.840.113549.1.1.1";
  private static final String RSA_PSS = "1.2.840.113549.1.1.10";
  private static final String EC = "1.2.840.10045.2.1";
  private static final String DSA = "1.2.840.10040.4.1";

  private static final Map<String, String> NAMED = Map.of(
      "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448",
      "1.3.101.110", "X25519", "1.3.101.111", "X448");

  private static final Map<String, String> CURVES = Map.of(
      "1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521",
      "1.3.132.0.10", "secp256k1", "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1",
      "1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", "1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1");

  private KeyTypes() {}

  /**
   * {@code RSA 2048}, {@code EC P-256}, {@code Ed25519}, {@code DSA 2048}, or the algorithm's
   * OID for anything else, from a DER SubjectPublicKeyInfo. Never throws: an unreadable key is
   * named {@code unknown}.
   */
  public static String describe(byte[] subjectPublicKeyInfo) {
    try {
      Der.Element spki = Der.read(subjectPublicKeyInfo, 0, subjectPublicKeyInfo.length);
      Der.Element algorithm = Der.children(subjectPublicKeyInfo, spki, 2).get(0);
      List<Der.Element> parts = Der.children(subjectPublicKeyInfo, algorithm, 2);
      String oid = Der.oid(subjectPublicKeyInfo, parts.get(0));
      if (NAMED.containsKey(oid)) {
        return NAMED.get(oid);
      }
      switch (oid) {
        case RSA, RSA_PSS -> {
          RSAPublicKey key = (RSAPublicKey) jca("RSA", subjectPublicKeyInfo);
          return (oid.equals(RSA) ? "RSA " : "RSA-PSS ") + key.getModulus().bitLength();
        }
        case EC -> {
          if (parts.size() > 1 && parts.get(1).tag() == Der.OBJECT_IDENTIFIER) {
            String curve = Der.oid(subjectPublicKeyInfo, parts.get(1));
            return "EC " + CURVES.getOrDefault(curve, curve);
          }
          ECPublicKey key = (ECPublicKey) jca("EC", subjectPublicKeyInfo);
          return "EC " + key.getParams().getCurve().getField().getFieldSize()
              + "-bit (explicit parameters)";
        }
        case DSA -> {
          DSAPublicKey key = (DSAPublicKey) jca("DSA", subjectPublicKeyInfo);
          return "DSA " + key.getParams().getP().bitLength();
        }
        default -> {
          return oid;
        }
      }
    } catch (RuntimeException | GeneralSecurityException e) {
      return "unknown";
    }
  }

  private static PublicKey jca(String algorithm, byte[] spki) throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
  }
}
