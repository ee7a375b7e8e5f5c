package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the watcher found: a certificate for a watched host whose chain holds no pinned key
 * ({@link #UNPINNED}), or a log that served what cannot be trusted ({@link #MISBEHAVIOUR}). One
 * readable paragraph ({@link #message()}) and one JSON line ({@link #json()}), in the family
 * of the report collector's file.
 *
 * @param index the entry's index; -1 for a misbehaving log
 * @param key what makes the alert the same one again: (log, index) for an entry
 * @param issuance the issuance an entry belongs to (issuer key hash and serial): a
 *     precertificate and its certificate are one issuance, alerted once
 */
public record Alert(String kind, Instant detectedAt, String log, long index, String key,
    String issuance, Entry entry, String message) {

  public static final String UNPINNED = "ct-unpinned-issuance";
  public static final String MISBEHAVIOUR = "log-misbehaviour";

  /** The logged certificate an unpinned alert is about. */
  public record Entry(Instant loggedAt, String type, List<String> names, List<String> hosts,
      String serial, Instant notBefore, Instant notAfter, String subject, String issuer,
      String leafPin, List<Issuer> issuers, String sha256) {}

  /** One issuer of the logged chain, with the pin of its key. */
  public record Issuer(String subject, String pin) {}

  private static final JsonFactory JSON = WatchJson.FACTORY;

  static Alert unpinned(Instant now, String log, long index, String issuance, Entry entry) {
    String message = "HPKP watch: " + log + " logged, at index " + index + " ("
        + entry.loggedAt() + "), a" + (entry.type().equals("precert") ? " precertificate"
        : " certificate") + " for " + String.join(", ", entry.names()) + " (watched: "
        + String.join(", ", entry.hosts()) + "), serial " + entry.serial() + ", valid "
        + entry.notBefore() + " to " + entry.notAfter() + ", issued by " + entry.issuer()
        + ", whose chain holds no pinned key: leaf " + entry.leafPin()
        + entry.issuers().stream().map(i -> ", " + i.subject() + " " + i.pin())
            .reduce("", String::concat)
        + ". SHA-256 " + entry.sha256() + " (look it up in any CT search). If you did not ask"
        + " for it, it is a mis-issuance: have the CA revoke it and ask how it happened. If it is"
        + " yours (a new key or CA), add its key's pin to the pins before user agents see it.";
    return new Alert(UNPINNED, now, log, index, log + "#" + index, issuance, entry,
        Printable.escape(message));
  }

  static Alert misbehaviour(Instant now, String log, String what) {
    String message = "HPKP watch: the CT log " + log + " misbehaved: " + what + ". Its"
        + " position is not advanced; nothing it served since the last verified tree head is"
        + " trusted. Report it to the log's operator and to the browsers' CT policy lists if it"
        + " persists.";
    return new Alert(MISBEHAVIOUR, now, log, -1, log + "!" + what, null, null,
        Printable.escape(message));
  }

  /** The alert as one JSON object on one line, without the newline. */
  public String json() {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("kind", kind);
      json.writeStringField("detected-at", detectedAt.toString());
      json.writeStringField("log", log);
      if (index >= 0) {
        json.writeNumberField("index", index);
      }
      if (entry != null) {
        json.writeStringField("logged-at", entry.loggedAt().toString());
        json.writeStringField("entry-type", entry.type());
        strings(json, "names", entry.names());
        strings(json, "watched-hosts", entry.hosts());
        json.writeStringField("serial", entry.serial());
        json.writeStringField("not-before", entry.notBefore().toString());
        json.writeStringField("not-after", entry.notAfter().toString());
        json.writeStringField("subject", entry.subject());
        json.writeStringField("issuer", entry.issuer());
        json.writeStringField("leaf-pin", entry.leafPin());
        json.writeArrayFieldStart("issuers");
        for (Issuer issuer : entry.issuers()) {
          json.writeStartObject();
          json.writeStringField("subject", issuer.subject());
          json.writeStringField("pin", issuer.pin());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("sha256", entry.sha256());
        json.writeStringField("issuance", issuance);
      }
      json.writeStringField("key", key);
      json.writeStringField("message", message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * The alert {@link #json()} wrote.
   *
   * @throws IOException when {@code line} is not one
   */
  static Alert parse(String line) throws IOException {
    Map<String, Object> fields = new HashMap<>();
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken token = json.nextToken();
        if (token == JsonToken.START_ARRAY) {
          List<Object> items = new ArrayList<>();
          for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
            if (t == JsonToken.START_OBJECT) {
              Map<String, String> object = new HashMap<>();
              while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                object.put(name, json.getText());
              }
              items.add(new Issuer(object.get("subject"), object.get("pin")));
            } else {
              items.add(json.getText());
            }
          }
          fields.put(field, items);
        } else if (token == JsonToken.VALUE_NUMBER_INT) {
          fields.put(field, json.getLongValue());
        } else {
          fields.put(field, json.getText());
          json.skipChildren();
        }
      }
    }
    try {
      Entry entry = fields.containsKey("entry-type") ? new Entry(
          Instant.parse((String) fields.get("logged-at")), (String) fields.get("entry-type"),
          list(fields.get("names"), String.class), list(fields.get("watched-hosts"),
          String.class), (String) fields.get("serial"), Instant.parse((String) fields.get(
          "not-before")), Instant.parse((String) fields.get("not-after")),
          (String) fields.get("subject"), (String) fields.get("issuer"),
          (String) fields.get("leaf-pin"), list(fields.get("issuers"), Issuer.class),
          (String) fields.get("sha256")) : null;
      Object index = fields.get("index");
      for (String required : List.of("kind", "log", "key", "message")) {
        Objects.requireNonNull(fields.get(required), required);
      }
      return new Alert((String) fields.get("kind"), Instant.parse((String) fields.get(
          "detected-at")), (String) fields.get("log"), index == null ? -1 : (Long) index,
          (String) fields.get("key"), (String) fields.get("issuance"), entry,
          (String) fields.get("message"));
    } catch (RuntimeException e) {
      throw new IOException("not an alert (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static <T> List<T> list(Object value, Class<T> type) {
    List<T> items = new ArrayList<>();
    for (Object item : (List<?>) value) {
      items.add(type.cast(item));
    }
    return List.copyOf(items);
  }

  private static void strings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
