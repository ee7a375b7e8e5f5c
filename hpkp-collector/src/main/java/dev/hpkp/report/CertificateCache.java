package dev.hpkp.report;

import dev.hpkp.keys.internal.CertificateFacts;
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
 *
 * <p>In front of it, an index by the exact PEM text skips base64 decoding and hashing for a
 * text that comes again. Texts are large and cheap to recompute, facts small and dear (a JDK
 * parse), so the index has its own quarter of the budget and never evicts facts; and a text is
 * indexed only on its second sight while its hash is still among the last {@link #SEEN_SLOTS}
 * seen, so a stream of texts that never return does not churn it.
 */
final class CertificateCache {

  /** The default budget: a few thousand ordinary certificates' derived facts. */
  static final long DEFAULT_BUDGET_BYTES = 4L << 20;
  /** Map entry, key, record and Instant, roughly; strings are counted on top. */
  private static final int ENTRY_OVERHEAD = 256;
  /** How many recent text hashes the second-sight check remembers (about the index's size). */
  static final int SEEN_SLOTS = 4096;

  private final long factsBudget;
  private final long textBudget;
  private final Map<ByteBuffer, CertificateFacts> entries = new ConcurrentHashMap<>();
  private final AtomicLong factsBytes = new AtomicLong();
  private final Map<String, CertificateFacts> byText = new ConcurrentHashMap<>();
  private final AtomicLong textBytes = new AtomicLong();
  /**
   * Hashes of texts seen once, by slot. Racy on purpose: a lost or torn update only indexes a
   * text one sight later or earlier, which changes speed, never a result.
   */
  private final int[] seen = new int[SEEN_SLOTS];

  CertificateCache(long budgetBytes) {
    this.textBudget = budgetBytes / 4;
    this.factsBudget = budgetBytes - textBudget;
  }

  /** The facts of the certificate whose PEM text is exactly {@code pem}, or null. */
  CertificateFacts byText(String pem) {
    return byText.get(pem);
  }

  /** Remembers that {@code pem} is the text of {@code facts}' certificate, if it came before. */
  void rememberText(String pem, CertificateFacts facts) {
    if (!secondSight(seen, pem)) {
      return;
    }
    long size = ENTRY_OVERHEAD + pem.length();
    if (textBytes.addAndGet(size) > textBudget) {
      byText.clear();
      textBytes.set(size);
    }
    byText.put(pem, facts);
  }

  /**
   * Whether {@code text}'s hash was the last one seen in its slot of {@code seen}; notes it
   * there if not. Shared with {@link QuotedPems}.
   */
  static boolean secondSight(int[] seen, String text) {
    int hash = text.hashCode();
    int slot = (hash ^ (hash >>> 16)) & (seen.length - 1);
    if (seen[slot] == hash) {
      return true;
    }
    seen[slot] = hash;
    return false;
  }

  /** The facts of {@code der}, computed by {@code parse} on a miss. */
  CertificateFacts get(byte[] der, Function<byte[], CertificateFacts> parse) {
    ByteBuffer key = ByteBuffer.wrap(sha256(der));
    CertificateFacts cached = entries.get(key);
    if (cached != null) {
      return cached;
    }
    CertificateFacts parsed = parse.apply(der);
    long size = ENTRY_OVERHEAD + 2L * (parsed.subject().length() + parsed.issuer().length());
    if (factsBytes.addAndGet(size) > factsBudget) {
      entries.clear();
      factsBytes.set(size);
    }
    entries.put(key, parsed);
    return parsed;
  }

  /** The bytes the cache holds by its own estimate; never much above the budget. */
  long bytes() {
    return factsBytes.get() + textBytes.get();
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
