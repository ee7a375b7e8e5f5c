package dev.hpkp.benchmarks;

import dev.hpkp.client.HpkpAgent;
import dev.hpkp.client.HpkpHttpClient;
import dev.hpkp.client.PinnedHost;
import dev.hpkp.keys.TrustAnchors;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What pinning adds to a Java client (#12): per new TLS connection (a full handshake, the session
 * invalidated after each so none resumes) and per request on a reused connection
 * ({@code HttpClient} keep-alive, the site sending its {@code Public-Key-Pins} header on every
 * response, so every response is observed). Each with and without pinning, same server, same
 * trust. Plus the cold cost the first connection to a chain pays: PKIX path building.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(3)
public class ClientBenchmark {

  private TlsJetty server;
  private HpkpAgent agent;
  private SSLContext plainContext;
  private SSLContext pinningContext;
  private HttpClient plainClient;
  private HttpClient pinningClient;
  private HttpRequest request;
  private int port;
  private List<X509Certificate> served;
  private TrustAnchors anchors;
  private List<String> header;
  private static final List<String> NONE = List.of();
  private static final byte[] GET = ("GET / HTTP/1.1\r\nHost: localhost\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  @Setup(Level.Trial)
  public void start() throws Exception {
    TestPki pki = TestPki.localhost();
    Path dir = Files.createTempDirectory("client-benchmark");
    Map<String, String> policy = Map.of("pins", pki.leafPin().toString(),
        "backupPins", pki.backupPin() + " " + pki.secondBackupPin(),
        "maxAgeSeconds", "5184000", "reportOnly", "false",
        "reportUri", "https://reports.example.net/hpkp",
        "servedChain", "file:" + pki.writeChainPem(dir.resolve("chain.pem")));
    server = new TlsJetty(pki).filter("hpkp", HpkpFilter.class, policy)
        .servlet("/*", new HttpServlet() {
          @Override
          protected void service(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            response.getOutputStream().write("hello, world".getBytes(StandardCharsets.US_ASCII));
          }
        }).start();
    URI uri = server.https("/");
    port = uri.getPort();
    X509TrustManager trust = TestPki.trustManager(pki.root());
    agent = HpkpAgent.builder().trustManager(trust).build();
    agent.store().put(new PinnedHost("localhost", Set.of(pki.leafPin(), pki.backupPin()), false,
        Instant.now(), Instant.now().plusSeconds(86_400), null, PinnedHost.Source.NOTED));
    plainContext = TestPki.trusting(pki.root());
    pinningContext = agent.sslContext();
    plainClient = HttpClient.newBuilder().sslContext(plainContext).build();
    pinningClient = HpkpHttpClient.wrap(HttpClient.newBuilder(), agent);
    request = HttpRequest.newBuilder(uri).build();
    served = List.of(pki.leaf(), pki.intermediate());
    anchors = TrustAnchors.of(List.of(pki.root()));
    header = List.of(pki.leafPin().toDirective() + "; " + pki.backupPin().toDirective() + "; "
        + pki.secondBackupPin().toDirective() + "; max-age=5184000;"
        + " report-uri=\"https://reports.example.net/hpkp\"");
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    agent.close();
    server.close();
  }

  private int connect(SSLContext context) throws IOException {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost",
        port)) {
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(GET);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int total = 0;
      // read the whole response (it ends with the body), not until the server closes
      while (total < 12 || !new String(buffer, total - 12, 12, StandardCharsets.US_ASCII)
          .equals("hello, world")) {
        int n = in.read(buffer, total, buffer.length - total);
        if (n < 0) {
          throw new IOException("the response ended early");
        }
        total += n;
      }
      socket.getSession().invalidate(); // the next connection makes a full handshake again
      return total;
    }
  }

  @Benchmark
  public int newConnectionPlain() throws IOException {
    return connect(plainContext);
  }

  @Benchmark
  public int newConnectionPinning() throws IOException {
    return connect(pinningContext);
  }

  @Benchmark
  public int reusedConnectionPlain() throws Exception {
    return plainClient.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
  }

  @Benchmark
  public int reusedConnectionPinning() throws Exception {
    return pinningClient.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
  }

  /** What the trust manager adds to a handshake once the chain is known: a digest and a lookup. */
  @Benchmark
  public Object checkPinsKnownChain() throws Exception {
    agent.checkPins("localhost", port, served);
    return agent;
  }

  /** What every response adds: its pinning headers observed (the same header as last time). */
  @Benchmark
  public Object observeResponse() {
    return agent.observe("localhost", port, served, header, NONE);
  }

  /**
   * The first connection to a chain: PKIX path building, cached afterwards. The JDK remembers a
   * certificate's last verified key, so after the first call this is path search without the
   * signature checks (tens of microseconds more on a truly new chain).
   */
  @Benchmark
  public Object coldPathBuilding() {
    return anchors.builtPath(served, Instant.now());
  }
}
