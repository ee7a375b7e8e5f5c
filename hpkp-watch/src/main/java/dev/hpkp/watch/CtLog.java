package dev.hpkp.watch;

import java.net.URI;

/**
 * One CT log as the watcher reads it, whichever API it serves. Everything it returns has been
 * checked against the log's key or is checked by the watcher against a verified tree head.
 */
interface CtLog {

  /** How alerts and the state name the log: its URL. */
  String name();

  URI url();

  LogKey key();

  /** The latest tree head, its signature verified. */
  SignedTreeHead treeHead() throws LogUnavailable, LogMisbehaviour, InterruptedException;

  /** Receives entries in order. */
  @FunctionalInterface
  interface Entries {
    void accept(LogEntry entry) throws LogUnavailable, LogMisbehaviour, InterruptedException;
  }

  /**
   * The entries {@code from} (inclusive) to {@code to} (exclusive) of the tree {@code head},
   * in order, each with its leaf hash, to {@code entries}; the caller checks the hashes against
   * the tree head.
   */
  void entries(long from, long to, SignedTreeHead head, Entries entries)
      throws LogUnavailable, LogMisbehaviour, InterruptedException;

  /**
   * Checks, before any entry is read, that {@code head} extends {@code last}: the RFC 6962
   * consistency proof. A Static API log proves it with the entries themselves.
   */
  default void checkConsistency(SignedTreeHead last, SignedTreeHead head)
      throws LogUnavailable, LogMisbehaviour, InterruptedException {}

  /**
   * The compact range of the tree {@code head} (the roots of its perfect subtrees), its root
   * checked against the head: where a watcher that starts at the end of the log begins.
   */
  default Merkle.Range rangeAt(SignedTreeHead head) throws LogUnavailable, LogMisbehaviour,
      InterruptedException {
    return rangeAt(head.size(), head);
  }

  /**
   * The compact range of the log's first {@code size} entries, read from what the tree {@code
   * head} publishes; checked against the head when {@code size} is its size, otherwise by the
   * watcher, when the entries from {@code size} on lead to the head's root.
   */
  Merkle.Range rangeAt(long size, SignedTreeHead head) throws LogUnavailable, LogMisbehaviour,
      InterruptedException;

  /**
   * The issuer whose DER has SHA-256 {@code fingerprint} (Static API), checked to hash to it;
   * null for an RFC 6962 log, whose entries carry their issuers.
   */
  byte[] issuer(byte[] fingerprint) throws LogUnavailable, LogMisbehaviour,
      InterruptedException;
}
