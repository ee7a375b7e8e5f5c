package dev.hpkp.watch;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A log's public key (RFC 6962 §3.2: ECDSA P-256 or RSA, as a DER SubjectPublicKeyInfo) and
 * what it verifies: tree head signatures, whichever API carried them.
 */
public final class LogKey {

  private final byte[] spki;
  private final PublicKey key;
  private final byte[] logId;

  private LogKey(byte[] spki, PublicKey key) {
    this.spki = spki;
    this.key = key;
    this.logId = Merkle.sha256().digest(spki);
  }

  /**
   * The key whose DER SubjectPublicKeyInfo is {@code spki}.
   *
   * @throws IllegalArgumentException naming what is wrong, when it is no ECDSA P-256 or RSA key
   */
  public static LogKey of(byte[] spki) {
    for (String algorithm : new String[] {"EC", "RSA"}) {
      try {
        PublicKey key = KeyFactory.getInstance(algorithm)
            .generatePublic(new X509EncodedKeySpec(spki));
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField()
            .getFieldSize() != 256) {
          throw new IllegalArgumentException("the log key is an EC key on a "
              + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve; CT logs"
              + " sign with ECDSA P-256 (or RSA)");
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
          throw new IllegalArgumentException("the log key is a " + rsa.getModulus().bitLength()
              + "-bit RSA key; RFC 6962 logs use at least 2048 bits");
        }
        return new LogKey(spki.clone(), key);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException("the log key is not a DER SubjectPublicKeyInfo of an"
        + " ECDSA P-256 or RSA key (" + spki.length + " bytes); give the key as log lists carry"
        + " it (base64 of the DER, 'MFkw…' for P-256) or as a PEM public key");
  }

  /**
   * The key given as base64 (as log lists carry it), or as a PEM public key.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static LogKey parse(String text) {
    String body = text.strip();
    if (body.startsWith("-----BEGIN PUBLIC KEY-----")) {
      int end = body.indexOf("-----END PUBLIC KEY-----");
      if (end < 0) {
        throw new IllegalArgumentException("the PEM log key has no -----END PUBLIC KEY----- line");
      }
      body = body.substring("-----BEGIN PUBLIC KEY-----".length(), end);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the log key is not base64 (" + e.getMessage() + ")");
    }
    return of(der);
  }

  /** RFC 6962's LogID: SHA-256 of the SubjectPublicKeyInfo. */
  public byte[] logId() {
    return logId.clone();
  }

  public String logIdBase64() {
    return Base64.getEncoder().encodeToString(logId);
  }

  byte[] spki() {
    return spki.clone();
  }

  /**
   * Whether {@code digitallySigned} (RFC 6962 DigitallySigned: hash, signature algorithm,
   * signature) is this key's signature over the TreeHeadSignature of the tree head.
   *
   * @throws LogMisbehaviour when the DigitallySigned structure itself is malformed
   */
  boolean verifiesTreeHead(long timestamp, long treeSize, byte[] rootHash,
      byte[] digitallySigned) throws LogMisbehaviour {
    ByteBuffer signed = ByteBuffer.allocate(2 + 8 + 8 + 32);
    signed.put((byte) 0).put((byte) 1).putLong(timestamp).putLong(treeSize).put(rootHash);
    return verifies(signed.array(), digitallySigned, "the tree head signature");
  }

  private boolean verifies(byte[] data, byte[] digitallySigned, String what)
      throws LogMisbehaviour {
    TlsReader in = new TlsReader(digitallySigned, what);
    int hash = (int) in.uint(1);
    int algorithm = (int) in.uint(1);
    byte[] signature = in.vector(2);
    in.requireEnd();
    if (hash != 4) {
      throw new LogMisbehaviour(what + " uses hash algorithm " + hash + ", not SHA-256 (4)");
    }
    String jca = switch (algorithm) {
      case 3 -> key instanceof ECPublicKey ? "SHA256withECDSA" : null;
      case 1 -> key instanceof RSAPublicKey ? "SHA256withRSA" : null;
      default -> null;
    };
    if (jca == null) {
      throw new LogMisbehaviour(what + " uses signature algorithm " + algorithm
          + ", which is not the log key's (" + key.getAlgorithm() + ")");
    }
    try {
      Signature verifier = Signature.getInstance(jca);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a signature that does not even decode does not verify
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogKey k && Arrays.equals(spki, k.spki);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(spki);
  }
}
