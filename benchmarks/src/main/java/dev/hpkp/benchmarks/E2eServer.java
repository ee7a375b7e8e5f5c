package dev.hpkp.benchmarks;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A Jetty 12 HTTPS server for the end-to-end run, serving a 12-byte response: argument
 * {@code plain} (A, no filter), {@code filter} (B, HpkpFilter) or {@code constant} (C, a filter
 * that sets the same header as a constant: the cost of the header bytes and of having a filter
 * at all). One side per JVM, so they never share JIT profiles. Prints {@code READY <port>}.
 */
public final class E2eServer {

  private E2eServer() {}

  public static void main(String[] args) throws Exception {
    TestPki pki = TestPki.localhost();
    PinPolicy policy = PinPolicy.builder().pins(pki.leafPin())
        .backupPins(pki.backupPin(), pki.secondBackupPin())
        .reportUri("https://reports.example.net/hpkp")
        .servedChain(KeyMaterial.toChain(pki.chain())).build();
    TlsJetty server = new TlsJetty(pki);
    String side = args.length > 0 ? args[0] : "plain";
    if (side.equals("filter")) {
      server.filter("hpkp", new HpkpFilter(policy));
    } else if (side.equals("constant")) {
      String name = policy.headerName();
      String value = policy.headerValue();
      server.filter("constant", (request, response, chain) -> {
        ((HttpServletResponse) response).setHeader(name, value);
        chain.doFilter(request, response);
      });
    }
    server.servlet("/*", new Hello()).start();
    System.out.println("READY " + server.https("/").getPort());
    System.out.flush();
    server.server().join();
  }

  static final class Hello extends HttpServlet {
    private static final byte[] BODY = "hello world\n".getBytes();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.setContentLength(BODY.length);
      response.getOutputStream().write(BODY);
    }
  }
}
