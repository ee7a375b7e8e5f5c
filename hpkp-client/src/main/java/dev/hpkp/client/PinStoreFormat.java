package dev.hpkp.client;

import dev.hpkp.policy.HostName;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.hpkp.policy.Pin;
import dev.hpkp.text.Printable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The JSON form of a pin store, and of a preload file:
 *
 * <pre>{"format": "hpkp-pin-store/1", "hosts": [{"host": "example.com", "pins": ["sha256/…"],
 *   "include-subdomains": true, "noted": "2026-…Z", "expires": "2026-…Z",
 *   "report-uri": "https://…"}]}</pre>
 *
 * A preload file may leave out {@code noted} and {@code expires}: its entries never expire.
 */
final class PinStoreFormat {

  /** The whole-object form: preload files, and stores written before the log. */
  static final String FORMAT = "hpkp-pin-store/1";
  /** The log form of a store file: a header line, then one change a line. */
  static final String LOG_FORMAT = "hpkp-pin-store/2";
  /** No store this library writes comes near it; a bigger file is not a pin store. */
  static final int MAX_BYTES = 16 << 20;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
          .maxStringLength(8192).maxNumberLength(32).maxDocumentLength(MAX_BYTES).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private PinStoreFormat() {}

  /** The first line of a pin store file: the format of the lines after it. */
  static byte[] logHeader() {
    return ("{\"format\":\"" + LOG_FORMAT + "\"}\n").getBytes(StandardCharsets.UTF_8);
  }

  /** One line of the log: {@code {"put":{…entry…}}}. */
  static byte[] putLine(PinnedHost entry) {
    return line(json -> {
      json.writeFieldName("put");
      writeEntry(json, entry);
    });
  }

  /** One line of the log: {@code {"remove":"host"}}. */
  static byte[] removeLine(String host) {
    return line(json -> json.writeStringField("remove", host));
  }

  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] line(Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void writeEntry(JsonGenerator json, PinnedHost entry) throws IOException {
    json.writeStartObject();
    writeFields(json, entry);
    json.writeEndObject();
  }

  /** The fields of {@code entry} as the store writes them: the one JSON spelling of an entry. */
  static void writeFields(JsonGenerator json, PinnedHost entry) throws IOException {
    json.writeStringField("host", entry.host());
    json.writeArrayFieldStart("pins");
    for (Pin pin : entry.pins()) {
      json.writeString(pin.toString());
    }
    json.writeEndArray();
    json.writeBooleanField("include-subdomains", entry.includeSubDomains());
    json.writeStringField("noted", entry.notedAt().toString());
    json.writeStringField("expires", entry.expiresAt().toString());
    if (entry.reportUri() != null) {
      json.writeStringField("report-uri", entry.reportUri());
    }
    json.writeStringField("source", entry.source().name().toLowerCase(Locale.ROOT));
  }

  /**
   * Applies line {@code number} of a pin store log ({@code {"put":…}} or {@code
   * {"remove":…}}) to {@code index}.
   */
  static void applyLogLine(byte[] line, String source, int number, PinIndex index) {
    String where = "line " + number;
    try (JsonParser json = JSON.createParser(line)) {
      expect(json.nextToken() == JsonToken.START_OBJECT, source, where + " is not a JSON object");
      expect(json.nextToken() == JsonToken.FIELD_NAME, source, where + " is empty");
      String operation = json.currentName();
      JsonToken value = json.nextToken();
      switch (operation) {
        case "put" -> {
          expect(value == JsonToken.START_OBJECT, source, where + ": \"put\" is not an object");
          index.put(entry(json, source, where, false));
        }
        case "remove" -> {
          expect(value == JsonToken.VALUE_STRING, source, where + ": \"remove\" is not a host");
          index.remove(HostName.normalize(json.getText()));
        }
        default -> throw corrupt(source, where + ": '" + Printable.escape(operation)
            + "' is neither put nor remove");
      }
    } catch (JsonProcessingException e) {
      throw corrupt(source, where + " is not valid JSON within a pin store's limits ("
          + Printable.escape(String.valueOf(e.getOriginalMessage()).lines().findFirst()
          .orElse("syntax error")) + ")");
    } catch (IOException e) {
      throw corrupt(source, Printable.escape(String.valueOf(e.getMessage())));
    }
  }

  /**
   * Reads {@code content}; {@code source} names it in errors, {@code preload} gives entries
   * without times the {@link PinnedHost.Source#PRELOADED} source and no expiry.
   */
  static List<PinnedHost> read(byte[] content, String source, boolean preload) {
    if (content.length > MAX_BYTES) {
      throw corrupt(source, "it has " + content.length + " bytes, more than a pin store's "
          + MAX_BYTES);
    }
    expect(content.length > 0, source, "it is empty");
    try (JsonParser json = JSON.createParser(content)) {
      expect(json.nextToken() == JsonToken.START_OBJECT, source, "it is not a JSON object");
      List<PinnedHost> entries = null;
      String format = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        switch (name) {
          case "format" -> format = json.getValueAsString();
          case "hosts" -> {
            expect(value == JsonToken.START_ARRAY, source, "\"hosts\" is not an array");
            entries = new ArrayList<>();
            while (json.nextToken() == JsonToken.START_OBJECT) {
              entries.add(entry(json, source, "host entry " + (entries.size() + 1), preload));
            }
          }
          default -> json.skipChildren();
        }
      }
      expect(FORMAT.equals(format), source, "\"format\" is "
          + (format == null ? "missing" : "'" + Printable.escape(format) + "'") + ", not '"
          + FORMAT + "'");
      expect(entries != null, source, "\"hosts\" is missing");
      return entries;
    } catch (JsonProcessingException e) {
      // a limit (nesting, a number's or a string's length) has no location
      String message = String.valueOf(e.getOriginalMessage()).lines().findFirst()
          .orElse("syntax error");
      throw corrupt(source, "it is not valid JSON within a pin store's limits ("
          + Printable.escape(message) + (e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr()) + ")");
    } catch (IOException e) {
      throw corrupt(source, Printable.escape(String.valueOf(e.getMessage())));
    }
  }

  private static PinnedHost entry(JsonParser json, String source, String where,
      boolean preload) throws IOException {
    String host = null;
    Set<Pin> pins = new LinkedHashSet<>();
    boolean includeSubDomains = false;
    Instant noted = null;
    Instant expires = null;
    String reportUri = null;
    PinnedHost.Source kind = preload ? PinnedHost.Source.PRELOADED : PinnedHost.Source.NOTED;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      JsonToken value = json.nextToken();
      switch (name) {
        case "host" -> host = json.getValueAsString();
        case "pins" -> {
          expect(value == JsonToken.START_ARRAY, source, where + ": \"pins\" is not an array");
          while (json.nextToken() == JsonToken.VALUE_STRING) {
            try {
              pins.add(Pin.fromString(json.getText()));
            } catch (IllegalArgumentException e) {
              throw corrupt(source, where + ": " + Printable.escape(e.getMessage()));
            }
          }
          expect(json.currentToken() == JsonToken.END_ARRAY, source, where
              + ": \"pins\" holds something other than strings");
        }
        case "include-subdomains" -> includeSubDomains = value == JsonToken.VALUE_TRUE;
        case "noted" -> noted = instant(json.getValueAsString(), source, where, name);
        case "expires" -> expires = instant(json.getValueAsString(), source, where, name);
        case "report-uri" -> reportUri = json.getValueAsString();
        case "source" -> kind = "preloaded".equals(json.getValueAsString())
            ? PinnedHost.Source.PRELOADED : PinnedHost.Source.NOTED;
        default -> json.skipChildren();
      }
    }
    expect(host != null && !host.isBlank(), source, where + ": \"host\" is missing");
    expect(!pins.isEmpty(), source, where + " (" + Printable.escape(host) + "): no pins");
    if (noted == null || expires == null) {
      expect(preload, source, where + " (" + Printable.escape(host) + "): \"noted\" and"
          + " \"expires\" are needed in a pin store (only a preload file may leave them out)");
      noted = Instant.EPOCH;
      expires = Instant.MAX;
    }
    try {
      return new PinnedHost(host, pins, includeSubDomains, noted, expires, reportUri, kind);
    } catch (IllegalArgumentException e) {
      throw corrupt(source, where + " (" + Printable.escape(host) + "): "
          + Printable.escape(e.getMessage()));
    }
  }

  private static Instant instant(String text, String source, String where, String field) {
    try {
      return Instant.parse(String.valueOf(text));
    } catch (DateTimeParseException e) {
      throw corrupt(source, where + ": \"" + field + "\" '" + Printable.escape(String.valueOf(text))
          + "' is not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
    }
  }

  private static void expect(boolean condition, String source, String problem) {
    if (!condition) {
      throw corrupt(source, problem);
    }
  }

  static PinStoreException corrupt(String source, String problem) {
    return new PinStoreException("pin store " + source + " cannot be read: " + problem
        + "; repair or delete the file (a client that forgot its pins silently would trust"
        + " whatever it is shown next)");
  }
}
