package dev.hpkp.watch;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * RFC 6962 §2.1 Merkle tree hashing, and the compact range of a tree's first {@code size}
 * leaves: the roots of its perfect subtrees, left to right, from which the root of the tree is
 * computed and to which the next leaves are appended. A watcher keeps one per log: appending
 * the entries it reads and comparing the root with the log's signed tree head proves, at once,
 * that every entry read belongs to that tree and that the new tree extends the old one.
 */
final class Merkle {

  static final int HASH_BYTES = 32;

  private Merkle() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** {@code SHA-256(0x00 || leaf)}. */
  static byte[] leafHash(MessageDigest digest, byte[] leaf) {
    digest.reset();
    digest.update((byte) 0);
    return digest.digest(leaf);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  static byte[] nodeHash(MessageDigest digest, byte[] left, byte[] right) {
    digest.reset();
    digest.update((byte) 1);
    digest.update(left);
    return digest.digest(right);
  }

  /** The root of the empty tree: {@code SHA-256("")}. */
  static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** The root of a perfect subtree whose leaves' (or nodes') hashes are {@code hashes}. */
  static byte[] rootOfPerfect(MessageDigest digest, List<byte[]> hashes) {
    List<byte[]> level = hashes;
    while (level.size() > 1) {
      List<byte[]> up = new ArrayList<>(level.size() / 2);
      for (int i = 0; i + 1 < level.size(); i += 2) {
        up.add(nodeHash(digest, level.get(i), level.get(i + 1)));
      }
      level = up;
    }
    return level.get(0);
  }

  /**
   * Whether {@code proof} shows the tree ({@code second}, {@code secondRoot}) extends the tree
   * ({@code first}, {@code firstRoot}): RFC 9162 §2.1.4.2's verification of an RFC 6962
   * consistency proof, for 0 < first < second.
   */
  static boolean consistent(long first, long second, byte[] firstRoot, byte[] secondRoot,
      List<byte[]> proof) {
    if (first <= 0 || first >= second || proof.isEmpty()) {
      return false;
    }
    MessageDigest digest = sha256();
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(first) == 1) {
      path.add(0, firstRoot);
    }
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(digest, c, fr);
        sr = nodeHash(digest, c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = nodeHash(digest, sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
  }

  /**
   * The compact range of a tree of {@code size} leaves from the hash of its last leaf and that
   * leaf's audit path (RFC 6962 §2.1.1), bottom-up: the path's nodes are all left siblings,
   * the first ones merge with the leaf into the rightmost subtree, the rest are the others.
   */
  static Range rangeFromLastLeaf(long size, byte[] lastLeafHash, List<byte[]> auditPath) {
    MessageDigest digest = sha256();
    int lowest = Long.numberOfTrailingZeros(size);
    if (auditPath.size() != Long.bitCount(size) - 1 + lowest) {
      throw new IllegalArgumentException("an audit path of the last of " + size + " leaves"
          + " has " + (Long.bitCount(size) - 1 + lowest) + " nodes, not " + auditPath.size());
    }
    byte[] right = lastLeafHash;
    for (int i = 0; i < lowest; i++) {
      right = nodeHash(digest, auditPath.get(i), right);
    }
    List<byte[]> hashes = new ArrayList<>();
    for (int i = auditPath.size() - 1; i >= lowest; i--) {
      hashes.add(auditPath.get(i));
    }
    hashes.add(right);
    return Range.of(size, hashes);
  }

  /** The perfect subtrees of a compact range from 0 to {@code size}, appended to in order. */
  static final class Range {
    private final MessageDigest digest = sha256();
    private long size;
    /** The subtree roots, largest (leftmost) first; one per set bit of size. */
    private final List<byte[]> hashes;

    Range() {
      this(0, new ArrayList<>());
    }

    private Range(long size, List<byte[]> hashes) {
      this.size = size;
      this.hashes = hashes;
    }

    /**
     * A range from the roots of its perfect subtrees, largest first, one per set bit of {@code
     * size}, as {@link #hashes()} gives them.
     */
    static Range of(long size, List<byte[]> hashes) {
      if (size < 0 || Long.bitCount(size) != hashes.size()) {
        throw new IllegalArgumentException("a range of " + size + " leaves has "
            + Long.bitCount(Math.max(size, 0)) + " subtrees, not " + hashes.size());
      }
      List<byte[]> copy = new ArrayList<>();
      for (byte[] hash : hashes) {
        if (hash.length != HASH_BYTES) {
          throw new IllegalArgumentException("a subtree hash has " + hash.length + " bytes");
        }
        copy.add(hash.clone());
      }
      return new Range(size, copy);
    }

    long size() {
      return size;
    }

    List<byte[]> hashes() {
      return hashes.stream().map(byte[]::clone).toList();
    }

    Range copy() {
      return of(size, hashes);
    }

    /** Appends the leaf whose hash is {@code leafHash}. */
    void append(byte[] leafHash) {
      byte[] hash = leafHash;
      // merge with the subtrees of equal height: as many as trailing one bits of size
      for (long s = size; (s & 1) == 1; s >>>= 1) {
        hash = nodeHash(digest, hashes.remove(hashes.size() - 1), hash);
      }
      hashes.add(hash);
      size++;
    }

    /** The root of the tree of {@link #size()} leaves. */
    byte[] root() {
      if (hashes.isEmpty()) {
        return emptyRoot();
      }
      byte[] root = hashes.get(hashes.size() - 1);
      for (int i = hashes.size() - 2; i >= 0; i--) {
        root = nodeHash(digest, hashes.get(i), root);
      }
      return root;
    }

    /** The hashes as one base64 string each, for the state file. */
    List<String> encoded() {
      return hashes.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
    }

    boolean rootEquals(byte[] expected) {
      return Arrays.equals(root(), expected);
    }
  }
}
