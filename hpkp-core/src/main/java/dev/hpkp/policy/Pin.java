package dev.hpkp.policy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

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
  private static final Pattern OTHER_ALGORITHM = Pattern.compile(
      "(?i)(sha1|sha224|sha384|sha512|pin-sha1|pin-sha384|pin-sha512|md5)[/=].*");

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
      throw new InvalidPinException("pin is null", "expected sha256/<44 characters of base64>",
          null);
    }
    String trimmed = text.strip();
    String encoded;
    if (trimmed.startsWith(PREFIX)) {
      encoded = trimmed.substring(PREFIX.length());
    } else if (trimmed.regionMatches(true, 0, DIRECTIVE_PREFIX, 0, DIRECTIVE_PREFIX.length())
        && trimmed.endsWith("\"") && trimmed.length() > DIRECTIVE_PREFIX.length()) {
      encoded = trimmed.substring(DIRECTIVE_PREFIX.length(), trimmed.length() - 1);
    } else if (OTHER_ALGORITHM.matcher(trimmed).matches()) {
      throw new InvalidPinException("'" + text + "' is a " + trimmed.substring(0,
          trimmed.indexOf(trimmed.contains("/") ? '/' : '=')).replace("pin-", "").toUpperCase(
          Locale.ROOT) + " pin, which this library does not support: RFC 7469 user"
          + " agents honour SHA-256 pins only", "compute the SHA-256 pin with 'hpkp pin' or the"
          + " openssl pipeline", null);
    } else {
      encoded = trimmed;
    }
    return decode(text, encoded);
  }

  /**
   * The strict form a header carries inside {@code pin-sha256="…"}: exactly the 44 characters of
   * canonical padded base64 of a 32-byte hash — no prefix, no whitespace (RFC 7469 §2.1.1).
   *
   * @throws IllegalArgumentException naming the value and what is wrong with it
   */
  public static Pin fromBase64(String base64) {
    if (base64 == null) {
      throw new InvalidPinException("pin is null", "expected 44 characters of base64", null);
    }
    if (base64.startsWith(PREFIX)) {
      throw new InvalidPinException("'" + base64 + "' starts with sha256/, which belongs"
          + " in configuration, not inside pin-sha256=\"…\"", "write only the base64", null);
    }
    for (int i = 0; i < base64.length(); i++) {
      if (Character.isWhitespace(base64.charAt(i))) {
        throw new InvalidPinException("'" + base64 + "' has whitespace at index " + i,
            "a pin is exactly 44 characters of base64", null);
      }
    }
    return decode(base64, base64);
  }

  /**
   * The pin a header's {@code pin-sha256} value names as Chromium and Firefox read it: any base64
   * (padded or not, any trailing bits) that decodes to 32 bytes. Null when it does not.
   */
  public static Pin fromLenientBase64(String base64) {
    try {
      byte[] decoded = Base64.getDecoder().decode(base64);
      return decoded.length == HASH_LENGTH ? new Pin(decoded) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Pin decode(String text, String encoded) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      if (encoded.length() != ENCODED_LENGTH) {
        throw new InvalidPinException("'" + text + "' is not a SHA-256 pin: expected"
            + " sha256/ followed by 44 characters of base64 ending in one '=' (a 32-byte hash),"
            + " got " + encoded.length() + " characters", null, e);
      }
      throw new InvalidPinException("'" + text + "' is not a SHA-256 pin: it is not valid"
          + " base64 (" + e.getMessage() + ")", "URL-safe base64 ('-', '_') is not accepted", e);
    }
    if (decoded.length != HASH_LENGTH) {
      throw new InvalidPinException("'" + text + "' is not a SHA-256 pin: it decodes to "
          + decoded.length + " bytes, a SHA-256 hash has 32 (44 characters of base64 ending in"
          + " one '=')", null, null);
    }
    Pin pin = new Pin(decoded);
    if (!pin.base64.equals(encoded)) {
      // Missing padding or non-zero trailing bits: decodes, but is not the form a header needs.
      throw new InvalidPinException("'" + text + "' is not a canonical base64 pin", "did you"
          + " mean " + pin + "?", null);
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
