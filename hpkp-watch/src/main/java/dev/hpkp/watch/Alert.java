package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

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

  private static void strings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
