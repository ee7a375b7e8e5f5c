package dev.hpkp.example;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/** Embedded Tomcat (10.1 or 11, whichever is on the classpath) with a TLS connector. */
public final class TomcatDeployment implements ContainerDeployment {

  private Tomcat tomcat;
  private Context context;
  private Connector https;
  private Connector http;

  @Override
  public TomcatDeployment deploy(Path war, Path dataDir, String host, int httpsPort,
      int httpPort) throws Exception {
    ContainerDeployment.configure(dataDir, host, httpsPort);
    Path base = Files.createDirectories(dataDir.resolve("tomcat"));
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setAddDefaultWebXmlToWebapp(false);
    https = new Connector("HTTP/1.1");
    https.setPort(httpsPort);
    https.setSecure(true);
    https.setScheme("https");
    https.setProperty("address", host);
    https.setProperty("SSLEnabled", "true");
    SSLHostConfig ssl = new SSLHostConfig();
    SSLHostConfigCertificate certificate =
        new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
    certificate.setCertificateKeystoreFile(dataDir.resolve("keys/server.p12").toString());
    certificate.setCertificateKeystorePassword(ExampleKeys.PASSWORD);
    certificate.setCertificateKeystoreType("PKCS12");
    ssl.addCertificate(certificate);
    https.addSslHostConfig(ssl);
    http = new Connector("HTTP/1.1");
    http.setPort(httpPort);
    http.setProperty("address", host);
    tomcat.getService().addConnector(https);
    tomcat.getService().addConnector(http);
    tomcat.getHost().setAppBase(Files.createDirectories(base.resolve("webapps")).toString());
    context = tomcat.addWebapp("", new File(war.toAbsolutePath().toString()).getPath());
    context.setParentClassLoader(new WebappParentLoader(TomcatDeployment.class.getClassLoader()));
    tomcat.start();
    return this;
  }

  /** e.g. 10.1.34.0 */
  public static String version() {
    return org.apache.catalina.util.ServerInfo.getServerNumber();
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
    return context.getServletContext().getAttribute(name);
  }

  @Override
  public void join() {
    tomcat.getServer().await();
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
