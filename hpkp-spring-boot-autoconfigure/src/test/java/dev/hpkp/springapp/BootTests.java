package dev.hpkp.springapp;

import dev.hpkp.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.context.ApplicationContext;

/**
 * What the shared Boot tests need on Boot 3.5 and Boot 4 alike: the web server's class name
 * (its context type moved between the generations, so it is read reflectively) and HTTP calls
 * trusting the generated root.
 */
public final class BootTests {

  private BootTests() {}

  /** The simple class name of the running web server, e.g. {@code TomcatWebServer}. */
  public static String webServer(ApplicationContext context) {
    try {
      Object server = context.getClass().getMethod("getWebServer").invoke(context);
      return server.getClass().getSimpleName();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("not a web server application context: " + context, e);
    }
  }

  /** The server the failsafe execution put on the class path (Tomcat by default). */
  public static String expectedServletServer() {
    return System.getProperty("test.expectedServer", "TomcatWebServer");
  }

  public static HttpResponse<String> get(TestPki pki, String url) throws IOException,
      InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trusting(pki.root())).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> post(TestPki pki, String url, String type, String body)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(TestPki.trusting(pki.root())).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
