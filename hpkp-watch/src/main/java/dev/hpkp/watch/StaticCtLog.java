package dev.hpkp.watch;

import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * A log read through the Static CT API (c2sp.org/static-ct-api): {@code checkpoint}, level
 * tiles, data tiles (full, or partial by the checkpoint's size, the full tile taken when the
 * partial one is gone) and issuers.
 */
final class StaticCtLog implements CtLog {

  private static final int TILE_WIDTH = 256;
  private static final int ISSUERS_KEPT = 4096;
  /** Data tiles in flight: enough to hide a remote log's latency, a few MiB of memory. */
  static final int TILES_AHEAD = 8;
  private final URI prefix;
  private final String origin;
  private final LogKey key;
  private final LogHttp http;
  /** Fetches, gunzips, parses and hashes data tiles ahead: the watcher's, shared by its logs. */
  private final ExecutorService fetchers;
  private final MessageDigest digest = Merkle.sha256();
  private final Map<String, byte[]> issuers = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > ISSUERS_KEPT;
    }
  };

  /**
   * @param prefix the monitoring prefix
   * @param origin the checkpoint origin: the submission prefix without scheme or final slash
   */
  StaticCtLog(URI prefix, String origin, LogKey key, LogHttp http, ExecutorService fetchers) {
    String text = prefix.toString();
    this.prefix = URI.create(text.endsWith("/") ? text : text + "/");
    this.origin = origin;
    this.key = key;
    this.http = http;
    this.fetchers = fetchers;
  }

  /** The origin a log with this submission prefix uses: no scheme, no trailing slash. */
  static String originOf(URI submissionPrefix) {
    String text = submissionPrefix.toString().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return text;
  }

  @Override
  public String name() {
    return prefix.toString();
  }

  @Override
  public URI url() {
    return prefix;
  }

  @Override
  public LogKey key() {
    return key;
  }

  @Override
  public SignedTreeHead treeHead() throws LogUnavailable, LogMisbehaviour,
      InterruptedException {
    byte[] checkpoint = http.get(prefix.resolve("checkpoint"), "text/plain",
        LogHttp.MAX_SMALL_BYTES)
        .orElseThrow(() -> new LogMisbehaviour("the log serves no checkpoint (404)"));
    return Checkpoint.verify(checkpoint, origin, key);
  }

  @Override
  public void entries(long from, long to, SignedTreeHead head, Entries entries)
      throws LogUnavailable, LogMisbehaviour, InterruptedException {
    // Tiles are fetched, gunzipped, parsed and hashed ahead, in parallel; used in order.
    Deque<Future<List<LogEntry>>> ahead = new ArrayDeque<>();
    long next = from / TILE_WIDTH;
    try {
      while (true) {
        while (ahead.size() < TILES_AHEAD && next * TILE_WIDTH < to) {
          long tile = next++;
          ahead.add(fetchers.submit(() -> dataTile(tile, head)));
        }
        Future<List<LogEntry>> oldest = ahead.poll();
        if (oldest == null) {
          return;
        }
        for (LogEntry entry : result(oldest)) {
          if (entry.index() >= from && entry.index() < to) {
            entries.accept(entry);
          }
        }
      }
    } finally {
      ahead.forEach(future -> future.cancel(true));
    }
  }

  private List<LogEntry> dataTile(long tile, SignedTreeHead head) throws LogUnavailable,
      LogMisbehaviour, InterruptedException {
    long first = tile * TILE_WIDTH;
    int width = (int) Math.min(TILE_WIDTH, head.size() - first);
    Tile data = tile(-1, tile, width, head);
    return LogEntry.fromDataTile(data.bytes(), first, data.width(), Merkle.sha256());
  }

  private static List<LogEntry> result(Future<List<LogEntry>> future) throws LogUnavailable,
      LogMisbehaviour, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LogUnavailable unavailable) {
        throw unavailable;
      }
      if (e.getCause() instanceof LogMisbehaviour misbehaviour) {
        throw misbehaviour;
      }
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException("reading a data tile failed", e.getCause());
    }
  }

  /** A tile's bytes and how many entries or hashes it holds. */
  private record Tile(byte[] bytes, int width) {}

  /**
   * The tile at {@code level} ({@code -1} for data) and {@code index}, {@code width} entries
   * wide in the tree {@code head}: the partial tile when it is partial, the full tile when the
   * partial one is no longer served.
   */
  private Tile tile(int level, long index, int width, SignedTreeHead head)
      throws LogUnavailable, LogMisbehaviour, InterruptedException {
    String path = "tile/" + (level < 0 ? "data" : Integer.toString(level)) + "/" + path(index);
    String accept = "application/octet-stream";
    // a hash tile is 256 hashes; a data tile 256 entries with their certificates
    int max = level < 0 ? LogHttp.MAX_BODY_BYTES : TILE_WIDTH * 32;
    if (width < TILE_WIDTH) {
      Optional<byte[]> partial = http.get(prefix.resolve(path + ".p/" + width), accept, max);
      if (partial.isPresent()) {
        return new Tile(partial.get(), width);
      }
      // the full tile replaced it
    }
    byte[] full = http.get(prefix.resolve(path), accept, max).orElseThrow(() ->
        new LogMisbehaviour("the log serves neither " + path + (width < TILE_WIDTH ? ".p/"
        + width : "") + " nor the full tile, though its tree head of size " + head.size()
        + " needs it"));
    return new Tile(full, TILE_WIDTH);
  }

  /** {@code 1234067} as {@code x001/x234/067}. */
  static String path(long index) {
    String digits = Long.toString(index);
    int groups = (digits.length() + 2) / 3;
    digits = "0".repeat(groups * 3 - digits.length()) + digits;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < groups; i++) {
      if (i > 0) {
        out.append('/');
      }
      if (i < groups - 1) {
        out.append('x');
      }
      out.append(digits, i * 3, i * 3 + 3);
    }
    return out.toString();
  }

  @Override
  public Merkle.Range rangeAt(long size, SignedTreeHead head) throws LogUnavailable,
      LogMisbehaviour, InterruptedException {
    List<byte[]> hashes = new ArrayList<>();
    long start = 0;
    for (int height = 62; height >= 0; height--) {
      if ((size >>> height & 1) == 0) {
        continue;
      }
      int level = height / 8;
      int below = height % 8;
      long first = start >>> (8 * level); // index of the subtree's first hash at that level
      long tile = first / TILE_WIDTH;
      long atLevel = head.size() >>> (8 * level); // hashes the level has in the served tree
      int width = (int) Math.min(TILE_WIDTH, atLevel - tile * TILE_WIDTH);
      byte[] bytes = tile(level, tile, width, head).bytes();
      int offset = (int) (first - tile * TILE_WIDTH);
      int count = 1 << below;
      if (bytes.length < (offset + count) * Merkle.HASH_BYTES
          || bytes.length % Merkle.HASH_BYTES != 0) {
        throw new LogMisbehaviour("tile " + level + "/" + path(tile) + " has " + bytes.length
            + " bytes, too few for tree size " + size);
      }
      List<byte[]> leaves = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int at = (offset + i) * Merkle.HASH_BYTES;
        leaves.add(Arrays.copyOfRange(bytes, at, at + Merkle.HASH_BYTES));
      }
      hashes.add(Merkle.rootOfPerfect(digest, leaves));
      start += 1L << height;
    }
    Merkle.Range range = Merkle.Range.of(size, hashes);
    if (size == head.size() && !range.rootEquals(head.rootHash())) {
      throw new LogMisbehaviour("the log's tiles do not hash to its checkpoint's root (tree "
          + head.describe() + ")");
    }
    return range;
  }

  @Override
  public byte[] issuer(byte[] fingerprint) throws LogUnavailable, LogMisbehaviour,
      InterruptedException {
    String hex = Checkpoint.hex(fingerprint);
    byte[] known = issuers.get(hex);
    if (known != null) {
      return known;
    }
    byte[] der = http.get(prefix.resolve("issuer/" + hex), "application/pkix-cert",
        LogHttp.MAX_SMALL_BYTES)
        .orElseThrow(() -> new LogMisbehaviour("the log does not serve issuer/" + hex
            + ", which one of its entries names"));
    if (!Arrays.equals(digest.digest(der), fingerprint)) {
      throw new LogMisbehaviour("issuer/" + hex + " does not hash to its fingerprint");
    }
    issuers.put(hex, der);
    return der;
  }
}
