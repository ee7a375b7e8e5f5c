package app;

import dev.hpkp.client.HpkpAgent;
import dev.hpkp.client.HpkpHttpClient;
import dev.hpkp.client.PinValidationException;
import dev.hpkp.client.PinnedHost;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.servlet.HpkpFilter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Uses the filter and the client as a module would: a policy checked against a served chain,
 * the header the filter sets on a secure request, and the client's verdict on a pinned host.
 * Each result is one line on standard output for ModulePathIT to read.
 */
public final class Main {

  public static void main(String[] args) throws Exception {
    Path keystore = Path.of(args[0]);
    char[] password = args[1].toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password);
    }
    List<X509Certificate> served = new ArrayList<>();
    for (Certificate certificate : store.getCertificateChain("site")) {
      served.add((X509Certificate) certificate);
    }
    Pin pin = KeyMaterial.pinOf(served.get(0));
    byte[] other = new byte[32];
    other[0] = 7;
    Pin backup = Pin.ofHash(other);

    PinPolicy policy = PinPolicy.builder().pins(pin).backupPins(backup).maxAgeSeconds(600)
        .reportOnly(false).servedChain(KeyMaterial.toChain(served)).build();
    System.out.println("policy " + policy.headerName() + ": " + policy.headerValue());

    Map<String, String> headers = new HashMap<>();
    HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
        Main.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
        (proxy, method, arguments) -> method.getName().equals("isSecure") ? Boolean.TRUE : null);
    HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
        Main.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
        (proxy, method, arguments) -> {
          switch (method.getName()) {
            case "setHeader":
              headers.put((String) arguments[0], (String) arguments[1]);
              return null;
            case "containsHeader":
              return headers.containsKey((String) arguments[0]);
            default:
              return null;
          }
        });
    ServletContext context = (ServletContext) Proxy.newProxyInstance(
        Main.class.getClassLoader(), new Class<?>[] {ServletContext.class},
        (proxy, method, arguments) -> method.getName().equals("getAttributeNames")
            ? Collections.emptyEnumeration() : null);
    FilterConfig config = (FilterConfig) Proxy.newProxyInstance(
        Main.class.getClassLoader(), new Class<?>[] {FilterConfig.class},
        (proxy, method, arguments) -> {
          switch (method.getName()) {
            case "getFilterName":
              return "hpkp";
            case "getInitParameterNames":
              return Collections.emptyEnumeration();
            case "getServletContext":
              return context;
            default:
              return null;
          }
        });
    HpkpFilter filter = new HpkpFilter(policy);
    filter.init(config);
    filter.doFilter(request, response, (req, res) -> { });
    System.out.println("filter set " + headers);

    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("site", served.get(served.size() - 1));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    try (HpkpAgent agent = HpkpAgent.builder()
        .trustManager((X509TrustManager) trust.getTrustManagers()[0])
        .preload(PinnedHost.preloaded("site.example", false, Set.of(pin)),
            PinnedHost.preloaded("other.example", false, Set.of(backup)))
        .build()) {
      agent.checkPins("site.example", 443, served);
      System.out.println("client accepted site.example");
      try {
        agent.checkPins("other.example", 443, served);
        System.out.println("client accepted other.example");
      } catch (PinValidationException expected) {
        System.out.println("client refused other.example");
      }
      HpkpHttpClient client = HpkpHttpClient.wrap(HttpClient.newBuilder(), agent);
      System.out.println("client wraps " + (client != null));
    }

    for (Class<?> type : List.of(Main.class, PinPolicy.class, HpkpFilter.class, HpkpAgent.class,
        HttpServletResponse.class)) {
      System.out.println("module " + type.getSimpleName() + " " + type.getModule().getName());
    }
  }
}
