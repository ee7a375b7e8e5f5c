package dev.hpkp.benchmarks;

import dev.hpkp.policy.Pin;
import dev.hpkp.watch.CtWatcher;
import dev.hpkp.watch.LogKey;
import dev.hpkp.watch.WatchedHost;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
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
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * benchmarks/run-watch.sh: writes a Static CT API log of N entries to disk (data tiles gzip, as
 * logs serve them; level tiles; a checkpoint signed with ECDSA P-256), serves it over loopback
 * from another thread pool, and has CtWatcher read it from the start with every check on.
 * Prints entries/s, CPU per entry and the heap's peak. The writer is written from the spec, apart
 * from the watcher's reader, so the run checks one against the other too.
 */
public final class WatchThroughput {


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
    for (int i = 0; i < BenchLogWriter.MIS_ISSUED; i++) {
      misIssued.add(issue("CN=shop.example", ecKey(), caKey, new String[] {"shop.example"},
          false).getEncoded());
    }
    long started = System.nanoTime();
    String origin = "bench.example/log";
    byte[] root = BenchLogWriter.write(dir, entries, pool, misIssued, ca.getEncoded(), logKey,
        origin);
    System.out.printf("wrote %,d entries in %.1f s to %s (root %s)%n", entries,
        (System.nanoTime() - started) / 1e9, dir, Base64.getEncoder().encodeToString(root));

    Server server = BenchLogServer.serve(dir);
    URI prefix = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0])
        .getLocalPort() + "/");
    if (serveOnly) {
      // for run-watch-crash.sh: the log's URL, key and submission prefix, then serve until killed
      System.out.println("READY " + prefix + " " + Base64.getEncoder().encodeToString(
          logKey.getPublic().getEncoded()) + " https://" + origin + "/");
      server.join();
      return;
    }
    List<Integer> alerts = new ArrayList<>();
    WatchedHost host = new WatchedHost("shop.example", Set.of(Pin.ofSubjectPublicKeyInfo(
        ecKey().getPublic().getEncoded()), Pin.ofSubjectPublicKeyInfo(ecKey().getPublic()
        .getEncoded())), true);
    LogKey key = LogKey.of(logKey.getPublic().getEncoded());
    CtWatcher.Progress p = measure("static", CtWatcher.builder().staticLog(prefix,
        URI.create("https://" + origin + "/"), key), host, alerts);
    // the same log through the RFC 6962 API: get-entries at 256 a request, JSON and base64
    p = measure("rfc6962", CtWatcher.builder().rfc6962Log(prefix, key), host, alerts);
    server.stop();
    System.exit(p.problem() == null ? 0 : 1); // the log server's pool is not daemon
  }

  /** One round over the whole log from its start, with its time, CPU and heap peak printed. */
  private static CtWatcher.Progress measure(String api, CtWatcher.Builder builder,
      WatchedHost host, List<Integer> alerts) throws Exception {
    alerts.clear();
    CtWatcher watcher = builder.http(Duration.ofSeconds(30), 3, Duration.ofMillis(100))
        .stateDirectory(Files.createTempDirectory("watch-state-" + api)).fromStart(true)
        .host(host).sink(batch -> alerts.add(batch.size())).build();
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    var threads = ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();
    long cpu0 = roundThreadsCpu(threads);
    long process0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    CtWatcher.Progress p = watcher.runOnce().get(0);
    long wall = System.nanoTime() - t0;
    long cpu = roundThreadsCpu(threads) - cpu0;
    watcher.close();
    long process = os.getProcessCpuTime() - process0;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    printResult(api, p, wall, cpu, process, peak, alerts);
    return p;
  }

  /** CPU time of the threads a round reads a log on (the watcher's "hpkp-watch-logs" pool). */
  private static long roundThreadsCpu(java.lang.management.ThreadMXBean threads) {
    long total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("hpkp-watch-logs")) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
      }
    }
    return total;
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

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
