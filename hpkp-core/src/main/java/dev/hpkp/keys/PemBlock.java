package dev.hpkp.keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN TYPE----- … -----END TYPE-----} block of a PEM file (RFC 7468).
 *
 * @param type the label, e.g. {@code CERTIFICATE} or {@code ENCRYPTED PRIVATE KEY}
 * @param text the whole block, armour included, as it stands in the file (legacy encrypted keys
 *     carry {@code Proc-Type}/{@code DEK-Info} headers that only this text keeps)
 * @param index the block's place in the file, from 0
 */
public record PemBlock(String type, String text, int index) {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]{1,64})-----(.*?)-----END ([A-Z0-9 ]{1,64})-----", Pattern.DOTALL);

  /**
   * Splits PEM text into its blocks; text between blocks (openssl's "Bag Attributes") is skipped.
   */
  public static List<PemBlock> split(String pem, String source) {
    List<PemBlock> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem);
    int end = 0;
    while (matcher.find()) {
      if (!matcher.group(1).equals(matcher.group(3))) {
        throw KeyMaterialException.of(KeyMaterialException.Reason.UNREADABLE, source,
            "PEM block " + (blocks.size() + 1) + " begins as " + matcher.group(1)
            + " but ends as " + matcher.group(3), "re-export it", null);
      }
      blocks.add(new PemBlock(matcher.group(1), matcher.group(), blocks.size()));
      end = matcher.end();
    }
    int cut = pem.indexOf("-----BEGIN ", end);
    if (cut >= 0) {
      // a block that begins and never ends: a file read while it was being written
      throw KeyMaterialException.of(KeyMaterialException.Reason.UNREADABLE, source,
          "PEM block " + (blocks.size() + 1) + " begins but never ends: the file is cut short"
          + " (read while it was being written?)", "wait until the writer has finished, or"
          + " write the whole file again", null);
    }
    return blocks;
  }

  /**
   * The DER content: the base64 between the armour lines, whitespace ignored.
   *
   * @throws KeyMaterialException naming {@code source} when the body is not valid base64 or the
   *     block carries headers (an encrypted legacy key)
   */
  public byte[] der(String source) {
    String body = text.substring(text.indexOf("-----", 5) + 5, text.lastIndexOf("-----END"));
    if (body.indexOf(':') >= 0) {
      throw KeyMaterialException.of(KeyMaterialException.Reason.UNSUPPORTED, source,
          "PEM block " + (index + 1) + " (" + type + ") has headers",
          "it is an encrypted legacy key", null);
    }
    try {
      return Base64.getDecoder().decode(withoutWhitespace(body));
    } catch (IllegalArgumentException e) {
      throw KeyMaterialException.of(KeyMaterialException.Reason.UNREADABLE, source,
          "PEM block " + (index + 1) + " (" + type + ") is not valid base64 ("
          + e.getMessage() + ")", "re-export it", e);
    }
  }

  /**
   * The bytes of {@code text} without spaces, tabs and line breaks: a byte loop over the Latin-1
   * encoding (the collector's hot path). A character above U+00FF becomes '?', which no base64
   * decoder accepts, so nothing invalid slips through.
   */
  public static byte[] withoutWhitespace(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (byte b : bytes) {
      if (b != '\n' && b != '\r' && b != ' ' && b != '\t') {
        bytes[length++] = b;
      }
    }
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }

}
