package dev.hpkp.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real Jetty 12 server on loopback with an HTTPS connector (serving a {@link TestPki} chain)
 * and a plain HTTP connector, both on free ports.
 */
public final class TlsJetty implements AutoCloseable {

  private final Server server = new Server();
  private final ServletContextHandler context = new ServletContextHandler();
  private final ServerConnector https;
  private final ServerConnector http;

  public TlsJetty(TestPki pki) {
    this(pki.keyStore("server"));
  }

  /** A server presenting the key entry of {@code keyStore} (password {@link TestPki#PASSWORD}). */
  public TlsJetty(java.security.KeyStore keyStore) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(new String(TestPki.PASSWORD));
    HttpConfiguration httpsConfig = new HttpConfiguration();
    // Room for oversized test headers (Jetty itself drops a response header over 8 KiB).
    httpsConfig.setResponseHeaderSize(32 * 1024);
    httpsConfig.addCustomizer(new SecureRequestCustomizer(false));
    https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(httpsConfig));
    https.setHost("127.0.0.1");
    http = new ServerConnector(server);
    http.setHost("127.0.0.1");
    server.addConnector(https);
    server.addConnector(http);
    context.setContextPath("/");
    server.setHandler(context);
  }

  /** Adds a filter configured by init-params, mapped to every request. */
  public TlsJetty filter(String name, Class<? extends Filter> type, Map<String, String> params) {
    FilterHolder holder = new FilterHolder(type);
    holder.setInitParameters(params);
    return add(name, holder);
  }

  /** Adds a filter instance, mapped to every request. */
  public TlsJetty filter(String name, Filter filter) {
    return add(name, new FilterHolder(filter));
  }

  private TlsJetty add(String name, FilterHolder holder) {
    holder.setName(name);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    return this;
  }

  /** Adds a servlet instance; filters and servlets here all allow async requests. */
  public TlsJetty servlet(String pathSpec, HttpServlet servlet) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    context.addServlet(holder, pathSpec);
    return this;
  }

  /** Adds a servlet configured by init-params. */
  public TlsJetty servlet(String pathSpec, Class<? extends HttpServlet> type, String name,
      Map<String, String> params) {
    ServletHolder holder = new ServletHolder(type);
    holder.setName(name);
    holder.setInitParameters(params);
    holder.setInitOrder(1);
    holder.setAsyncSupported(true);
    context.addServlet(holder, pathSpec);
    return this;
  }

  /** Listens for HTTPS on {@code port} (default: a free one); call before {@link #start()}. */
  public TlsJetty httpsPort(int port) {
    https.setPort(port);
    return this;
  }

  public ServletContextHandler context() {
    return context;
  }

  public TlsJetty start() throws Exception {
    server.start();
    return this;
  }

  public Server server() {
    return server;
  }

  public URI https(String path) {
    return URI.create("https://localhost:" + https.getLocalPort() + path);
  }

  public URI http(String path) {
    return URI.create("http://127.0.0.1:" + http.getLocalPort() + path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
