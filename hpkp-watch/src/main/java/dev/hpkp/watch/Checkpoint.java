package dev.hpkp.watch;

import dev.hpkp.text.Printable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A Static CT API checkpoint (c2sp.org/tlog-checkpoint, signed-note, static-ct-api): the origin,
 * the tree size and root hash, and the log's RFC6962NoteSignature line, found by the origin as
 * key name and the key ID derived from the log's key. Lines of other keys (witnesses) are
 * ignored, as the spec requires.
 */
final class Checkpoint {

  /** A checkpoint is a few hundred bytes; anything much larger is not one. */
  static final int MAX_BYTES = 16 * 1024;

  private Checkpoint() {}

  /**
   * The verified tree head of {@code text}.
   *
   * @param origin the origin the log must name (its submission prefix without scheme)
   * @throws LogMisbehaviour naming what is wrong: the form, the origin, a missing or bad
   *     signature
   */
  static SignedTreeHead verify(byte[] bytes, String origin, LogKey key) throws LogMisbehaviour {
    if (bytes.length > MAX_BYTES) {
      throw new LogMisbehaviour("the checkpoint is " + bytes.length + " bytes, over "
          + MAX_BYTES);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int blank = text.indexOf("\n\n");
    if (blank < 0 || !text.endsWith("\n")) {
      throw new LogMisbehaviour("the checkpoint is not a signed note (no blank line between"
          + " the text and the signatures, or no final newline)");
    }
    List<String> body = List.of(text.substring(0, blank).split("\n", -1));
    if (body.size() != 3) {
      throw new LogMisbehaviour("the checkpoint has " + body.size() + " lines of text; a"
          + " Static CT API checkpoint has exactly origin, size and root hash");
    }
    if (!body.get(0).equals(origin)) {
      throw new LogMisbehaviour("the checkpoint's origin is '" + printable(body.get(0))
          + "', not the log's '" + origin + "'");
    }
    long size = size(body.get(1));
    byte[] root = base64(body.get(2), "the checkpoint's root hash");
    if (root.length != Merkle.HASH_BYTES) {
      throw new LogMisbehaviour("the checkpoint's root hash has " + root.length + " bytes");
    }
    byte[] keyId = keyId(origin, key);
    String prefix = "\u2014 " + origin + " ";
    for (String line : text.substring(blank + 2, text.length() - 1).split("\n", -1)) {
      if (!line.startsWith(prefix)) {
        continue; // another key's signature: ignored
      }
      byte[] signature = base64(line.substring(prefix.length()), "a checkpoint signature");
      if (signature.length < 4 || !Arrays.equals(Arrays.copyOf(signature, 4), keyId)) {
        continue; // the same name, another key (ID)
      }
      TlsReader in = new TlsReader(signature, 4, signature.length, "the checkpoint signature");
      long timestamp = in.uint64();
      if (!key.verifiesTreeHead(timestamp, size, root, Arrays.copyOfRange(signature, 12,
          signature.length))) {
        throw new LogMisbehaviour("the checkpoint's signature (size " + size + ") does not"
            + " verify with the log's key");
      }
      return new SignedTreeHead(size, root, timestamp);
    }
    throw new LogMisbehaviour("the checkpoint carries no signature of the log's key (key name "
        + origin + ", key ID " + hex(keyId) + ")");
  }

  /** The signed-note key ID: SHA-256(key name || 0x0A || 0x05 || LogID), first 4 bytes. */
  static byte[] keyId(String origin, LogKey key) {
    MessageDigest digest = Merkle.sha256();
    digest.update(origin.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0x0a);
    digest.update((byte) 0x05);
    return Arrays.copyOf(digest.digest(key.logId()), 4);
  }

  /** The checkpoint for a tree head, as a log writes it (for tests and the example's log). */
  static String text(String origin, long size, byte[] root, byte[] keyId, long timestamp,
      byte[] digitallySigned) {
    ByteBuffer signature = ByteBuffer.allocate(4 + 8 + digitallySigned.length);
    signature.put(keyId).putLong(timestamp).put(digitallySigned);
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n\n"
        + "\u2014 " + origin + " " + Base64.getEncoder().encodeToString(signature.array())
        + "\n";
  }

  private static long size(String text) throws LogMisbehaviour {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || text.length() > 1 && text.charAt(0) == '0') {
      throw new LogMisbehaviour("the checkpoint's tree size '" + printable(text)
          + "' is not a decimal number");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new LogMisbehaviour("the checkpoint's tree size " + text + " is above 2^63-1");
    }
  }

  private static byte[] base64(String text, String what) throws LogMisbehaviour {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new LogMisbehaviour(what + " is not base64");
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(Character.forDigit(b >> 4 & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return out.toString();
  }

  private static String printable(String text) {
    String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return Printable.escape(cut);
  }
}
