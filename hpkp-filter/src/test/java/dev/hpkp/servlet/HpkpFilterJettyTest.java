package dev.hpkp.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HpkpFilterJettyTest {

  private static final TestPki PKI = TestPki.localhost();
  private static final String REPORT_ONLY = "Public-Key-Pins-Report-Only";
  private static final String ENFORCE = "Public-Key-Pins";

  @TempDir Path dir;
  private Path chain;
  private TlsJetty jetty;
  private HttpClient client;

  @BeforeEach
  void setUp() throws IOException {
    chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    client = HttpClient.newBuilder().sslContext(PKI.clientContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  private Map<String, String> params() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("pins", PKI.leafPin().toString());
    params.put("backupPins", PKI.backupPin() + "," + PKI.secondBackupPin());
    params.put("reportUri", "https://reports.example.net/hpkp");
    params.put("servedChain", "file:" + chain);
    return params;
  }

  private TlsJetty server(Map<String, String> params) {
    return new TlsJetty(PKI).filter("hpkp", HpkpFilter.class, params)
        .servlet("/*", new Hello());
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sendsTheExactReportOnlyHeaderOnHttpsAndNothingOnHttp() throws Exception {
    jetty = server(params()).start();

    HttpResponse<String> secure = get(jetty.https("/"));
    HttpResponse<String> plain = get(jetty.http("/"));

    assertThat(secure.statusCode()).isEqualTo(200);
    assertThat(secure.headers().allValues(REPORT_ONLY)).containsExactly(
        PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
            + PKI.secondBackupPin().toDirective()
            + "; max-age=5184000; report-uri=\"https://reports.example.net/hpkp\"");
    assertThat(secure.headers().firstValue(ENFORCE)).isEmpty();
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue(REPORT_ONLY)).isEmpty();
    assertThat(plain.headers().firstValue(ENFORCE)).isEmpty();
  }

  @Test
  void enforcingFilterFromInitParamsSendsPublicKeyPins() throws Exception {
    Map<String, String> params = params();
    params.put("reportOnly", "false");
    params.put("maxAgeSeconds", "600");
    params.put("includeSubDomains", "true");
    params.remove("reportUri");
    jetty = server(params).start();

    HttpResponse<String> secure = get(jetty.https("/"));

    assertThat(secure.headers().allValues(ENFORCE)).containsExactly(
        PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
            + PKI.secondBackupPin().toDirective() + "; max-age=600; includeSubDomains");
    assertThat(secure.headers().firstValue(REPORT_ONLY)).isEmpty();
  }

  @Test
  void enforcingAndReportOnlyFiltersWorkSideBySideForARotation() throws Exception {
    Map<String, String> current = params();
    current.put("reportOnly", "false");
    current.remove("reportUri");
    Map<String, String> next = params();
    next.put("pins", PKI.intermediatePin().toString());
    next.put("backupPins", PKI.secondBackupPin().toString());
    next.put("maxAgeSeconds", "300");
    jetty = new TlsJetty(PKI)
        .filter("hpkp-enforce", HpkpFilter.class, current)
        .filter("hpkp-next", HpkpFilter.class, next)
        .servlet("/*", new Hello()).start();

    HttpResponse<String> secure = get(jetty.https("/"));

    assertThat(secure.headers().allValues(ENFORCE)).containsExactly(
        PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective() + "; "
            + PKI.secondBackupPin().toDirective() + "; max-age=5184000");
    assertThat(secure.headers().allValues(REPORT_ONLY)).containsExactly(
        PKI.intermediatePin().toDirective() + "; " + PKI.secondBackupPin().toDirective()
            + "; max-age=300; report-uri=\"https://reports.example.net/hpkp\"");
  }

  @Test
  void neverOverwritesAHeaderAlreadySet() throws Exception {
    Filter preset = (request, response, chain) -> {
      ((HttpServletResponse) response).setHeader(REPORT_ONLY, "set-by-the-application");
      chain.doFilter(request, response);
    };
    jetty = new TlsJetty(PKI).filter("preset", preset)
        .filter("hpkp", HpkpFilter.class, params())
        .servlet("/*", new Hello()).start();

    assertThat(get(jetty.https("/")).headers().allValues(REPORT_ONLY))
        .containsExactly("set-by-the-application");
  }

  @Test
  void responsesCommittedEarlyStillCarryTheHeader() throws Exception {
    jetty = new TlsJetty(PKI).filter("hpkp", HpkpFilter.class, params())
        .servlet("/*", new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest request, HttpServletResponse response)
              throws IOException {
            response.flushBuffer();
            response.getWriter().write("streamed");
          }
        }).start();

    HttpResponse<String> secure = get(jetty.https("/"));

    assertThat(secure.body()).isEqualTo("streamed");
    assertThat(secure.headers().firstValue(REPORT_ONLY)).isPresent();
  }

  @Test
  void programmaticPolicyWorksWithoutInitParams() throws Exception {
    PinPolicy policy = PinPolicy.builder().pins(PKI.rootPin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).reportOnly(false)
        .maxAgeSeconds(60).servedChain(KeyMaterial.toChain(PKI.chain())).build();
    jetty = new TlsJetty(PKI).filter("hpkp", new HpkpFilter(policy))
        .servlet("/*", new Hello()).start();

    assertThat(get(jetty.https("/")).headers().allValues(ENFORCE))
        .containsExactly(policy.headerValue());
  }

  @Test
  void aFilterBuiltWithAPolicySendsItsHeaderEvenBeforeInit() throws Exception {
    PinPolicy policy = PinPolicy.builder().pins(PKI.rootPin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).reportOnly(false)
        .maxAgeSeconds(60).servedChain(KeyMaterial.toChain(PKI.chain())).build();
    Map<String, String> set = new LinkedHashMap<>();
    HttpServletRequest request = (HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {HttpServletRequest.class},
        (proxy, method, args) -> method.getName().equals("isSecure") ? Boolean.TRUE : null);
    HttpServletResponse response = (HttpServletResponse) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "containsHeader" -> set.containsKey((String) args[0]);
          case "setHeader" -> set.put((String) args[0], (String) args[1]) == null ? null : null;
          default -> null;
        });

    new HpkpFilter(policy).doFilter(request, response, (req, res) -> { });

    assertThat(set).containsExactly(Map.entry(ENFORCE, policy.headerValue()));
  }

  @Test
  void refusingFilterFailsTheDeployment() {
    Map<String, String> params = params();
    params.put("backupPins", PKI.intermediatePin().toString());
    jetty = server(params);

    assertThatThrownBy(jetty::start)
        .hasStackTraceContaining("HPKP filter hpkp refuses to start: backupPins: "
            + PKI.intermediatePin() + " matches the intermediate certificate CN=HPKP Test"
            + " Intermediate,O=hpkp-filter tests (position 1 of the served chain); a backup pin"
            + " must be a key that is NOT deployed yet — generate one with 'hpkp backup-key'");
  }

  /** The filter's log records while open (System.Logger goes to java.util.logging here). */
  static final class FilterLog extends java.util.logging.Handler implements AutoCloseable {
    private final java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(HpkpFilter.class.getName());
    final List<java.util.logging.LogRecord> records =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    FilterLog() {
      logger.addHandler(this);
    }

    List<String> lines(java.util.logging.Level level) {
      return records.stream().filter(r -> r.getLevel().equals(level))
          .map(java.util.logging.LogRecord::getMessage).toList();
    }

    @Override
    public void publish(java.util.logging.LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  private ChainVerdict publishedVerdict() {
    return (ChainVerdict) jetty.context().getServletContext()
        .getAttribute(HpkpFilter.VERDICT_ATTRIBUTE_PREFIX + "hpkp");
  }

  /** Replaces the chain file as an ACME client does: written beside it, then moved over it. */
  private void replaceChain(String pem) throws IOException {
    Path next = dir.resolve("fullchain.pem.new");
    java.nio.file.Files.writeString(next, pem);
    java.nio.file.Files.move(next, chain, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String lineWaitedFor(FilterLog log, java.util.logging.Level level,
      String containing) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : log.lines(level)) {
        if (line.contains(containing)) {
          return line;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + level + " line with '" + containing + "' in "
        + log.records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList());
  }

  @Test
  void aServedChainFileReplacedOnRenewalIsJudgedAgainAndALockoutIsSevere() throws Exception {
    Map<String, String> params = params();
    params.put("reportOnly", "false");
    params.remove("reportUri");
    params.put("servedChainQuietPeriodMillis", "300");
    try (FilterLog log = new FilterLog()) {
      jetty = server(params).start();
      assertThat(publishedVerdict().kind()).isEqualTo(ChainVerdict.Kind.PINNED);
      String header = get(jetty.https("/")).headers().firstValue(ENFORCE).orElseThrow();

      // certbot renew --reuse-key: a new certificate, the same key
      replaceChain(TestPki.pem(PKI.renewedOn(PKI.leafKey()).toArray()));
      assertThat(lineWaitedFor(log, java.util.logging.Level.INFO, "changed: pinned: "))
          .startsWith("HPKP filter hpkp: servedChain " + chain + " changed: pinned: the served"
              + " chain (leaf CN=localhost");

      // certbot renew without reuse_key: a new key no pin covers
      java.security.KeyPair fresh = TestPki.ecKey();
      String renewed = TestPki.pem(PKI.renewedOn(fresh).toArray());
      replaceChain(renewed);
      String severe = lineWaitedFor(log, java.util.logging.Level.SEVERE, "changed: lockout: ");
      String guardSentence = HpkpConfig.of(params, "init-param of filter hpkp").judge(null)
          .sentence();
      assertThat(guardSentence).startsWith("pins: no pinned key is in the served chain, whose"
          + " leaf CN=localhost has the new key " + KeyMaterial.pinOf(fresh.getPublic()));
      assertThat(severe).isEqualTo("HPKP filter hpkp: servedChain " + chain + " changed:"
          + " lockout: " + guardSentence + " (the header is unchanged: user agents note pins"
          + " only from a chain that matches one, RFC 7469 §2.5)");
      assertThat(publishedVerdict().kind()).isEqualTo(ChainVerdict.Kind.LOCKOUT);
      assertThat(publishedVerdict().leafPin()).contains(KeyMaterial.pinOf(fresh.getPublic()));
      // never stops the webapp, and the header stays
      assertThat(get(jetty.https("/")).headers().firstValue(ENFORCE)).contains(header);

      // a half-written file is never a lockout: unreadable, judged twice, the verdict kept
      replaceChain(renewed.substring(0, renewed.indexOf("-----BEGIN", 10) + 120));
      assertThat(lineWaitedFor(log, java.util.logging.Level.WARNING, "changed: unreadable: "))
          .contains("servedChain: ").contains("begins but never ends")
          .endsWith("(the policy in force is unchanged; the chain is judged again when it"
              + " changes)");
      assertThat(publishedVerdict().kind()).isEqualTo(ChainVerdict.Kind.LOCKOUT);

      // certbot certonly --csr backup-1.csr: rotated onto a backup key
      replaceChain(TestPki.pem(PKI.renewedOn(PKI.backupKey()).toArray()));
      assertThat(lineWaitedFor(log, java.util.logging.Level.WARNING,
          "changed: rotated-onto-backup: ")).contains("move " + PKI.backupPin()
          + " from backupPins to pins");
      assertThat(publishedVerdict().kind()).isEqualTo(ChainVerdict.Kind.ROTATED_ONTO_BACKUP);
      assertThat(log.lines(java.util.logging.Level.SEVERE)).hasSize(1);
    }
  }

  @Test
  void servedChainWatchFalseWatchesNothingAndBadValuesAreRefused() throws Exception {
    Map<String, String> params = params();
    params.put("servedChainWatch", "false");
    params.put("servedChainQuietPeriodMillis", "100");
    try (FilterLog log = new FilterLog()) {
      jetty = server(params).start();
      replaceChain(TestPki.pem(PKI.renewedOn(TestPki.ecKey()).toArray()));
      Thread.sleep(1_000);
      assertThat(log.lines(java.util.logging.Level.SEVERE)).isEmpty();
      assertThat(publishedVerdict().kind()).isEqualTo(ChainVerdict.Kind.PINNED);
    }
    for (String[] bad : new String[][] {{"servedChainWatch", "yes please"},
        {"servedChainQuietPeriodMillis", "5"}, {"servedChainQuietPeriodMillis", "١٠٠٠"},
        {"servedChainQuietPeriodMillis", "99999999999999999999"}}) {
      Map<String, String> settings = params();
      settings.put(bad[0], bad[1]);
      assertThatThrownBy(() -> HpkpConfig.of(settings, "init-param").toPolicy())
          .isInstanceOf(dev.hpkp.policy.PolicyException.class)
          .hasMessageStartingWith(bad[0] + ": ");
    }
  }

  @Test
  void logsOneInfoLineAtStartAndNothingPerRequest() throws Exception {
    try (FilterLog log = new FilterLog()) {
      jetty = server(params()).start();
      assertThat(log.records).singleElement().satisfies(record -> {
        assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.INFO);
        assertThat(record.getMessage()).isEqualTo("HPKP filter hpkp sends on HTTPS responses: "
            + REPORT_ONLY + ": " + PKI.leafPin().toDirective() + "; "
            + PKI.backupPin().toDirective() + "; " + PKI.secondBackupPin().toDirective()
            + "; max-age=5184000; report-uri=\"https://reports.example.net/hpkp\"");
      });
      for (int i = 0; i < 20; i++) {
        assertThat(get(jetty.https("/")).statusCode()).isEqualTo(200);
      }
      assertThat(log.records).hasSize(1);
    }
  }

  @Test
  void warnsWhenTwoFiltersSendTheSameHeaderAndSaysWhichWins() throws Exception {
    Map<String, String> next = params();
    next.put("pins", PKI.intermediatePin().toString());
    try (FilterLog log = new FilterLog()) {
      jetty = new TlsJetty(PKI).filter("hpkp-current", HpkpFilter.class, params())
          .filter("hpkp-next", HpkpFilter.class, next).servlet("/*", new Hello()).start();

      assertThat(log.lines(java.util.logging.Level.WARNING)).containsExactly("HPKP filter"
          + " hpkp-next sends " + REPORT_ONLY + ", as filter hpkp-current does: on a request"
          + " both filters see, the one that runs first (the first <filter-mapping>) sets the"
          + " header and the other never overwrites it, so one policy is never sent there; to"
          + " test a rotation, enforce one policy (reportOnly=false) and report-only the other,"
          + " or map them to different URLs");
      assertThat(get(jetty.https("/")).headers().allValues(REPORT_ONLY)).singleElement()
          .asString().startsWith(PKI.leafPin().toDirective());
    }
  }

  @Test
  void aFilterBuiltFromAPolicyRefusesInitParams() {
    PinPolicy policy = PinPolicy.builder().pins(PKI.leafPin())
        .backupPins(PKI.backupPin(), PKI.secondBackupPin()).reportOnly(false)
        .servedChain(KeyMaterial.toChain(PKI.chain())).build();
    jetty = new TlsJetty(PKI).filter("hpkp", new HpkpFilter(policy)).servlet("/*", new Hello());
    jetty.context().getServletHandler().getFilter("hpkp").setInitParameter("maxAgeSeconds", "60");

    assertThatThrownBy(jetty::start).hasStackTraceContaining("HPKP filter hpkp was constructed"
        + " with a policy and also has init-params [maxAgeSeconds]; configure it one way only");
  }

  static final class Hello extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.getWriter().write("hello");
    }
  }
}
