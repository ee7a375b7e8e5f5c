package dev.hpkp.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chrome's log_list.json (v3): which logs are watched by default. */
class LogListTest {

  private static final String KEY = Base64.getEncoder().encodeToString(
      TestCa.key().getPublic().getEncoded());
  private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

  private static String log(String url, String state, String start, String end) {
    return "{\"description\":\"" + url + "\",\"key\":\"" + KEY + "\",\"url\":\"" + url
        + "\",\"mmd\":86400,\"state\":{\"" + state + "\":{\"timestamp\":\"2025-01-01T00:00:00Z\"}}"
        + (start == null ? "" : ",\"temporal_interval\":{\"start_inclusive\":\"" + start
        + "\",\"end_exclusive\":\"" + end + "\"}") + "}";
  }

  @Test
  void usableQualifiedAndReadOnlyLogsOfTheCurrentIntervalAreWatched() {
    String json = "{\"version\":\"70.1\",\"operators\":[{\"name\":\"A\",\"logs\":["
        + log("https://a.example/2026h2/", "usable", "2026-07-01T00:00:00Z",
            "2027-01-01T00:00:00Z") + ","
        + log("https://a.example/2025h1/", "usable", "2025-01-01T00:00:00Z",
            "2025-07-01T00:00:00Z") + ","
        + log("https://a.example/old/", "retired", null, null) + ","
        + log("https://a.example/ro/", "readonly", null, null)
        + "],\"tiled_logs\":[{\"description\":\"tiled\",\"key\":\"" + KEY + "\","
        + "\"submission_url\":\"https://t.example/2026/\","
        + "\"monitoring_url\":\"https://t-mon.example/2026/\","
        + "\"state\":{\"qualified\":{\"timestamp\":\"2026-01-01T00:00:00Z\"}}}]}]}";

    List<LogList.Log> logs = LogList.parse(json.getBytes(StandardCharsets.UTF_8));

    assertThat(logs).hasSize(5);
    assertThat(logs.stream().filter(l -> l.current(NOW)).map(l -> l.url().toString()))
        .containsExactly("https://a.example/2026h2/", "https://a.example/ro/",
            "https://t-mon.example/2026/");
    assertThat(logs.get(4).tiled()).isTrue();
    assertThat(StaticCtLog.originOf(logs.get(4).submission())).isEqualTo("t.example/2026");
  }

  @Test
  void aLogIdThatIsNotTheKeysAndGarbageAreRefusedByName() {
    String wrongId = "{\"operators\":[{\"name\":\"B\",\"logs\":[{\"description\":\"x\","
        + "\"log_id\":\"" + Base64.getEncoder().encodeToString(new byte[32]) + "\",\"key\":\""
        + KEY + "\",\"url\":\"https://b.example/\"}]}]}";
    assertThatThrownBy(() -> LogList.parse(wrongId.getBytes(StandardCharsets.UTF_8)))
        .hasMessage("log 'x' of operator B: its log_id is not the SHA-256 of its key");
    assertThatThrownBy(() -> LogList.parse("{\"operators\":[".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith("the log list is not valid JSON");
    assertThatThrownBy(() -> LogList.parse("[]".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the log list is not a JSON object");
    assertThatThrownBy(() -> LogList.parse(("{\"operators\":[{\"name\":\"C\",\"logs\":[{"
        + "\"description\":\"y\",\"key\":\"AAAA\",\"url\":\"https://c.example/\"}]}]}")
        .getBytes(StandardCharsets.UTF_8))).hasMessageStartingWith("log 'y' of operator C: the"
        + " log key is not a DER SubjectPublicKeyInfo");
  }

  @Test
  void aListIsLoadedFromAFileOrAUrlAndWhatFailsIsSaidInWords(@TempDir Path dir)
      throws Exception {
    String json = "{\"operators\":[{\"name\":\"A\",\"logs\":["
        + log("https://a.example/ro/", "readonly", null, null) + "]}]}";
    Path file = Files.writeString(dir.resolve("log_list.json"), json);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        0), 0);
    server.createContext("/log_list.json", exchange -> answer(exchange, 200,
        json.getBytes(StandardCharsets.UTF_8)));
    server.createContext("/gone", exchange -> answer(exchange, 404, new byte[0]));
    server.createContext("/huge", exchange -> answer(exchange, 200,
        new byte[LogList.MAX_BYTES + 1]));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      assertThat(LogList.load(file.toString())).singleElement()
          .satisfies(l -> assertThat(l.url()).hasToString("https://a.example/ro/"));
      assertThat(LogList.load(base + "/log_list.json")).singleElement()
          .satisfies(l -> assertThat(l.state()).isEqualTo("readonly"));

      assertThatThrownBy(() -> LogList.load(base + "/gone")).isInstanceOf(IOException.class)
          .hasMessage("answered HTTP 404");
      assertThatThrownBy(() -> LogList.load(base + "/huge")).isInstanceOf(IOException.class)
          .hasMessage("sent over " + LogList.MAX_BYTES + " bytes, which no log list is");
      assertThatThrownBy(() -> LogList.load(dir.resolve("missing.json").toString()))
          .isInstanceOf(IOException.class).hasMessage("is not a file");
      assertThatThrownBy(() -> LogList.load("ftp://x.example/list.json"))
          .isInstanceOf(IOException.class)
          .hasMessage("is neither a file nor an https:// (or http://) URL");
      assertThatThrownBy(() -> LogList.load(base + "/a\r\nX")).isInstanceOf(IOException.class)
          .hasMessage("is not a URL (Illegal character in path)");
      assertThatThrownBy(() -> LogList.load("https://")).isInstanceOf(IOException.class)
          .hasMessageStartingWith("is not a URL");
    } finally {
      server.stop(0);
    }
    assertThatThrownBy(() -> LogList.load(base + "/log_list.json"))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot be fetched (the connection was refused or could not be made)");
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
