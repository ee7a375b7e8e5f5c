package dev.hpkp.watch;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a CT log, as either read API serves it, with its leaf hash computed from the
 * bytes read (RFC 6962 §3.4: {@code MerkleTreeLeaf = v1, timestamped_entry, TimestampedEntry}).
 *
 * @param certificate the X.509 certificate, or the precertificate (with its poison extension)
 * @param issuerKeyHash for a precertificate, SHA-256 of its issuer's SubjectPublicKeyInfo (the
 *     issuer's pin); null for a certificate
 * @param issuerFingerprints the Static API's SHA-256 of each issuer of the submitted chain
 * @param issuers the RFC 6962 API's issuers of the submitted chain, as DER
 */
record LogEntry(long index, long timestamp, boolean precert, byte[] certificate,
    byte[] issuerKeyHash, List<byte[]> issuerFingerprints, List<byte[]> issuers,
    byte[] leafHash) {

  private static final int X509_ENTRY = 0;
  private static final int PRECERT_ENTRY = 1;

  /** The TimestampedEntry's parts, and the MerkleTreeLeaf they make. */
  private record Timestamped(long timestamp, boolean precert, byte[] certificate,
      byte[] issuerKeyHash, byte[] merkleTreeLeaf) {}

  /**
   * The entries of a Static API data tile ({@code TileLeaf} after {@code TileLeaf}).
   *
   * @param first the index of the tile's first entry
   * @param count how many entries the tile must hold (256, or a partial tile's width)
   */
  static List<LogEntry> fromDataTile(byte[] tile, long first, int count, MessageDigest digest)
      throws LogMisbehaviour {
    String what = "data tile at index " + first;
    TlsReader in = new TlsReader(tile, what);
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long index = first + i;
      Timestamped entry = timestamped(in, index, what);
      byte[] certificate = entry.certificate();
      if (entry.precert()) {
        certificate = in.vector(3); // pre_certificate: the precertificate as submitted
      }
      TlsReader chain = new TlsReader(in.vector(2), "the issuer fingerprints of entry " + index);
      List<byte[]> fingerprints = new ArrayList<>();
      while (!chain.atEnd()) {
        fingerprints.add(chain.fixed(32));
      }
      entries.add(new LogEntry(index, entry.timestamp(), entry.precert(), certificate,
          entry.issuerKeyHash(), fingerprints, List.of(),
          Merkle.leafHash(digest, entry.merkleTreeLeaf())));
    }
    in.requireEnd();
    return entries;
  }

  /**
   * An RFC 6962 {@code get-entries} entry: {@code leaf_input} (a MerkleTreeLeaf) and {@code
   * extra_data} (the chain, and for a precertificate the precertificate first).
   */
  static LogEntry fromLeafInput(long index, byte[] leafInput, byte[] extraData,
      MessageDigest digest) throws LogMisbehaviour {
    String what = "the leaf_input of entry " + index;
    TlsReader in = new TlsReader(leafInput, what);
    if (in.uint(1) != 0 || in.uint(1) != 0) {
      throw new LogMisbehaviour(what + " is not a v1 timestamped_entry MerkleTreeLeaf");
    }
    Timestamped entry = timestamped(in, index, what);
    in.requireEnd();
    TlsReader extra = new TlsReader(extraData, "the extra_data of entry " + index);
    byte[] certificate = entry.precert() ? extra.vector(3) : entry.certificate();
    TlsReader chain = new TlsReader(extra.vector(3), "the chain of entry " + index);
    extra.requireEnd();
    List<byte[]> issuers = new ArrayList<>();
    while (!chain.atEnd()) {
      issuers.add(chain.vector(3));
    }
    return new LogEntry(index, entry.timestamp(), entry.precert(), certificate,
        entry.issuerKeyHash(), List.of(), issuers, Merkle.leafHash(digest, leafInput));
  }

  private static Timestamped timestamped(TlsReader in, long index, String what)
      throws LogMisbehaviour {
    int start = in.position();
    long timestamp = in.uint64();
    int type = (int) in.uint(2);
    byte[] certificate = null;
    byte[] issuerKeyHash = null;
    if (type == X509_ENTRY) {
      certificate = in.vector(3);
    } else if (type == PRECERT_ENTRY) {
      issuerKeyHash = in.fixed(32);
      in.vector(3); // the TBSCertificate: the names are read from the precertificate itself
    } else {
      throw new LogMisbehaviour(what + ": entry " + index + " has entry_type " + type
          + ", neither x509 (0) nor precert (1)");
    }
    byte[] extensions = in.vector(2);
    checkLeafIndex(extensions, index, what);
    ByteArrayOutputStream leaf = new ByteArrayOutputStream();
    leaf.write(0); // version v1
    leaf.write(0); // leaf_type timestamped_entry
    byte[] timestamped = in.since(start);
    leaf.write(timestamped, 0, timestamped.length);
    return new Timestamped(timestamp, type == PRECERT_ENTRY, certificate, issuerKeyHash,
        leaf.toByteArray());
  }

  /**
   * Static API logs put a {@code leaf_index} extension (type 0, a 40-bit index) in every
   * entry; where there is one, it must be the entry's index. Other extensions are kept in the
   * hash and otherwise ignored.
   */
  private static void checkLeafIndex(byte[] extensions, long index, String what)
      throws LogMisbehaviour {
    TlsReader in = new TlsReader(extensions, what + ": the extensions of entry " + index);
    while (!in.atEnd()) {
      int type = (int) in.uint(1);
      byte[] data = in.vector(2);
      if (type == 0) {
        if (data.length != 5) {
          throw new LogMisbehaviour(what + ": entry " + index + " has a leaf_index extension"
              + " of " + data.length + " bytes, not 5");
        }
        long leafIndex = new TlsReader(data, "leaf_index").uint(5);
        if (leafIndex != index) {
          throw new LogMisbehaviour(what + ": entry " + index + " says it is entry "
              + leafIndex + " (its leaf_index extension)");
        }
      }
    }
  }
}
