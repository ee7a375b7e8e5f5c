package dev.hpkp.example;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the built example WAR on an embedded Jetty 12 at https://localhost:8443/ (and plain HTTP
 * on 8080, which carries no pinning header). Started by the README's run command.
 */
public final class ExampleServer {

  private ExampleServer() {}

  public static void main(String[] args) throws Exception {
    Path war = Path.of(System.getProperty("example.war",
        "hpkp-filter-example-war/target/hpkp-filter-example.war"));
    Path dir = Path.of(System.getProperty("example.dir",
        "hpkp-filter-example-war/target/hpkp-example")).toAbsolutePath();
    int httpsPort = Integer.getInteger("example.httpsPort", 8443);
    int httpPort = Integer.getInteger("example.httpPort", 8080);
    if (!Files.isRegularFile(war)) {
      System.err.println("example WAR not found at " + war + "; build it with"
          + " ./mvnw -pl hpkp-filter-example-war -am package -Prun");
      System.exit(2);
    }
    boolean fresh = !Files.exists(dir.resolve("keys/server.p12"));
    ExampleKeys.prepare(dir);
    ExampleKeys.writeSampleReport(dir, "localhost", httpsPort);
    System.out.println((fresh ? "Generated" : "Reusing") + " the development chain and backup"
        + " keys in " + dir);
    ContainerDeployment deployment;
    try {
      deployment = new JettyDeployment().deploy(war, dir, "127.0.0.1", httpsPort, httpPort);
    } catch (java.io.IOException e) {
      if (e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException) {
        System.err.println("cannot listen on 127.0.0.1:" + httpsPort + " (HTTPS) and :"
            + httpPort + " (HTTP): a port is taken (" + e.getMessage() + "); choose others,"
            + " e.g. -Dexample.httpsPort=9443 -Dexample.httpPort=9080");
        System.exit(2);
      }
      throw e;
    }
    dev.hpkp.testing.TlsJetty impostor = impostor(dir, Integer.getInteger(
        "example.impostorPort", 0));
    dev.hpkp.watch.TestLog ctLog = ctLog(dir, Integer.getInteger("example.ctLogPort", 0));
    String header = deployment.header("hpkp");
    System.out.println();
    System.out.println("hpkp-filter example is running:");
    System.out.println("  https://localhost:" + httpsPort + "/   (status page; the certificate is"
        + " a development one: curl -k, or accept it in the browser)");
    System.out.println("  http://localhost:" + httpPort + "/    (plain HTTP: no pinning header)");
    if (header != null) {
      System.out.println("It sends on HTTPS responses:");
      System.out.println("  " + header);
    } else {
      System.out.println("The filter did not start; see the log above.");
    }
    System.out.println("Try:");
    System.out.println("  curl -kI https://localhost:" + httpsPort + "/");
    System.out.println("  curl -k -H 'Content-Type: application/json' --data @"
        + dir.resolve("sample-report.json") + " https://localhost:" + httpsPort
        + "/hpkp-report");
    if (impostor != null) {
      System.out.println("  https://localhost:" + impostor.https("/").getPort() + "/   an"
          + " impostor: a certificate for localhost from another CA (keys/impostor-root.pem),"
          + " which a client that noted the pins refuses");
    }
    if (ctLog != null) {
      Path keys = Path.of("").toAbsolutePath().relativize(dir.resolve("keys"));
      System.out.println("  " + ctLog.monitoringPrefix() + "   a local Certificate Transparency"
          + " log (Static CT API) holding this server's certificate and the impostor's;"
          + " watch it with the site's pins (one alert: the impostor's):");
      System.out.println("    hpkp-cli/hpkp watch --once --from-start --log "
          + ctLog.monitoringPrefix() + " --log-key " + keys.resolve("ct-log.pem")
          + " --host localhost --pins " + keys.resolve("localhost.crt") + " --backup-pins "
          + keys.resolve("backup-1.csr") + "," + keys.resolve("backup-2.csr")
          + " --state target/hpkp-watch-demo");
    }
    System.out.println("Stop with Ctrl-C.");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        deployment.close();
        if (impostor != null) {
          impostor.close();
        }
        if (ctLog != null) {
          ctLog.close();
        }
      } catch (Exception e) {
        // stopping anyway
      }
    }));
    deployment.join();
  }

  /**
   * With {@code -Dexample.ctLogPort=8446}: a CT log (the test log of hpkp-watch, Static CT API,
   * signed with a key written to keys/ct-log.pem) holding this server's certificate and the
   * impostor's, as the public logs hold every certificate a CA issues. Null without the
   * property.
   */
  static dev.hpkp.watch.TestLog ctLog(Path dir, int port) throws Exception {
    if (port == 0) {
      return null;
    }
    dev.hpkp.watch.TestLog log;
    try {
      log = new dev.hpkp.watch.TestLog("", port);
    } catch (java.io.IOException e) {
      System.err.println("cannot listen on 127.0.0.1:" + port + " for the CT log ("
          + e.getMessage() + "); choose another -Dexample.ctLogPort");
      System.exit(2);
      return null;
    }
    for (String keystore : new String[] {"keys/server.p12", "keys/impostor.p12"}) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(dir.resolve(keystore))) {
        store.load(in, dev.hpkp.testing.TestPki.PASSWORD);
      }
      String alias = store.aliases().nextElement();
      java.security.cert.Certificate[] chain = store.getCertificateChain(alias);
      java.security.cert.X509Certificate[] issuers =
          new java.security.cert.X509Certificate[chain.length - 1];
      for (int i = 1; i < chain.length; i++) {
        issuers[i - 1] = (java.security.cert.X509Certificate) chain[i];
      }
      log.addCertificate((java.security.cert.X509Certificate) chain[0], issuers);
    }
    log.publish();
    Files.writeString(dir.resolve("keys/ct-log.pem"), log.publicKeyPem());
    watch(log, dir);
    return log;
  }

  /**
   * Watches the local CT log with the example's pins (the leaf's key, the two backup keys)
   * every 10 s, its alerts in watch/alerts.jsonl, which the status page shows.
   */
  private static void watch(dev.hpkp.watch.TestLog log, Path dir) throws Exception {
    java.util.Set<dev.hpkp.policy.Pin> pins = new java.util.LinkedHashSet<>();
    for (String file : new String[] {"keys/localhost.crt", "keys/backup-1.csr",
        "keys/backup-2.csr"}) {
      for (dev.hpkp.keys.KeyEntry entry : dev.hpkp.keys.KeyMaterial.read(dir.resolve(file),
          null)) {
        pins.add(entry.pin());
      }
    }
    Path alerts = dir.resolve("watch/alerts.jsonl");
    dev.hpkp.watch.CtWatcher watcher = dev.hpkp.watch.CtWatcher.builder()
        .staticLog(log.monitoringPrefix(), log.submissionPrefix(), log.logKey)
        .host(new dev.hpkp.watch.WatchedHost("localhost", pins, false))
        .stateDirectory(dir.resolve("watch")).fromStart(true)
        .sink(new dev.hpkp.watch.AlertFile(alerts)).build();
    System.setProperty(CtAlerts.FILE_PROPERTY, alerts.toString());
    java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "example-ct-watch");
      thread.setDaemon(true);
      return thread;
    }).scheduleWithFixedDelay(() -> {
      try {
        watcher.runOnce();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, 0, 10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /**
   * With {@code -Dexample.impostorPort=8444}: a server for localhost whose certificate another
   * CA issued (keys/impostor.p12), as a mis-issuance or an interception would present — for
   * trying a pinning client against. Null without the property.
   */
  static dev.hpkp.testing.TlsJetty impostor(Path dir, int port) throws Exception {
    if (port == 0) {
      return null;
    }
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(dir.resolve("keys/impostor.p12"))) {
      store.load(in, dev.hpkp.testing.TestPki.PASSWORD);
    }
    dev.hpkp.testing.TlsJetty server = new dev.hpkp.testing.TlsJetty(store).httpsPort(port)
        .servlet("/*", new jakarta.servlet.http.HttpServlet() {
          @Override
          protected void service(jakarta.servlet.http.HttpServletRequest request,
              jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
            response.setContentType("text/plain");
            response.getWriter().println("an impostor for localhost: you should not see this"
                + " with the pins noted");
          }
        });
    try {
      return server.start();
    } catch (java.io.IOException e) {
      System.err.println("cannot listen on 127.0.0.1:" + port + " for the impostor (" + e.getMessage()
          + "); choose another -Dexample.impostorPort");
      System.exit(2);
      return null;
    }
  }
}
