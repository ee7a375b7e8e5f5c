package dev.hpkp.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the benchmark's Static CT API log from the specifications, apart from the watcher's
 * reader: TileLeaf data tiles (gzip), level tiles, the issuer, a checkpoint and a get-sth answer
 * signed with ECDSA P-256.
 */
final class BenchLogWriter {

  private static final MessageDigest SHA256 = WatchThroughput.sha256();

  private BenchLogWriter() {}

  /** Mis-issued certificates for shop.example, each one issuance, spread over the log. */
  static final int MIS_ISSUED = 20;

  /** Writes the log; returns its root. The mis-issued certificates are spread evenly. */
  static byte[] write(Path dir, long entries, List<byte[]> pool, List<byte[]> misIssued,
      byte[] issuer, KeyPair key, String origin) throws Exception {
    Files.createDirectories(dir.resolve("issuer"));
    byte[] fingerprint = SHA256.digest(issuer);
    Files.write(dir.resolve("issuer/" + hex(fingerprint)), issuer);
    List<List<byte[]>> levels = new ArrayList<>();
    levels.add(new ArrayList<>());
    List<byte[]> range = new ArrayList<>(); // compact range, largest first
    ByteArrayOutputStream data = new ByteArrayOutputStream(1 << 20);
    long timestamp = System.currentTimeMillis() - entries;
    for (long i = 0; i < entries; i++) {
      long every = Math.max(1, entries / misIssued.size());
      byte[] certificate = i % every == every - 1 && i / every < misIssued.size()
          ? misIssued.get((int) (i / every)) : pool.get((int) (i % pool.size()));
      ByteArrayOutputStream entry = new ByteArrayOutputStream(certificate.length + 32);
      put(entry, 8, timestamp + i);
      put(entry, 2, 0);
      put(entry, 3, certificate.length);
      entry.write(certificate);
      put(entry, 2, 8);
      entry.write(0);
      put(entry, 2, 5);
      put(entry, 5, i);
      byte[] timestamped = entry.toByteArray();
      SHA256.update(new byte[] {0, 0, 0});
      byte[] leafHash = SHA256.digest(timestamped);
      data.write(timestamped);
      put(data, 2, 32);
      data.write(fingerprint);
      levels.get(0).add(leafHash);
      append(range, i, leafHash);
      if (levels.get(0).size() == 256) {
        long tile = i / 256;
        Files.write(tilePath(dir, "data", tile, 256), gzip(data.toByteArray()));
        data.reset();
        flush(dir, levels, 0, tile);
      }
    }
    int width = levels.get(0).size();
    if (width > 0) {
      Files.write(tilePath(dir, "data", entries / 256, width), gzip(data.toByteArray()));
    }
    for (int level = 0; level < levels.size(); level++) {
      List<byte[]> partial = levels.get(level);
      if (!partial.isEmpty()) {
        long index = (entries >>> (8 * level)) / 256;
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        for (byte[] hash : partial) {
          hashes.write(hash);
        }
        Files.write(tilePath(dir, Integer.toString(level), index, partial.size()),
            hashes.toByteArray());
      }
    }
    byte[] root = range.get(range.size() - 1);
    for (int i = range.size() - 2; i >= 0; i--) {
      root = node(range.get(i), root);
    }
    long signedAt = System.currentTimeMillis();
    ByteBuffer signed = ByteBuffer.allocate(50);
    signed.put((byte) 0).put((byte) 1).putLong(signedAt).putLong(entries).put(root);
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(key.getPrivate());
    signature.update(signed.array());
    byte[] der = signature.sign();
    byte[] logId = SHA256.digest(key.getPublic().getEncoded());
    SHA256.update(origin.getBytes(StandardCharsets.UTF_8));
    SHA256.update(new byte[] {0x0a, 0x05});
    byte[] keyId = Arrays.copyOf(SHA256.digest(logId), 4);
    ByteBuffer note = ByteBuffer.allocate(4 + 8 + 4 + der.length);
    note.put(keyId).putLong(signedAt).put((byte) 4).put((byte) 3).putShort((short) der.length)
        .put(der);
    Files.writeString(dir.resolve("sth.json"), "{\"tree_size\":" + entries
        + ",\"timestamp\":" + signedAt + ",\"sha256_root_hash\":\""
        + Base64.getEncoder().encodeToString(root) + "\",\"tree_head_signature\":\""
        + Base64.getEncoder().encodeToString(Arrays.copyOfRange(note.array(), 12,
        note.array().length)) + "\"}");
    Files.writeString(dir.resolve("checkpoint"), origin + "\n" + entries + "\n"
        + Base64.getEncoder().encodeToString(root) + "\n\n\u2014 " + origin + " "
        + Base64.getEncoder().encodeToString(note.array()) + "\n");
    return root;
  }

  /** Writes full tile {@code tile} of {@code level} and hashes it into the level above. */
  private static void flush(Path dir, List<List<byte[]>> levels, int level, long tile)
      throws IOException {
    List<byte[]> hashes = levels.get(level);
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    for (byte[] hash : hashes) {
      out.write(hash);
    }
    Files.write(tilePath(dir, Integer.toString(level), tile, 256), out.toByteArray());
    List<byte[]> nodes = new ArrayList<>(hashes);
    while (nodes.size() > 1) {
      List<byte[]> up = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i += 2) {
        up.add(node(nodes.get(i), nodes.get(i + 1)));
      }
      nodes = up;
    }
    hashes.clear();
    if (levels.size() == level + 1) {
      levels.add(new ArrayList<>());
    }
    levels.get(level + 1).add(nodes.get(0));
    if (levels.get(level + 1).size() == 256) {
      flush(dir, levels, level + 1, tile / 256);
    }
  }

  private static void append(List<byte[]> range, long size, byte[] leafHash) {
    byte[] hash = leafHash;
    for (long s = size; (s & 1) == 1; s >>>= 1) {
      hash = node(range.remove(range.size() - 1), hash);
    }
    range.add(hash);
  }

  private static byte[] node(byte[] left, byte[] right) {
    SHA256.update((byte) 1);
    SHA256.update(left);
    return SHA256.digest(right);
  }

  static Path tilePath(Path dir, String level, long index, int width)
      throws IOException {
    String digits = Long.toString(index);
    int groups = (digits.length() + 2) / 3;
    digits = "0".repeat(groups * 3 - digits.length()) + digits;
    StringBuilder path = new StringBuilder("tile/").append(level);
    for (int i = 0; i < groups; i++) {
      path.append('/').append(i < groups - 1 ? "x" : "").append(digits, i * 3, i * 3 + 3);
    }
    if (width < 256) {
      path.append(".p/").append(width);
    }
    Path file = dir.resolve(path.toString());
    Files.createDirectories(file.getParent());
    return file;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  static void put(ByteArrayOutputStream out, int bytes, long value) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }
}
