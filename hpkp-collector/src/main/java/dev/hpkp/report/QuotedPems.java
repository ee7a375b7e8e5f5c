package dev.hpkp.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JSON-quoted form of certificate PEM texts, kept for texts that come again: reports about one
 * incident repeat the same chains, and escaping a PEM's line breaks one character at a time was a
 * fifth of the collector's time on them. Bounded by bytes like the certificate cache: when an
 * entry would take the total past the budget, it starts over; and like its text index, a text is
 * kept only on its second sight, so texts that never return do not churn it. Jackson quotes
 * ({@link SerializedString}); nothing here writes JSON by hand.
 */
final class QuotedPems {

  static final long BUDGET_BYTES = 4L << 20;
  private static final int ENTRY_OVERHEAD = 128;
  /** A text longer than this is quoted each time: one report's chain could fill the budget. */
  private static final int MAX_TEXT = 16 * 1024;

  private static final Map<String, SerializedString> QUOTED = new ConcurrentHashMap<>();
  private static final AtomicLong BYTES = new AtomicLong();
  private static final int[] SEEN = new int[CertificateCache.SEEN_SLOTS];

  private QuotedPems() {}

  /** {@code pem} as Jackson writes a string value, quoted once per distinct text. */
  static SerializableString of(String pem) {
    SerializedString quoted = QUOTED.get(pem);
    if (quoted != null) {
      return quoted;
    }
    quoted = new SerializedString(pem);
    if (pem.length() <= MAX_TEXT && CertificateCache.secondSight(SEEN, pem)) {
      long size = ENTRY_OVERHEAD + 3L * pem.length(); // the text, its quoted UTF-8, slack
      if (BYTES.addAndGet(size) > BUDGET_BYTES) {
        QUOTED.clear();
        BYTES.set(size);
      }
      QUOTED.put(pem, quoted);
    }
    return quoted;
  }

  /** The bytes held, by this class's own estimate; never much above the budget. */
  static long bytes() {
    return BYTES.get();
  }
}
