package dev.hpkp.benchmarks;

import dev.hpkp.policy.Pin;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.LogKey;
import dev.hpkp.watch.WatchedHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * benchmarks/run-watch.sh: writes a Static CT API log of N entries to disk (data tiles gzip, as
 * logs serve them; level tiles; a checkpoint signed with ECDSA P-256), serves it over loopback
 * from another thread pool, and has CtWatcher read it from the start with every check on.
 * Prints entries/s, CPU per entry and the heap's peak. The writer is written from the spec, apart
 * from the watcher's reader, so the run checks one against the other too.
 */
public final class WatchThroughput {

  private static final MessageDigest SHA256 = sha256();

  private WatchThroughput() {}

  public static void main(String[] args) throws Exception {
    boolean serveOnly = args.length > 0 && args[0].equals("serve");
    if (serveOnly) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    long entries = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Path dir = Path.of(args.length > 1 ? args[1] : "target/watch-log");
    KeyPair logKey = ecKey();
    KeyPair caKey = ecKey();
    X509Certificate ca = issue("CN=Bench CA", caKey, caKey, null, true);
    List<byte[]> pool = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      pool.add(issue("CN=host" + i + ".bench.test", ecKey(), caKey, new String[] {
          "host" + i + ".bench.test", "www.host" + i + ".bench.test"}, false).getEncoded());
    }
    List<byte[]> misIssued = new ArrayList<>();
    for (int i = 0; i < MIS_ISSUED; i++) {
      misIssued.add(issue("CN=shop.example", ecKey(), caKey, new String[] {"shop.example"},
          false).getEncoded());
    }
    long started = System.nanoTime();
    String origin = "bench.example/log";
    byte[] root = write(dir, entries, pool, misIssued, ca.getEncoded(), logKey, origin);
    System.out.printf("wrote %,d entries in %.1f s to %s (root %s)%n", entries,
        (System.nanoTime() - started) / 1e9, dir, Base64.getEncoder().encodeToString(root));

    Server server = serve(dir);
    URI prefix = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0])
        .getLocalPort() + "/");
    if (serveOnly) {
      // for run-watch-crash.sh: the log's URL, key and submission prefix, then serve until killed
      System.out.println("READY " + prefix + " " + Base64.getEncoder().encodeToString(
          logKey.getPublic().getEncoded()) + " https://" + origin + "/");
      server.join();
      return;
    }
    Path state = Files.createTempDirectory("watch-state");
    List<Integer> alerts = new ArrayList<>();
    CtWatcher watcher = CtWatcher.builder().http(Duration.ofSeconds(30), 3,
        Duration.ofMillis(100)).staticLog(prefix, URI.create("https://" + origin + "/"),
        LogKey.of(logKey.getPublic().getEncoded())).stateDirectory(state).fromStart(true)
        .host(new WatchedHost("shop.example", Set.of(Pin.ofSubjectPublicKeyInfo(
            ecKey().getPublic().getEncoded()), Pin.ofSubjectPublicKeyInfo(ecKey().getPublic()
            .getEncoded())), true))
        .sink(batch -> alerts.add(batch.size())).build();
    System.gc();
    for (MemoryPoolMXBean pool2 : ManagementFactory.getMemoryPoolMXBeans()) {
      pool2.resetPeakUsage();
    }
    var threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long process0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<CtWatcher.Progress> progress = watcher.runOnce();
    long wall = System.nanoTime() - t0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    long process = os.getProcessCpuTime() - process0;
    long peak = 0;
    for (MemoryPoolMXBean pool2 : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool2.getType() == MemoryType.HEAP) {
        peak += pool2.getPeakUsage().getUsed();
      }
    }
    CtWatcher.Progress p = progress.get(0);
    printResult("static", p, wall, cpu, process, peak, alerts);
    // the same log through the RFC 6962 API: get-entries at 256 a request, JSON and base64
    alerts.clear();
    Path state6962 = Files.createTempDirectory("watch-state-6962");
    CtWatcher rfc6962 = CtWatcher.builder().http(Duration.ofSeconds(30), 3,
        Duration.ofMillis(100)).rfc6962Log(prefix, LogKey.of(logKey.getPublic().getEncoded()))
        .stateDirectory(state6962).fromStart(true)
        .host(new WatchedHost("shop.example", Set.of(Pin.ofSubjectPublicKeyInfo(
            ecKey().getPublic().getEncoded()), Pin.ofSubjectPublicKeyInfo(ecKey().getPublic()
            .getEncoded())), true))
        .sink(batch -> alerts.add(batch.size())).build();
    System.gc();
    for (MemoryPoolMXBean pool2 : ManagementFactory.getMemoryPoolMXBeans()) {
      pool2.resetPeakUsage();
    }
    cpu0 = threads.getCurrentThreadCpuTime();
    process0 = os.getProcessCpuTime();
    t0 = System.nanoTime();
    p = rfc6962.runOnce().get(0);
    wall = System.nanoTime() - t0;
    cpu = threads.getCurrentThreadCpuTime() - cpu0;
    process = os.getProcessCpuTime() - process0;
    peak = 0;
    for (MemoryPoolMXBean pool2 : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool2.getType() == MemoryType.HEAP) {
        peak += pool2.getPeakUsage().getUsed();
      }
    }
    server.stop();
    printResult("rfc6962", p, wall, cpu, process, peak, alerts);
    System.exit(p.problem() == null ? 0 : 1); // the log server's pool is not daemon
  }

  private static void printResult(String api, CtWatcher.Progress p, long wall, long cpu,
      long process, long peak, List<Integer> alerts) {
    System.out.printf("RESULT " + api + ": %,d entries verified in %.2f s = %,.0f entries/s;"
        + " watcher thread %.2f us CPU/entry, process (log server included) %.2f us/entry;"
        + " heap peak %d MiB (max %d MiB); alerts %s; status %s %s%n", p.entries(), wall / 1e9,
        p.entries() / (wall / 1e9), cpu / 1e3 / p.entries(), process / 1e3 / p.entries(),
        peak >> 20, Runtime.getRuntime().maxMemory() >> 20, alerts, p.status(),
        p.problem() == null ? "" : p.problem());
  }

  /** Mis-issued certificates for shop.example, each one issuance, spread over the log. */
  static final int MIS_ISSUED = 20;

  /** Writes the log; returns its root. The mis-issued certificates are spread evenly. */
  private static byte[] write(Path dir, long entries, List<byte[]> pool, List<byte[]> misIssued,
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

  private static Path tilePath(Path dir, String level, long index, int width)
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

  /** Jetty over loopback, serving the files; data tiles with Content-Encoding: gzip. */
  private static Server serve(Path dir) throws Exception {
    Server server = new Server(new QueuedThreadPool(16, 4));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        String path = Request.getPathInContext(request).substring(1);
        if (path.startsWith("ct/v1/")) {
          byte[] body = rfc6962(dir, path, request.getHttpURI().getQuery());
          response.setStatus(body == null ? 404 : 200);
          response.write(true, ByteBuffer.wrap(body == null ? new byte[0] : body), callback);
          return true;
        }
        Path file = dir.resolve(path).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
          response.setStatus(404);
          callback.succeeded();
          return true;
        }
        if (path.startsWith("tile/data/")) {
          response.getHeaders().put("Content-Encoding", "gzip");
        }
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap(Files.readAllBytes(file)), callback);
        return true;
      }
    });
    server.start();
    return server;
  }

  /** RFC 6962's get-sth, and get-entries (at most 256 a request) read from the data tiles. */
  private static byte[] rfc6962(Path dir, String path, String query) throws IOException {
    if (path.equals("ct/v1/get-sth")) {
      return Files.readAllBytes(dir.resolve("sth.json"));
    }
    if (!path.equals("ct/v1/get-entries") || query == null) {
      return null;
    }
    long start = 0;
    long end = 0;
    for (String pair : query.split("&")) {
      if (pair.startsWith("start=")) {
        start = Long.parseLong(pair.substring(6));
      } else if (pair.startsWith("end=")) {
        end = Long.parseLong(pair.substring(4));
      }
    }
    long size = Long.parseLong(new String(Files.readAllBytes(dir.resolve("checkpoint")),
        StandardCharsets.UTF_8).split("\n")[1]);
    end = Math.min(Math.min(end, size - 1), start + 255);
    byte[] issuer;
    try (var issuers = Files.list(dir.resolve("issuer"))) {
      issuer = Files.readAllBytes(issuers.findFirst().orElseThrow());
    }
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    put(extra, 3, issuer.length + 3);
    put(extra, 3, issuer.length);
    extra.write(issuer);
    String extraData = Base64.getEncoder().encodeToString(extra.toByteArray());
    StringBuilder json = new StringBuilder("{\"entries\":[");
    long tile = -1;
    ByteBuffer data = null;
    for (long i = start; i <= end; i++) {
      if (i / 256 != tile) {
        tile = i / 256;
        int width = (int) Math.min(256, size - tile * 256);
        data = ByteBuffer.wrap(new GZIPInputStream(Files.newInputStream(
            tilePath(dir, "data", tile, width))).readAllBytes());
        for (long skip = tile * 256; skip < i; skip++) {
          leafInput(data);
        }
      }
      json.append(i == start ? "" : ",").append("{\"leaf_input\":\"")
          .append(Base64.getEncoder().encodeToString(leafInput(data)))
          .append("\",\"extra_data\":\"").append(extraData).append("\"}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The next TileLeaf of {@code data} as an RFC 6962 leaf_input (x509 entries only). */
  private static byte[] leafInput(ByteBuffer data) {
    int from = data.position();
    data.position(from + 10);
    int certificate = (data.get() & 0xff) << 16 | (data.get() & 0xff) << 8 | data.get() & 0xff;
    data.position(data.position() + certificate);
    int extensions = data.getShort() & 0xffff;
    data.position(data.position() + extensions);
    byte[] leaf = new byte[2 + data.position() - from];
    data.get(from, leaf, 2, data.position() - from);
    int chain = data.getShort() & 0xffff;
    data.position(data.position() + chain);
    return leaf;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static void put(ByteArrayOutputStream out, int bytes, long value) {
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

  private static X509Certificate issue(String subject, KeyPair key, KeyPair issuer,
      String[] names, boolean ca) throws Exception {
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        new X500Name("CN=Bench CA"), BigInteger.valueOf(System.nanoTime()),
        Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(
        Duration.ofDays(90))), new X500Name(subject), key.getPublic());
    if (names != null) {
      GeneralName[] sans = new GeneralName[names.length];
      for (int i = 0; i < names.length; i++) {
        sans[i] = new GeneralName(GeneralName.dNSName, names[i]);
      }
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }

  private static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
