package dev.hpkp.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A public key pin: the SHA-256 hash of a DER-encoded SubjectPublicKeyInfo (RFC 7469 §2.4).
 *
 * <p>A pin has one written form, used in configuration, in error messages and in output:
 * {@code sha256/<base64>}, the form OkHttp's {@code CertificatePinner} uses. {@link #fromString}
 * also accepts the bare base64 that the openssl pipeline prints, and the RFC 7469 directive
 * form {@code pin-sha256="<base64>"}. Instances are immutable; byte arrays are copied in and out.
 */
public final class Pin implements Comparable<Pin> {

  /** Length of a SHA-256 hash in bytes. */
  public static final int HASH_LENGTH = 32;

  private static final String PREFIX = "sha256/";
  private static final String DIRECTIVE_PREFIX = "pin-sha256=\"";
  private static final int ENCODED_LENGTH = 44;

  private final byte[] hash;
  private final String base64;

  private Pin(byte[] hash) {
    this.hash = hash;
    this.base64 = Base64.getEncoder().encodeToString(hash);
  }

  /**
   * Parses a pin written as {@code sha256/<base64>}, as bare base64 (openssl's output), or as
   * {@code pin-sha256="<base64>"}. Surrounding whitespace is ignored.
   *
   * @throws IllegalArgumentException naming the input when it is not one of these forms, is not
   *     valid padded base64, or does not decode to exactly 32 bytes
   */
  public static Pin fromString(String text) {
    if (text == null) {
      throw new IllegalArgumentException("pin is null; expected sha256/<44 characters of base64>");
    }
    String trimmed = text.strip();
    String encoded;
    if (trimmed.startsWith(PREFIX)) {
      encoded = trimmed.substring(PREFIX.length());
    } else if (trimmed.regionMatches(true, 0, DIRECTIVE_PREFIX, 0, DIRECTIVE_PREFIX.length())
        && trimmed.endsWith("\"") && trimmed.length() > DIRECTIVE_PREFIX.length()) {
      encoded = trimmed.substring(DIRECTIVE_PREFIX.length(), trimmed.length() - 1);
    } else if (trimmed.matches("(?i)(sha1|sha384|sha512|pin-sha1|md5)[/=].*")) {
      throw new IllegalArgumentException("'" + text + "' is not a SHA-256 pin; RFC 7469 user agents"
          + " only honour sha256 pins: compute it with 'hpkp pin' or the openssl pipeline");
    } else {
      encoded = trimmed;
    }
    if (encoded.length() != ENCODED_LENGTH || !encoded.endsWith("=") || encoded.endsWith("==")) {
      throw new IllegalArgumentException("'" + text + "' is not a SHA-256 pin: expected sha256/"
          + " followed by 44 characters of base64 ending in one '=' (a 32-byte hash), got "
          + encoded.length() + " characters");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a SHA-256 pin: it is not valid"
          + " base64 (" + e.getMessage() + "); URL-safe base64 ('-', '_') is not accepted", e);
    }
    if (decoded.length != HASH_LENGTH) {
      throw new IllegalArgumentException("'" + text + "' is not a SHA-256 pin: it decodes to "
          + decoded.length + " bytes, a SHA-256 hash has 32");
    }
    Pin pin = new Pin(decoded);
    if (!pin.base64.equals(encoded)) {
      // Non-canonical trailing bits: decodes, but would not match byte for byte in a header.
      throw new IllegalArgumentException("'" + text + "' is not a canonical base64 pin; did you"
          + " mean " + pin + "?");
    }
    return pin;
  }

  /** A pin from a 32-byte SHA-256 hash; the array is copied. */
  public static Pin ofHash(byte[] sha256) {
    if (sha256 == null || sha256.length != HASH_LENGTH) {
      throw new IllegalArgumentException("a SHA-256 pin hash has 32 bytes, got "
          + (sha256 == null ? "null" : sha256.length + " bytes"));
    }
    return new Pin(sha256.clone());
  }

  /** The pin of a DER-encoded SubjectPublicKeyInfo: SHA-256 over exactly these bytes. */
  public static Pin ofSubjectPublicKeyInfo(byte[] derSubjectPublicKeyInfo) {
    if (derSubjectPublicKeyInfo == null || derSubjectPublicKeyInfo.length == 0) {
      throw new IllegalArgumentException("SubjectPublicKeyInfo is empty");
    }
    try {
      return new Pin(MessageDigest.getInstance("SHA-256").digest(derSubjectPublicKeyInfo));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** A copy of the 32 hash bytes. */
  public byte[] hash() {
    return hash.clone();
  }

  /** The 44-character padded base64 of the hash, as openssl prints it. */
  public String base64() {
    return base64;
  }

  /** The RFC 7469 directive form: {@code pin-sha256="<base64>"}. */
  public String toDirective() {
    return "pin-sha256=\"" + base64 + "\"";
  }

  /** The canonical written form: {@code sha256/<base64>}. */
  @Override
  public String toString() {
    return PREFIX + base64;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Pin && Arrays.equals(hash, ((Pin) other).hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public int compareTo(Pin other) {
    return Arrays.compare(hash, other.hash);
  }
}
