package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hpkp.text.Failures;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A log list in the format browsers publish (Chrome's {@code log_list.json}, schema v3):
 * operators with their RFC 6962 {@code logs} ({@code url}, {@code key}) and Static CT API
 * {@code tiled_logs} ({@code submission_url}, {@code monitoring_url}, {@code key}), each with
 * its {@code state} and {@code temporal_interval}.
 */
public final class LogList {

  /** The states whose logs are watched by default. */
  public static final Set<String> WATCHED_STATES = Set.of("usable", "qualified", "readonly");

  /** The most a log list may weigh (Chrome's is about 100 KB): a larger one is refused. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private static final JsonFactory JSON = WatchJson.FACTORY;

  /**
   * One log of the list.
   *
   * @param url the RFC 6962 URL, or a tiled log's monitoring prefix
   * @param submission a tiled log's submission prefix (which names it in checkpoints); else url
   * @param state the state's name ({@code usable}, {@code retired}, …), or null when absent
   * @param intervalEnd null when the log has no temporal interval
   */
  public record Log(String description, String operator, boolean tiled, URI url,
      URI submission, LogKey key, String state, Instant intervalStart, Instant intervalEnd) {

    /**
     * Whether a monitor watches it by default: usable, qualified or read-only, and accepting
     * certificates that expire now (its temporal interval, when it has one, holds {@code now}).
     */
    public boolean current(Instant now) {
      return state != null && WATCHED_STATES.contains(state)
          && (intervalStart == null || !now.isBefore(intervalStart))
          && (intervalEnd == null || now.isBefore(intervalEnd));
    }
  }

  private LogList() {}

  /**
   * Every log of the list in a file, or at an {@code https://} (or {@code http://}) URL, which
   * is fetched following redirects, within 10 s to connect and 30 s in all.
   *
   * @param where a file's path, or a URL
   * @throws IOException saying what failed, in words: the file cannot be read, the URL cannot
   *     be fetched, it answered another status than 200, or the list is over {@link #MAX_BYTES}
   * @throws IllegalArgumentException as {@link #parse} does, and for a path that is none
   */
  public static List<Log> load(String where) throws IOException, InterruptedException {
    if (where.startsWith("https://") || where.startsWith("http://")) {
      URI url;
      try {
        url = new URI(where);
      } catch (URISyntaxException e) {
        throw new IOException("is not a URL (" + Printable.message(e.getReason()) + ")", e);
      }
      return parse(fetch(url));
    }
    if (where.contains("://")) {
      throw new IOException("is neither a file nor an https:// (or http://) URL");
    }
    Path file = Path.of(where);
    if (!Files.isRegularFile(file)) {
      throw new IOException("is not a file");
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException("is over " + MAX_BYTES + " bytes, which no log list is");
    }
    return parse(Files.readAllBytes(file));
  }

  /** Why a fetch failed, in words: the JDK's client often throws without a message. */
  private static String why(IOException e) {
    return Failures.why(e);
  }

  private static byte[] fetch(URI url) throws IOException, InterruptedException {
    HttpResponse<InputStream> response;
    try {
      response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10)).build()
          .send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IOException("cannot be fetched (" + why(e) + ")", e);
    } catch (IllegalArgumentException e) { // a URL the client refuses: no host, a bad one
      throw new IOException("is not a URL that can be fetched ("
          + Printable.message(String.valueOf(e.getMessage())) + ")", e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("answered HTTP " + response.statusCode());
      }
      byte[] list = body.readNBytes(MAX_BYTES + 1);
      if (list.length > MAX_BYTES) {
        throw new IOException("sent over " + MAX_BYTES + " bytes, which no log list is");
      }
      return list;
    }
  }

  /**
   * Every log of the list.
   *
   * @throws IllegalArgumentException naming what is wrong and where: not JSON, a log without a
   *     URL or key, a key that is not one, a log_id that is not the key's
   */
  public static List<Log> parse(byte[] json) {
    Map<String, Object> root;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("the log list is not a JSON object");
      }
      root = object(parser);
    } catch (IOException e) {
      throw new IllegalArgumentException("the log list is not valid JSON ("
          + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    if (!(root.get("operators") instanceof List<?> operators)) {
      throw new IllegalArgumentException("the log list has no operators array; expected"
          + " Chrome's log_list.json (schema v3)");
    }
    List<Log> logs = new ArrayList<>();
    for (Object item : operators) {
      if (!(item instanceof Map<?, ?> operator)) {
        continue;
      }
      String name = text(operator.get("name"));
      for (String kind : new String[] {"logs", "tiled_logs"}) {
        if (operator.get(kind) instanceof List<?> entries) {
          for (Object entry : entries) {
            if (entry instanceof Map<?, ?> log) {
              logs.add(log(log, name, kind.equals("tiled_logs")));
            }
          }
        }
      }
    }
    return logs;
  }

  private static Log log(Map<?, ?> log, String operator, boolean tiled) {
    String description = text(log.get("description"));
    String where = "log '" + (description != null ? description : "?") + "' of operator "
        + operator;
    String key = text(log.get("key"));
    if (key == null) {
      throw new IllegalArgumentException(where + " has no key");
    }
    LogKey logKey;
    try {
      logKey = LogKey.parse(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    String logId = text(log.get("log_id"));
    if (logId != null && !Arrays.equals(decode(logId, where), logKey.logId())) {
      throw new IllegalArgumentException(where + ": its log_id is not the SHA-256 of its key");
    }
    URI url = uri(log.get(tiled ? "monitoring_url" : "url"), where);
    URI submission = tiled ? uri(log.get("submission_url"), where) : url;
    String state = null;
    if (log.get("state") instanceof Map<?, ?> states && states.size() == 1) {
      state = text(states.keySet().iterator().next());
    }
    Instant start = null;
    Instant end = null;
    if (log.get("temporal_interval") instanceof Map<?, ?> interval) {
      start = instant(interval.get("start_inclusive"), where);
      end = instant(interval.get("end_exclusive"), where);
    }
    return new Log(description, operator, tiled, url, submission, logKey, state, start, end);
  }

  private static URI uri(Object value, String where) {
    String text = text(value);
    if (text == null) {
      throw new IllegalArgumentException(where + " has no URL");
    }
    try {
      URI uri = new URI(text);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException(where + ": '" + text + "' is not an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not a URL");
    }
  }

  private static Instant instant(Object value, String where) {
    String text = text(value);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not an RFC 3339 time");
    }
  }

  private static byte[] decode(String base64, String where) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": its log_id is not base64");
    }
  }

  private static String text(Object value) {
    return value instanceof String text ? text : null;
  }

  private static Map<String, Object> object(JsonParser parser) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      fields.put(name, value(parser, parser.nextToken()));
    }
    return fields;
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.START_OBJECT) {
      return object(parser);
    }
    if (token == JsonToken.START_ARRAY) {
      List<Object> items = new ArrayList<>();
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        items.add(value(parser, t));
      }
      return items;
    }
    return token == JsonToken.VALUE_STRING ? parser.getText() : null;
  }
}
