package dev.hpkp.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.hpkp.policy.Pin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The JSON-lines report file, written and read in one place: the collector writes each stored
 * report as one line ({@link #of}), a restarted collector reads its newest lines back ({@link
 * #read}), and {@code hpkp reports summarize} reads every line's summary ({@link #summary}).
 * A line holds the report's nine fields, the time and address it came from, and what the
 * collector derived; each distinct PEM is quoted once ({@link QuotedPems}).
 */
public final class ReportLines {

  public static final String RECEIVED_AT = "received-at";
  public static final String REMOTE_ADDRESS = "remote-address";
  public static final String HOSTNAME = "hostname";
  public static final String PORT = "port";
  public static final String SERVED_PINS = "served-pins";
  public static final String SERVED_LEAF_ISSUER = "served-leaf-issuer";
  public static final String VERDICT = "verdict";
  public static final String APP_BUNDLE_ID = "app-bundle-id";
  public static final String APP_PLATFORM = "app-platform";
  public static final String APP_VERSION = "app-version";

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
      .build();

  /**
   * What {@code hpkp reports summarize} counts of one line.
   *
   * @param port null when the line has none
   * @param leafPin the pin of the served leaf's key, {@code sha256/…}
   * @param app the app that sent it (bundle id, platform, version), for a TrustKit report; null
   *     for a user agent's
   */
  public record Summary(String hostname, Integer port, Instant receivedAt,
      ReceivedReport.Verdict verdict, String leafIssuer, String leafPin, App app) {}

  /** An app as summaries group reports: its bundle id, platform and version, each maybe null. */
  public record App(String bundleId, String platform, String version) {}

  private ReportLines() {}

  /** The line written for a report, ending in a newline. */
  static byte[] of(ReceivedReport received) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    PinFailureReport report = received.report();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField(RECEIVED_AT, received.receivedAt().toString());
      json.writeStringField(REMOTE_ADDRESS, received.remoteAddress());
      json.writeStringField("date-time",
          report.dateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      json.writeStringField(HOSTNAME, report.hostname());
      if (report.port() != 0) { // 0: TrustKit did not know it, so neither do we
        json.writeNumberField(PORT, report.port());
      }
      if (report.effectiveExpirationDate() != null) {
        json.writeStringField("effective-expiration-date",
            report.effectiveExpirationDate().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      }
      json.writeBooleanField("include-subdomains", report.includeSubdomains());
      json.writeStringField("noted-hostname", report.notedHostname());
      // Each distinct text quoted once a line: the two chains mostly hold the same texts, and
      // QuotedPems keeps a text only when another report brings it again.
      List<String> served = report.servedCertificateChain();
      SerializableString[] quoted = new SerializableString[served.size()];
      if (!served.isEmpty()) {
        json.writeArrayFieldStart("served-certificate-chain");
        for (int i = 0; i < quoted.length; i++) {
          quoted[i] = QuotedPems.of(served.get(i));
          json.writeString(quoted[i]);
        }
        json.writeEndArray();
      }
      json.writeArrayFieldStart("validated-certificate-chain");
      for (String pem : report.validatedCertificateChain()) {
        int same = served.indexOf(pem);
        json.writeString(same >= 0 ? quoted[same] : QuotedPems.of(pem));
      }
      json.writeEndArray();
      json.writeArrayFieldStart("known-pins");
      for (Pin pin : report.knownPins()) {
        json.writeString(pin.toDirective());
      }
      json.writeEndArray();
      json.writeArrayFieldStart(SERVED_PINS);
      for (Pin pin : received.servedPins()) {
        json.writeString(pin.toString());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("matching-known-pins");
      for (Pin pin : received.matchingKnownPins()) {
        json.writeString(pin.toString());
      }
      json.writeEndArray();
      writeApp(json, report);
      json.writeStringField("served-leaf-subject", received.servedLeafSubject());
      json.writeStringField(SERVED_LEAF_ISSUER, received.servedLeafIssuer());
      json.writeStringField(VERDICT, received.verdict().code());
      json.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The fields a TrustKit report adds, as it named them; the app's vendor id never. */
  private static void writeApp(JsonGenerator json, PinFailureReport report) throws IOException {
    AppIdentity app = report.app();
    if (app == null) {
      return;
    }
    String[][] fields = {{APP_BUNDLE_ID, app.bundleId()}, {"app-version", app.version()},
        {APP_PLATFORM, app.platform()}, {"app-platform-version", app.platformVersion()},
        {"trustkit-version", app.trustkitVersion()}};
    for (String[] field : fields) {
      if (field[1] != null) {
        json.writeStringField(field[0], field[1]);
      }
    }
    if (app.enforcePinning() != null) {
      json.writeBooleanField("enforce-pinning", app.enforcePinning());
    }
    if (app.validationResult() != null) {
      json.writeNumberField("validation-result", app.validationResult());
      json.writeStringField("validation-result-name", app.validationResultName());
    }
    if (report.knownPinsExpirationDate() != null) {
      json.writeStringField("known-pins-expiration-date",
          report.knownPinsExpirationDate().toString());
    }
  }

  /**
   * The report of a line this file's writer wrote, checked by {@code parser} as when it was
   * received: the derived fields (served pins, verdict) are computed again, not trusted from the
   * file.
   *
   * @throws RejectedReportException when the report fields do not hold a report
   * @throws IOException when the line is not one the collector wrote
   */
  static ReceivedReport read(byte[] line, ReportParser parser)
      throws RejectedReportException, IOException {
    PinFailureReport report = parser.parse(line);
    Instant receivedAt = null;
    String remoteAddress = null;
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (value == JsonToken.VALUE_STRING && name.equals(RECEIVED_AT)) {
          receivedAt = instant(json.getText());
        } else if (value == JsonToken.VALUE_STRING && name.equals(REMOTE_ADDRESS)) {
          remoteAddress = json.getText();
        } else {
          json.skipChildren();
        }
      }
    }
    if (receivedAt == null || remoteAddress == null) {
      throw new IOException("not a line the collector wrote");
    }
    return ReceivedReport.of(receivedAt, remoteAddress, report);
  }

  /**
   * The summary of one line, or null when it is not a whole report line: not JSON, a field
   * missing or of the wrong type, or a verdict this version does not know (never counted as
   * another).
   */
  public static Summary summary(String line) {
    String host = null;
    Integer port = null;
    Instant receivedAt = null;
    ReceivedReport.Verdict verdict = null;
    String issuer = null;
    String leafPin = null;
    String[] app = new String[3];
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        boolean text = value == JsonToken.VALUE_STRING;
        switch (field) {
          case HOSTNAME -> host = text ? json.getText() : null;
          case PORT -> port = value == JsonToken.VALUE_NUMBER_INT
              && json.getNumberType() == JsonParser.NumberType.INT
              ? json.getIntValue() : null;
          case RECEIVED_AT -> receivedAt = text ? instant(json.getText()) : null;
          case VERDICT -> verdict = text ? ReceivedReport.Verdict.of(json.getText()) : null;
          case SERVED_LEAF_ISSUER -> issuer = text ? json.getText() : null;
          case SERVED_PINS -> leafPin = firstString(json, value);
          case APP_BUNDLE_ID -> app[0] = text ? json.getText() : null;
          case APP_PLATFORM -> app[1] = text ? json.getText() : null;
          case APP_VERSION -> app[2] = text ? json.getText() : null;
          default -> json.skipChildren();
        }
      }
      if (json.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
    if (host == null || receivedAt == null || verdict == null || issuer == null
        || leafPin == null) {
      return null;
    }
    return new Summary(host, port, receivedAt, verdict, issuer, leafPin,
        app[0] == null && app[1] == null && app[2] == null ? null
        : new App(app[0], app[1], app[2]));
  }

  /**
   * The {@code kind} of a line of the same family that is not a report (hpkp-watch's alerts:
   * {@code ct-unpinned-issuance}, {@code log-misbehaviour}); null when it has none.
   */
  public static String kind(String line) {
    return text(line, "kind");
  }

  /** A top-level string field of a JSON line ({@code message} of an alert…); null when none. */
  public static String text(String line, String field) {
    try (JsonParser json = JSON.createParser(line)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (name.equals(field) && value == JsonToken.VALUE_STRING) {
          return json.getText();
        }
        json.skipChildren();
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** The first string of an array (the rest skipped); null when there is none. */
  private static String firstString(JsonParser json, JsonToken value) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      json.skipChildren();
      return null;
    }
    String first = null;
    for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY;
        token = json.nextToken()) {
      if (token == null) {
        throw new IOException("unterminated array");
      }
      if (first == null && token == JsonToken.VALUE_STRING) {
        first = json.getText();
      }
      json.skipChildren();
    }
    return first;
  }

  private static Instant instant(String text) {
    return Instant.parse(text);
  }
}
