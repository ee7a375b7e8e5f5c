package dev.hpkp.report;

import dev.hpkp.policy.ChainCertificate;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the collector derived from each certificate (pin, subject, issuer, expiry), keyed by the
 * SHA-256 of its DER bytes — not by its PEM text, which an attacker can vary at will — and
 * bounded by bytes, not entries: when an entry would take the total past the budget, the cache
 * starts over. Worst case: the budget plus one entry, and an entry is at most a few times the
 * certificate's size, which {@code maxBodyBytes} bounds.
 */
final class CertificateCache {

  /** The default budget: a few thousand ordinary certificates' derived facts. */
  static final long DEFAULT_BUDGET_BYTES = 4L << 20;
  /** Map entry, key, record and Instant, roughly; strings are counted on top. */
  private static final int ENTRY_OVERHEAD = 256;

  private final long budgetBytes;
  private final Map<ByteBuffer, ChainCertificate> entries = new ConcurrentHashMap<>();
  /**
   * A front index by the exact PEM text, so a repeated report skips base64 decoding and hashing.
   * Counted in the same budget (the text's length on top of the entry); text an attacker varies
   * only misses here and falls through to the digest.
   */
  private final Map<String, ChainCertificate> byText = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();

  CertificateCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** The facts of the certificate whose PEM text is exactly {@code pem}, or null. */
  ChainCertificate byText(String pem) {
    return byText.get(pem);
  }

  /** Remembers that {@code pem} is the text of {@code facts}' certificate. */
  void rememberText(String pem, ChainCertificate facts) {
    if (bytes.addAndGet(ENTRY_OVERHEAD + pem.length()) > budgetBytes) {
      clear(ENTRY_OVERHEAD + pem.length());
    }
    byText.put(pem, facts);
  }

  private void clear(long keep) {
    entries.clear();
    byText.clear();
    bytes.set(keep);
  }

  /** The facts of {@code der}, computed by {@code parse} on a miss. */
  ChainCertificate get(byte[] der, Function<byte[], ChainCertificate> parse) {
    ByteBuffer key = ByteBuffer.wrap(sha256(der));
    ChainCertificate cached = entries.get(key);
    if (cached != null) {
      return cached;
    }
    ChainCertificate parsed = parse.apply(der);
    long size = ENTRY_OVERHEAD + 2L * (parsed.subject().length() + parsed.issuer().length());
    if (bytes.addAndGet(size) > budgetBytes) {
      clear(size);
    }
    entries.put(key, parsed);
    return parsed;
  }

  /** The bytes the cache holds by its own estimate; never much above the budget. */
  long bytes() {
    return bytes.get();
  }

  int size() {
    return entries.size();
  }

  int textEntries() {
    return byText.size();
  }

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  });

  private static byte[] sha256(byte[] der) {
    return SHA256.get().digest(der);
  }
}
