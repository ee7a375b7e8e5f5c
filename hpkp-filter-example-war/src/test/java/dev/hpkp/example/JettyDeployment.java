package dev.hpkp.example;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12 with a TLS connector serving the example's keystore, the WAR deployed as an ee10
 * (Servlet 6.0) webapp, or as an ee11 (Servlet 6.1) one.
 */
public final class JettyDeployment implements ContainerDeployment {

  private final Function<Path, JettyWebapp> environment;
  private Server server;
  private JettyWebapp webapp;
  private ServerConnector https;
  private ServerConnector http;

  /** The WAR as a Jakarta EE 10 webapp (Servlet 6.0). */
  public JettyDeployment() {
    this(Ee10Webapp::new);
  }

  JettyDeployment(Function<Path, JettyWebapp> environment) {
    this.environment = environment;
  }

  @Override
  public JettyDeployment deploy(Path war, Path dataDir, String host, int httpsPort, int httpPort)
      throws Exception {
    ContainerDeployment.configure(dataDir, host, httpsPort);
    server = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(dataDir.resolve("keys/server.p12").toString());
    ssl.setKeyStorePassword(ExampleKeys.PASSWORD);
    ssl.setKeyStoreType("PKCS12");
    HttpConfiguration secure = new HttpConfiguration();
    secure.setSecurePort(httpsPort);
    secure.addCustomizer(new SecureRequestCustomizer(false));
    https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(secure));
    https.setHost(host);
    https.setPort(httpsPort);
    http = new ServerConnector(server);
    http.setHost(host);
    http.setPort(httpPort);
    server.addConnector(https);
    server.addConnector(http);
    webapp = environment.apply(war);
    server.setHandler(webapp.handler());
    server.start();
    return this;
  }

  @Override
  public URI https(String path) {
    return URI.create("https://localhost:" + https.getLocalPort() + path);
  }

  @Override
  public URI http(String path) {
    return URI.create("http://localhost:" + http.getLocalPort() + path);
  }

  @Override
  public Object attribute(String name) {
    return webapp.attribute(name);
  }

  @Override
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
