package dev.hpkp.example;

import java.net.URI;
import java.nio.file.Path;

/** The example WAR deployed, unchanged, into one servlet container with HTTPS and HTTP. */
public interface ContainerDeployment extends AutoCloseable {

  /**
   * Deploys {@code war} at the root context. The WAR finds its key material through the system
   * property {@code hpkp.example.dir}, set here to {@code dataDir}.
   */
  ContainerDeployment deploy(Path war, Path dataDir, String host, int httpsPort, int httpPort)
      throws Exception;

  URI https(String path);

  URI http(String path);

  /** A ServletContext attribute of the deployed application (null if it did not start). */
  Object attribute(String name);

  /**
   * The header line ({@code Name: value}) the filter named {@code filterName} sends, or null if
   * it did not start. Read through toString: the webapp's classes are not the test's classes.
   */
  default String header(String filterName) {
    Object policy = attribute(dev.hpkp.servlet.HpkpFilter.POLICY_ATTRIBUTE_PREFIX + filterName);
    return policy == null ? null : policy.toString();
  }

  /** Blocks until the container stops. */
  void join() throws InterruptedException;

  /** Sets the system properties the example's web.xml reads. */
  static void configure(Path dataDir, String host, int httpsPort) {
    System.setProperty("hpkp.example.dir", dataDir.toAbsolutePath().toString());
    System.setProperty("hpkp.example.reportUri",
        "https://localhost:" + httpsPort + "/hpkp-report");
    System.setProperty("hpkp.example.reportOnly",
        System.getProperty("example.reportOnly", "true"));
  }
}
