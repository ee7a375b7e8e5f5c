package dev.hpkp.benchmarks;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.testing.TestPki;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A Jetty 12 HTTPS server for the end-to-end run. Arguments: the side — {@code plain} (A, no
 * filter), {@code filter} (B, HpkpFilter) or {@code constant} (C, a filter that sets the same
 * header as a constant: the cost of the header bytes and of having a filter at all) — then the
 * body size in bytes (default 12). The connector speaks h2 and http/1.1 over TLS, chosen by ALPN,
 * so wrk gets HTTP/1.1 and h2load HTTP/2 from the same server. One side per JVM, so they never
 * share JIT profiles. Prints {@code READY <port>}.
 */
public final class E2eServer {

  private E2eServer() {}

  public static void main(String[] args) throws Exception {
    TestPki pki = TestPki.localhost();
    PinPolicy policy = PinPolicy.builder().pins(pki.leafPin())
        .backupPins(pki.backupPin(), pki.secondBackupPin())
        .reportUri("https://reports.example.net/hpkp")
        .servedChain(KeyMaterial.toChain(pki.chain())).build();
    String side = args.length > 0 ? args[0] : "plain";
    int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 12;

    Server server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer(false));
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(pki.keyStore("server"));
    ssl.setKeyStorePassword(new String(TestPki.PASSWORD));
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
        new HTTP2ServerConnectionFactory(config), new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    Filter filter = switch (side) {
      case "filter" -> new HpkpFilter(policy);
      case "constant" -> {
        String name = policy.headerName();
        String value = policy.headerValue();
        yield (request, response, chain) -> {
          ((HttpServletResponse) response).setHeader(name, value);
          chain.doFilter(request, response);
        };
      }
      default -> null;
    };
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(new Body(bodyBytes)), "/*");
    server.setHandler(context);
    server.start();
    System.out.println("READY " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }

  static final class Body extends HttpServlet {
    private final byte[] body;

    Body(int bytes) {
      body = new byte[bytes];
      Arrays.fill(body, (byte) 'x');
      body[bytes - 1] = '\n';
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
