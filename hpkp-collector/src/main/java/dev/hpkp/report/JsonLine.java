package dev.hpkp.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import dev.hpkp.policy.Pin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One stored report as the JSON-lines file holds it: the report's nine fields with the time and
 * address it came from and what the collector derived. Written with Jackson; each distinct PEM
 * is quoted once ({@link QuotedPems}).
 */
final class JsonLine {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonLine() {}

  /** The line written for a report, ending in a newline. */
  static byte[] of(ReceivedReport received) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    PinFailureReport report = received.report();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("received-at", received.receivedAt().toString());
      json.writeStringField("remote-address", received.remoteAddress());
      json.writeStringField("date-time",
          report.dateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      json.writeStringField("hostname", report.hostname());
      json.writeNumberField("port", report.port());
      json.writeStringField("effective-expiration-date",
          report.effectiveExpirationDate().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      json.writeBooleanField("include-subdomains", report.includeSubdomains());
      json.writeStringField("noted-hostname", report.notedHostname());
      // Each distinct text quoted once a line: the two chains mostly hold the same texts, and
      // QuotedPems keeps a text only when another report brings it again.
      List<String> served = report.servedCertificateChain();
      SerializableString[] quoted = new SerializableString[served.size()];
      json.writeArrayFieldStart("served-certificate-chain");
      for (int i = 0; i < quoted.length; i++) {
        quoted[i] = QuotedPems.of(served.get(i));
        json.writeString(quoted[i]);
      }
      json.writeEndArray();
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
      json.writeArrayFieldStart("served-pins");
      for (Pin pin : received.servedPins()) {
        json.writeString(pin.toString());
      }
      json.writeEndArray();
      json.writeArrayFieldStart("matching-known-pins");
      for (Pin pin : received.matchingKnownPins()) {
        json.writeString(pin.toString());
      }
      json.writeEndArray();
      json.writeStringField("served-leaf-subject", received.servedLeafSubject());
      json.writeStringField("served-leaf-issuer", received.servedLeafIssuer());
      json.writeStringField("verdict", received.verdict().code());
      json.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }
}
