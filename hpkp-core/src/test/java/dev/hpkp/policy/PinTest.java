package dev.hpkp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PinTest {

  private static final String B64 = "xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eM=";

  @Test
  void acceptsCanonicalBareAndDirectiveFormsAsTheSamePin() {
    Pin canonical = Pin.fromString("sha256/" + B64);
    assertThat(Pin.fromString(B64)).isEqualTo(canonical);
    assertThat(Pin.fromString("  " + B64 + "\n")).isEqualTo(canonical);
    assertThat(Pin.fromString("pin-sha256=\"" + B64 + "\"")).isEqualTo(canonical);
    assertThat(canonical.toString()).isEqualTo("sha256/" + B64);
    assertThat(canonical.base64()).isEqualTo(B64);
    assertThat(canonical.toDirective()).isEqualTo("pin-sha256=\"" + B64 + "\"");
    assertThat(canonical.hashCode()).isEqualTo(Pin.fromString(B64).hashCode());
  }

  @Test
  void hashBytesAreCopiedInAndOut() {
    byte[] hash = Base64.getDecoder().decode(B64);
    Pin pin = Pin.ofHash(hash);
    hash[0] ^= 1;
    assertThat(pin.base64()).isEqualTo(B64);
    byte[] out = pin.hash();
    out[1] ^= 1;
    assertThat(pin.hash()).isEqualTo(Base64.getDecoder().decode(B64));
  }

  @Test
  void rejectsWrongLengthQuotingTheInput() {
    assertThatThrownBy(() -> Pin.fromString("sha256/abc!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'sha256/abc!' is not a SHA-256 pin: expected sha256/ followed by 44"
            + " characters of base64 ending in one '=' (a 32-byte hash), got 4 characters");
  }

  @Test
  void namesTheByteCountOfAHashOfTheWrongSize() {
    String b31 = java.util.Base64.getEncoder().encodeToString(new byte[31]);
    String b33 = java.util.Base64.getEncoder().encodeToString(new byte[33]);
    assertThat(b31).hasSize(44);
    assertThat(b33).hasSize(44);
    assertThatThrownBy(() -> Pin.fromString("sha256/" + b31)).hasMessage("'sha256/" + b31
        + "' is not a SHA-256 pin: it decodes to 31 bytes, a SHA-256 hash has 32 (44 characters"
        + " of base64 ending in one '=')");
    assertThatThrownBy(() -> Pin.fromString(b33)).hasMessageContaining("it decodes to 33 bytes");
  }

  @Test
  void theHeaderFormIsExactlyCanonicalBase64() {
    Pin pin = Pin.fromString("sha256/" + B64);
    assertThat(Pin.fromBase64(B64)).isEqualTo(pin);
    assertThatThrownBy(() -> Pin.fromBase64("sha256/" + B64)).hasMessage("'sha256/" + B64
        + "' starts with sha256/, which belongs in configuration, not inside pin-sha256=\"…\";"
        + " write only the base64");
    assertThatThrownBy(() -> Pin.fromBase64(" " + B64)).hasMessage("' " + B64 + "' has"
        + " whitespace at index 0; a pin is exactly 44 characters of base64");
    assertThatThrownBy(() -> Pin.fromBase64(B64.substring(0, 43)))
        .hasMessageContaining("is not a canonical base64 pin; did you mean sha256/" + B64);
  }

  @Test
  void rejectsBadBase64() {
    String bad = "xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08e!=";
    assertThatThrownBy(() -> Pin.fromString(bad))
        .hasMessageStartingWith("'" + bad + "' is not a SHA-256 pin: it is not valid base64 (")
        .hasMessageEndingWith("); URL-safe base64 ('-', '_') is not accepted");
  }

  @Test
  void rejectsOtherAlgorithms() {
    assertThatThrownBy(() -> Pin.fromString("sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA="))
        .hasMessage("'sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=' is a SHA1 pin, which this library does"
            + " not support: RFC 7469 user agents honour SHA-256 pins only; compute the SHA-256"
            + " pin with 'hpkp pin' or the openssl pipeline");
  }

  @Test
  void rejectsNonCanonicalTrailingBitsAndSuggestsTheCanonicalForm() {
    // 'N' then '=' leaves two non-zero pad bits; the canonical encoding ends in 'M='.
    String noisy = "xMLAepRSG/vnWPW/Wg3sL8+TZod/w3W7UVSqaWw08eN=";
    assertThatThrownBy(() -> Pin.fromString(noisy))
        .hasMessage("'" + noisy + "' is not a canonical base64 pin; did you mean sha256/" + B64
            + "?");
  }

  @Test
  void rejectsNullAndWrongSizedHashes() {
    assertThatThrownBy(() -> Pin.fromString(null)).hasMessageContaining("pin is null");
    assertThatThrownBy(() -> Pin.ofHash(new byte[20]))
        .hasMessage("a SHA-256 pin hash has 32 bytes, got 20 bytes");
  }

  @Test
  void pinOfSubjectPublicKeyInfoIsSha256OfTheBytes() throws Exception {
    byte[] der = {0x30, 0x03, 0x02, 0x01, 0x05};
    byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(der);
    assertThat(Pin.ofSubjectPublicKeyInfo(der).hash()).isEqualTo(expected);
  }
}
