package dev.hpkp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that sends pinning headers no real server would: huge, with ten thousand pins, with
 * control characters, with non-ASCII digits. The response reaches the caller; nothing is noted;
 * no exception of ours escapes. A raw TLS socket writes them, since Jetty refuses to.
 */
class HostileServerTest {

  private static final TestPki PKI = TestPki.localhost();

  static Stream<String> hostileHeaders() {
    String backup = PKI.backupPin().toDirective();
    String leaf = PKI.leafPin().toDirective();
    return Stream.of(
        "Public-Key-Pins: " + leaf + "; " + backup + "; max-age=600; x=\""
            + "a".repeat(1 << 20) + "\"",
        "Public-Key-Pins: " + IntStream.range(0, 10_000).mapToObj(i -> backup)
            .collect(Collectors.joining("; ")) + "; " + leaf + "; max-age=600",
        "Public-Key-Pins: " + leaf + "; " + backup + "; max-age=600\rSet-Cookie: a=1",
        "Public-Key-Pins: " + leaf + "; " + backup + "; max-age=\u0666\u0660\u0660",
        "Public-Key-Pins: " + leaf + "; " + backup + "; max-age=99999999999999999999999",
        "Public-Key-Pins: " + leaf + "\u0000; " + backup + "; max-age=600",
        "Public-Key-Pins: " + leaf.replace("pin-sha256", "pin-sha256\u00e9") + "; " + backup
            + "; max-age=600");
  }

  /**
   * Whatever the JDK's client does with the response (it refuses headers over 384 KiB and
   * control characters itself), the pinning client does the same, and notes nothing.
   */
  @ParameterizedTest
  @MethodSource("hostileHeaders")
  void hostileHeadersChangeNothingTheCallerSees(String header) throws Exception {
    byte[] response = ("HTTP/1.1 200 OK\r\n" + header + "\r\nContent-Length: 2\r\n"
        + "Connection: close\r\n\r\nok").getBytes(StandardCharsets.UTF_8);
    try (HpkpAgent agent = HpkpAgent.builder().trustManager(TestPki.trustManager(PKI.root()))
        .clock(new MutableClock(Instant.now())).build()) {
      Object plain = fetch(HttpClient.newBuilder().sslContext(PKI.clientContext()).build(),
          response);
      Object pinning = fetch(HpkpHttpClient.wrap(HttpClient.newBuilder(), agent), response);

      assertThat(pinning).isEqualTo(plain);
      assertThat(agent.store().entries()).isEmpty();
    }
  }

  /** The server's largest hostile headers, handed to the agent directly: ignored unparsed. */
  @ParameterizedTest
  @MethodSource("hostileHeaders")
  void theAgentIgnoresThemWithoutThrowing(String header) {
    try (HpkpAgent agent = HpkpAgent.builder().trustManager(TestPki.trustManager(PKI.root()))
        .clock(new MutableClock(Instant.now())).build()) {
      String value = header.substring("Public-Key-Pins: ".length());

      Observation observation = agent.observe("localhost", 443, PKI.chain().subList(0, 2),
          java.util.List.of(value), java.util.List.of(value + "; report-uri=\"https://r/\""));

      assertThat(observation.noting()).isIn(Observation.Noting.TOO_LONG,
          Observation.Noting.MALFORMED);
      assertThat(observation.reportOnly()).isEqualTo(Observation.ReportOnly.IGNORED);
      assertThat(agent.store().entries()).isEmpty();
      assertThat(agent.reports().queued()).isZero();
    }
  }

  /** "200 ok", or the class of what the client threw. */
  private static Object fetch(HttpClient client, byte[] response) throws Exception {
    try (SSLServerSocket server = serverSocket()) {
      Thread answering = new Thread(() -> answer(server, response));
      answering.start();
      try {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + server.getLocalPort() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() + " " + answer.body();
      } catch (IOException e) {
        return e.getClass();
      } finally {
        answering.join(10_000);
      }
    }
  }

  private static SSLServerSocket serverSocket() throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(
        KeyManagerFactory.getDefaultAlgorithm());
    keys.init(PKI.keyStore("server"), TestPki.PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
        InetAddress.getLoopbackAddress());
  }

  private static void answer(SSLServerSocket server, byte[] response) {
    try (SSLSocket socket = (SSLSocket) server.accept()) {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        request.write(b);
      }
      OutputStream out = socket.getOutputStream();
      out.write(response);
      out.flush();
    } catch (IOException e) {
      // the client hung up: the assertions on its side say what happened
    }
  }
}
