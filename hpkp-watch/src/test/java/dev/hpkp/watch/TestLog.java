package dev.hpkp.watch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A Static CT API log written from the specifications (RFC 6962 §2-3, c2sp.org/static-ct-api,
 * tlog-tiles, tlog-checkpoint, signed-note) for tests: entries in TileLeaf form, level and data
 * tiles (partial ones for the sizes it published), issuers, and checkpoints signed with a real
 * ECDSA P-256 key; served by Jetty over loopback. Tests can change what it serves.
 */
public final class TestLog implements AutoCloseable {

  public final KeyPair key = TestCa.key();
  public final LogKey logKey = LogKey.of(key.getPublic().getEncoded());
  public final String origin;
  private final MessageDigest digest = Merkle.sha256();
  private final List<byte[]> tileLeaves = new ArrayList<>();
  private final List<byte[]> leafHashes = new ArrayList<>();
  private final List<byte[]> leafInputs = new ArrayList<>();
  private final List<byte[]> extraData = new ArrayList<>();
  /** The RFC 6962 API answers at most this many entries a request, as real logs cap it. */
  volatile int entriesPerResponse = 7;
  private volatile long publishedSize;
  private volatile String publishedSth;
  /** What is served: path → bytes; a test may replace or remove any. */
  public final Map<String, byte[]> files = new ConcurrentHashMap<>();
  /** Paths answered with this status instead, e.g. 429. */
  public final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  /** Paths answered with a 302 to the given location. */
  public final Map<String, String> redirects = new ConcurrentHashMap<>();
  /** How many times each path was asked for. */
  public final Map<String, Integer> requests = new ConcurrentHashMap<>();
  public volatile boolean gzipDataTiles;
  /** The Retry-After sent with a 429 or 503 of {@link #statuses}. */
  public volatile String retryAfter = "0";
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private long timestamp = System.currentTimeMillis();

  public TestLog(String name) throws Exception {
    this(name, 0);
  }

  /**
   * A log on {@code port} of 127.0.0.1 (0: any free port) whose checkpoints name it {@code
   * 127.0.0.1:port/name}, or {@code 127.0.0.1:port} when {@code name} is empty.
   */
  public TestLog(String name, int port) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request).substring(1);
        requests.merge(path, 1, Integer::sum);
        String location = redirects.get(path);
        if (location != null) {
          response.setStatus(302);
          response.getHeaders().put("Location", location);
          callback.succeeded();
          return true;
        }
        Integer status = statuses.get(path);
        byte[] body = path.startsWith("ct/v1/") ? rfc6962(path, request.getHttpURI().getQuery())
            : files.get(path);
        if (status != null || body == null) {
          response.setStatus(status != null ? status : 404);
          if (status != null && (status == 429 || status == 503)) {
            response.getHeaders().put("Retry-After", retryAfter);
          }
          callback.succeeded();
          return true;
        }
        if (gzipDataTiles && path.startsWith("tile/data/")) {
          body = gzip(body);
          response.getHeaders().put("Content-Encoding", "gzip");
        }
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      }
    });
    server.start();
    this.origin = "127.0.0.1:" + connector.getLocalPort() + (name.isEmpty() ? "" : "/" + name);
  }

  public URI monitoringPrefix() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  /** The log's public key, as a PEM file for {@code hpkp watch --log-key}. */
  public String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64,
        new byte[] {'\n'}).encodeToString(key.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  public URI submissionPrefix() {
    return URI.create("http://" + origin + "/");
  }

  public long size() {
    return leafHashes.size();
  }

  /** Logs {@code certificate}, issued by {@code chain}'s first certificate. */
  public void addCertificate(X509Certificate certificate, X509Certificate... chain) throws Exception {
    ByteArrayOutputStream entry = timestamped(0);
    vector(entry, 3, certificate.getEncoded());
    finish(entry, null, chain);
  }

  /** Logs {@code precert} (RFC 6962 §3.1), issued by {@code chain}'s first certificate. */
  public void addPrecert(X509Certificate precert, X509Certificate finalCertificate,
      X509Certificate... chain) throws Exception {
    ByteArrayOutputStream entry = timestamped(1);
    entry.write(digest.digest(chain[0].getPublicKey().getEncoded()));
    // The TBSCertificate without the poison: the final certificate's, before any SCT list.
    vector(entry, 3, finalCertificate.getTBSCertificate());
    finish(entry, precert.getEncoded(), chain);
  }

  private ByteArrayOutputStream timestamped(int type) {
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    write(entry, 8, ++timestamp);
    write(entry, 2, type);
    return entry;
  }

  private void finish(ByteArrayOutputStream entry, byte[] precert, X509Certificate[] chain)
      throws Exception {
    long index = leafHashes.size();
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    extensions.write(0); // leaf_index
    write(extensions, 2, 5);
    write(extensions, 5, index);
    vector(entry, 2, extensions.toByteArray());
    byte[] timestampedEntry = entry.toByteArray();
    ByteArrayOutputStream leaf = new ByteArrayOutputStream();
    leaf.write(0);
    leaf.write(0);
    leaf.write(timestampedEntry);
    leafHashes.add(Merkle.leafHash(digest, leaf.toByteArray()));
    leafInputs.add(leaf.toByteArray());
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    if (precert != null) {
      vector(extra, 3, precert);
    }
    ByteArrayOutputStream chainDers = new ByteArrayOutputStream();
    for (X509Certificate issuer : chain) {
      vector(chainDers, 3, issuer.getEncoded());
    }
    vector(extra, 3, chainDers.toByteArray());
    extraData.add(extra.toByteArray());
    ByteArrayOutputStream tileLeaf = new ByteArrayOutputStream();
    tileLeaf.write(timestampedEntry);
    if (precert != null) {
      vector(tileLeaf, 3, precert);
    }
    ByteArrayOutputStream fingerprints = new ByteArrayOutputStream();
    for (X509Certificate issuer : chain) {
      byte[] der = issuer.getEncoded();
      byte[] fingerprint = digest.digest(der);
      fingerprints.write(fingerprint);
      files.put("issuer/" + Checkpoint.hex(fingerprint), der);
    }
    vector(tileLeaf, 2, fingerprints.toByteArray());
    tileLeaves.add(tileLeaf.toByteArray());
  }

  /** Publishes a checkpoint for the entries logged so far, and the tiles it needs. */
  public void publish() throws Exception {
    long size = leafHashes.size();
    for (long tile = 0; tile * 256 < size; tile++) {
      int width = (int) Math.min(256, size - tile * 256);
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (int i = 0; i < width; i++) {
        data.write(tileLeaves.get((int) (tile * 256 + i)));
      }
      files.put("tile/data/" + StaticCtLog.path(tile) + (width < 256 ? ".p/" + width : ""),
          data.toByteArray());
    }
    List<byte[]> level = leafHashes;
    for (int l = 0; !level.isEmpty() && l <= 5; l++) {
      List<byte[]> up = new ArrayList<>();
      for (int tile = 0; tile * 256 < level.size(); tile++) {
        int width = Math.min(256, level.size() - tile * 256);
        ByteArrayOutputStream hashes = new ByteArrayOutputStream();
        for (int i = 0; i < width; i++) {
          hashes.write(level.get(tile * 256 + i));
        }
        files.put("tile/" + l + "/" + StaticCtLog.path(tile) + (width < 256 ? ".p/" + width
            : ""), hashes.toByteArray());
        if (width == 256) {
          up.add(Merkle.rootOfPerfect(digest, level.subList(tile * 256, tile * 256 + 256)));
        }
      }
      level = up;
    }
    files.put("checkpoint", checkpoint(size, root(leafHashes), key).getBytes(
        StandardCharsets.UTF_8));
    publishedSize = size;
    publishedSth = sth(size, root(leafHashes), key);
  }

  /** RFC 6962 §4's answers for the published tree; null (404) for anything else. */
  private byte[] rfc6962(String path, String query) {
    Map<String, String> parameters = new java.util.HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        parameters.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8));
      }
    }
    String json;
    long size = publishedSize;
    switch (path) {
      case "ct/v1/get-sth" -> json = publishedSth;
      case "ct/v1/get-entries" -> {
        long start = Long.parseLong(parameters.get("start"));
        long end = Math.min(Long.parseLong(parameters.get("end")), size - 1);
        end = Math.min(end, start + entriesPerResponse - 1);
        StringBuilder entries = new StringBuilder();
        for (long i = start; i <= end; i++) {
          entries.append(i == start ? "" : ",").append("{\"leaf_input\":\"")
              .append(b64(leafInputs.get((int) i))).append("\",\"extra_data\":\"")
              .append(b64(extraData.get((int) i))).append("\"}");
        }
        json = "{\"entries\":[" + entries + "]}";
      }
      case "ct/v1/get-sth-consistency" -> json = "{\"consistency\":" + hashes(subproof(
          Long.parseLong(parameters.get("first")), leafHashes.subList(0,
          (int) Long.parseLong(parameters.get("second"))), true)) + "}";
      case "ct/v1/get-proof-by-hash" -> {
        byte[] hash = java.util.Base64.getDecoder().decode(parameters.get("hash"));
        int treeSize = (int) Long.parseLong(parameters.get("tree_size"));
        int index = -1;
        for (int i = 0; i < treeSize; i++) {
          if (Arrays.equals(leafHashes.get(i), hash)) {
            index = i;
          }
        }
        if (index < 0) {
          return null;
        }
        json = "{\"leaf_index\":" + index + ",\"audit_path\":"
            + hashes(path(index, leafHashes.subList(0, treeSize))) + "}";
      }
      default -> json = null;
    }
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 6962 §2.1.1 PATH(m, D[n]). */
  private List<byte[]> path(int m, List<byte[]> d) {
    List<byte[]> out = new ArrayList<>();
    if (d.size() <= 1) {
      return out;
    }
    int k = Integer.highestOneBit(d.size() - 1);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(root(d.subList(k, d.size())));
    } else {
      out.addAll(path(m - k, d.subList(k, d.size())));
      out.add(root(d.subList(0, k)));
    }
    return out;
  }

  /** RFC 6962 §2.1.2 SUBPROOF(m, D[n], b). */
  private List<byte[]> subproof(long m, List<byte[]> d, boolean b) {
    List<byte[]> out = new ArrayList<>();
    if (m == d.size()) {
      if (!b) {
        out.add(root(d));
      }
      return out;
    }
    int k = Integer.highestOneBit(d.size() - 1);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(root(d.subList(k, d.size())));
    } else {
      out.addAll(subproof(m - k, d.subList(k, d.size()), false));
      out.add(root(d.subList(0, k)));
    }
    return out;
  }

  private static String hashes(List<byte[]> hashes) {
    StringBuilder out = new StringBuilder("[");
    for (byte[] hash : hashes) {
      out.append(out.length() > 1 ? "," : "").append('"').append(b64(hash)).append('"');
    }
    return out.append(']').toString();
  }

  private static String b64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  /** A checkpoint for {@code size} and {@code root}, signed with {@code signer}. */
  String checkpoint(long size, byte[] root, KeyPair signer) throws Exception {
    long signedAt = ++timestamp;
    ByteBuffer data = ByteBuffer.allocate(50);
    data.put((byte) 0).put((byte) 1).putLong(signedAt).putLong(size).put(root);
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(signer.getPrivate());
    signature.update(data.array());
    byte[] der = signature.sign();
    ByteArrayOutputStream digitallySigned = new ByteArrayOutputStream();
    digitallySigned.write(4);
    digitallySigned.write(3);
    vector(digitallySigned, 2, der);
    return Checkpoint.text(origin, size, root, Checkpoint.keyId(origin, logKey), signedAt,
        digitallySigned.toByteArray());
  }

  /** A get-sth answer for {@code size} and {@code root}, signed with {@code signer}. */
  String sth(long size, byte[] root, KeyPair signer) throws Exception {
    long signedAt = ++timestamp;
    return "{\"tree_size\":" + size + ",\"timestamp\":" + signedAt
        + ",\"sha256_root_hash\":\"" + b64(root) + "\",\"tree_head_signature\":\""
        + b64(treeHeadSignature(signedAt, size, root, signer)) + "\"}";
  }

  /** RFC 6962's DigitallySigned TreeHeadSignature: SHA-256, ECDSA, the DER signature. */
  private static byte[] treeHeadSignature(long signedAt, long size, byte[] root,
      KeyPair signer) throws Exception {
    ByteBuffer data = ByteBuffer.allocate(50);
    data.put((byte) 0).put((byte) 1).putLong(signedAt).putLong(size).put(root);
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(signer.getPrivate());
    signature.update(data.array());
    ByteArrayOutputStream digitallySigned = new ByteArrayOutputStream();
    digitallySigned.write(4);
    digitallySigned.write(3);
    vector(digitallySigned, 2, signature.sign());
    return digitallySigned.toByteArray();
  }

  /** Serves {@code json} as the next get-sth answer. */
  void serveSth(String json) {
    publishedSth = json;
  }

  /** RFC 6962 §2.1's MTH, by its recursive definition. */
  byte[] root(List<byte[]> hashes) {
    if (hashes.isEmpty()) {
      return Merkle.emptyRoot();
    }
    if (hashes.size() == 1) {
      return hashes.get(0);
    }
    int k = Integer.highestOneBit(hashes.size() - 1);
    return Merkle.nodeHash(digest, root(hashes.subList(0, k)),
        root(hashes.subList(k, hashes.size())));
  }

  /**
   * The data tile that holds {@code index}, as published, with one bit of that entry's
   * timestamp flipped: well-formed, and not what the log signed.
   */
  byte[] forgedDataTile(long index) {
    long tile = index / 256;
    int offset = 0;
    for (long i = tile * 256; i < index; i++) {
      offset += tileLeaves.get((int) i).length;
    }
    int width = (int) Math.min(256, size() - tile * 256);
    byte[] forged = copy(files.get(dataTilePath(tile, width)));
    forged[offset + 7] ^= 1;
    return forged;
  }

  static String dataTilePath(long tile, int width) {
    return "tile/data/" + StaticCtLog.path(tile) + (width < 256 ? ".p/" + width : "");
  }

  List<byte[]> leafHashes() {
    return leafHashes;
  }

  private static void write(ByteArrayOutputStream out, int bytes, long value) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  private static void vector(ByteArrayOutputStream out, int lengthBytes, byte[] value) {
    write(out, lengthBytes, value.length);
    out.write(value, 0, value.length);
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  static byte[] copy(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
