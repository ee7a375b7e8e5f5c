package dev.hpkp.keys;

/**
 * Reads the key formats the JDK cannot: certificate signing requests, private keys (PKCS#8,
 * encrypted PKCS#8, PKCS#1, SEC1, OpenSSL DSA, legacy encrypted PEM) and PKCS#1 RSA public keys.
 *
 * <p>The {@code hpkp-keys-bouncycastle} module provides the implementation (with BouncyCastle)
 * through {@link java.util.ServiceLoader}; {@link KeyMaterial} asks it for every PEM block and
 * DER object that is not a certificate, a SubjectPublicKeyInfo or a keystore. Without it those
 * are refused with {@link KeyMaterialException.Reason#NEEDS_KEYS_MODULE}.
 */
public interface KeyFormats {

  /**
   * The key in one PEM block, or null for a block that holds no key and is harmless (openssl's
   * {@code EC PARAMETERS}).
   *
   * @param position the entry's position among the keys read so far
   * @param password null when none was given
   * @throws KeyMaterialException naming {@code source} when the block cannot be read
   */
  KeyEntry readPem(PemBlock block, int position, String source, char[] password);

  /**
   * The key in one DER object.
   *
   * @throws KeyMaterialException naming {@code source} when it is no key this reader knows
   */
  KeyEntry readDer(byte[] der, int position, String source, char[] password);
}
