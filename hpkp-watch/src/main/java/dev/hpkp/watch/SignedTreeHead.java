package dev.hpkp.watch;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A tree head whose signature was verified with the log's key: from a Static CT API checkpoint
 * or an RFC 6962 {@code get-sth}.
 *
 * @param timestamp when the log signed it (milliseconds since the epoch)
 */
public record SignedTreeHead(long size, byte[] rootHash, long timestamp) {

  public SignedTreeHead {
    rootHash = rootHash.clone();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  public Instant signedAt() {
    return Instant.ofEpochMilli(timestamp);
  }

  /** {@code size 1234 root <base64>}: how alerts and logs name it. */
  public String describe() {
    return "size " + size + " root " + Base64.getEncoder().encodeToString(rootHash)
        + " signed " + signedAt();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedTreeHead h && size == h.size && timestamp == h.timestamp
        && Arrays.equals(rootHash, h.rootHash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 + Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return describe();
  }
}
