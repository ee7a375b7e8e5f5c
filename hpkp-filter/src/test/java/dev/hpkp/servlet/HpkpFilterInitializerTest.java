package dev.hpkp.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hpkp.testing.TestPki;
import dev.hpkp.testing.TlsJetty;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check that makes a refused policy fail the deployment on every container, also
 * on those that initialise filters only at the first request: it runs as the webapp starts, before
 * any filter's init, and the filter then takes the policy it validated.
 */
class HpkpFilterInitializerTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;
  private TlsJetty jetty;

  /** Counts its inits, to tell the start-up check's refusal from the filter's own. */
  public static final class CountingFilter extends HpkpFilter {
    static final AtomicInteger INITS = new AtomicInteger();

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
      INITS.incrementAndGet();
      super.init(filterConfig);
    }
  }

  static final class Hello extends HttpServlet {
    @Override
    protected void doGet(jakarta.servlet.http.HttpServletRequest request,
        HttpServletResponse response) throws IOException {
      response.getWriter().write("hello");
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  private Map<String, String> params(String backup) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("pins", PKI.leafPin().toString());
    params.put("backupPins", backup);
    params.put("reportUri", "https://reports.example.net/hpkp");
    params.put("servedChain", "file:" + PKI.writeChainPem(dir.resolve("chain.pem")));
    return params;
  }

  private TlsJetty server(Map<String, String> params) {
    TlsJetty server = new TlsJetty(PKI).filter("hpkp", CountingFilter.class, params)
        .servlet("/*", new Hello());
    server.context().addServletContainerInitializer(new HpkpFilterInitializer());
    return server;
  }

  @Test
  void aRefusedPolicyFailsTheStartBeforeAnyFilterIsInitialised() throws Exception {
    CountingFilter.INITS.set(0);
    jetty = server(params(PKI.intermediatePin().toString()));

    Throwable failure = catchThrowable(() -> jetty.start());

    assertThat(failure).isNotNull().hasStackTraceContaining("HPKP filter hpkp refuses to start:"
        + " backupPins: " + PKI.intermediatePin() + " matches the intermediate certificate");
    assertThat(CountingFilter.INITS).as("the filter's own init never ran").hasValue(0);
  }

  @Test
  void aSoundPolicyIsValidatedOnceAndTheFilterTakesIt() throws Exception {
    CountingFilter.INITS.set(0);
    jetty = server(params(PKI.backupPin().toString())).start();

    Object published = jetty.context().getServletContext()
        .getAttribute(HpkpFilter.POLICY_ATTRIBUTE_PREFIX + "hpkp");
    assertThat(CountingFilter.INITS).hasValue(1);
    assertThat(published).isInstanceOf(dev.hpkp.policy.PinPolicy.class);
    assertThat(((dev.hpkp.policy.PinPolicy) published).headerValue())
        .startsWith(PKI.leafPin().toDirective());
    assertThat(jetty.context().getServletContext().getAttribute(
        HpkpFilterInitializer.VALIDATED_PREFIX + "hpkp")).as("taken by the filter's init").isNull();
  }

  @Test
  void filtersConstructedWithAPolicyAndOtherFiltersAreLeftAlone() throws Exception {
    dev.hpkp.policy.PinPolicy policy = HpkpConfig.of(params(PKI.backupPin().toString()), "test")
        .toPolicy();
    jetty = new TlsJetty(PKI).filter("built", new HpkpFilter(policy))
        .filter("other", (request, response, chain) -> chain.doFilter(request, response))
        .servlet("/*", new Hello());
    jetty.context().addServletContainerInitializer(new HpkpFilterInitializer());

    jetty.start();

    assertThat(jetty.context().getServletContext().getAttribute(
        HpkpFilter.POLICY_ATTRIBUTE_PREFIX + "built")).isEqualTo(policy);
  }

  @Test
  void aServerThatOnlyWarnsAboutTheInitializerStillFailsOnTheListenerItAdds() throws Exception {
    // Open Liberty logs an initializer's exception as a warning and goes on; the listener the
    // initializer added before throwing then fails the start with the same sentence.
    java.util.List<Object> listeners = new java.util.ArrayList<>();
    Map<String, String> params = params(PKI.intermediatePin().toString());
    jakarta.servlet.FilterRegistration registration = proxy(
        jakarta.servlet.FilterRegistration.class, (method, args) -> switch (method) {
          case "getInitParameters" -> params;
          case "getClassName" -> HpkpFilter.class.getName();
          default -> null;
        });
    jakarta.servlet.ServletContext context = proxy(jakarta.servlet.ServletContext.class,
        (method, args) -> switch (method) {
          case "getFilterRegistrations" -> Map.of("hpkp", registration);
          case "getInitParameterNames" -> java.util.Collections.emptyEnumeration();
          case "addListener" -> listeners.add(args[0]);
          default -> null;
        });

    Throwable refusal = catchThrowable(() -> new HpkpFilterInitializer().onStartup(null,
        context));

    assertThat(refusal).isInstanceOf(ServletException.class)
        .hasMessageStartingWith("HPKP filter hpkp refuses to start: backupPins: ");
    assertThat(listeners).singleElement().isInstanceOf(
        jakarta.servlet.ServletContextListener.class);
    assertThat(catchThrowable(() -> ((jakarta.servlet.ServletContextListener) listeners.get(0))
        .contextInitialized(null))).isInstanceOf(IllegalStateException.class)
        .hasMessage(refusal.getMessage());
  }

  private interface Answer {
    Object answer(String method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(),
        new Class<?>[] {type}, (self, method, args) -> answer.answer(method.getName(), args)));
  }

  // ---- the drop-in: hpkp.* context-params, no <filter> (#22 item 3) -------------------------

  private TlsJetty dropIn(Map<String, String> contextParams) {
    TlsJetty server = new TlsJetty(PKI).servlet("/*", new Hello());
    contextParams.forEach((name, value) -> server.context().setInitParameter(name, value));
    server.context().addServletContainerInitializer(new HpkpFilterInitializer());
    return server;
  }

  private static Map<String, String> asContextParams(Map<String, String> params) {
    Map<String, String> prefixed = new LinkedHashMap<>();
    params.forEach((name, value) -> prefixed.put("hpkp." + name, value));
    return prefixed;
  }

  @Test
  void contextParamsAloneRegisterTheFilterFirstOnEveryPath() throws Exception {
    jetty = dropIn(asContextParams(params(PKI.backupPin().toString()))).start();

    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder()
        .sslContext(PKI.clientContext()).build().send(java.net.http.HttpRequest.newBuilder(
            jetty.https("/any/path")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.body()).isEqualTo("hello");
    assertThat(response.headers().firstValue("Public-Key-Pins-Report-Only")).get().asString()
        .startsWith(PKI.leafPin().toDirective() + "; " + PKI.backupPin().toDirective());
    assertThat(jetty.context().getServletContext().getFilterRegistration("hpkp")
        .getClassName()).isEqualTo(HpkpFilter.class.getName());
  }

  @Test
  void withoutContextParamsNothingIsRegistered() throws Exception {
    jetty = dropIn(Map.of("other.setting", "x")).start();

    assertThat(jetty.context().getServletContext().getFilterRegistrations()).isEmpty();
  }

  @Test
  void aDropInRefusalNamesTheContextParam() throws Exception {
    Map<String, String> leafAsBackup = asContextParams(params(PKI.leafPin().toString()));
    jetty = dropIn(leafAsBackup);
    assertThat(catchThrowable(() -> jetty.start())).hasStackTraceContaining("HPKP filter hpkp"
        + " refuses to start: hpkp.backupPins: " + PKI.leafPin() + " is listed in hpkp.pins"
        + " too");
    jetty.close();

    Map<String, String> typo = asContextParams(params(PKI.backupPin().toString()));
    typo.put("hpkp.maxAge", "600");
    jetty = dropIn(typo);
    assertThat(catchThrowable(() -> jetty.start())).hasStackTraceContaining("HPKP filter hpkp"
        + " refuses to start: hpkp.maxAge: unknown context-param; did you mean"
        + " hpkp.maxAgeSeconds?");
    jetty.close();

    jetty = dropIn(asContextParams(params(PKI.backupPin().toString())))
        .filter("declared", HpkpFilter.class, params(PKI.backupPin().toString()));
    assertThat(catchThrowable(() -> jetty.start())).hasStackTraceContaining("hpkp.* context-params"
        + " (hpkp.backupPins, hpkp.pins, hpkp.reportUri, hpkp.servedChain) and the HpkpFilter"
        + " 'declared' of the deployment descriptor both configure a pinning policy; keep one");
  }
}
