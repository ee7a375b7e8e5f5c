package dev.hpkp.client;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hpkp.policy.Pin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * A pin validation failure report the agent sends, as RFC 7469 §3 defines it, with all nine
 * fields (the collector reads it as {@code dev.hpkp.report.PinFailureReport}); {@link
 * #toJson()} is what is POSTed to the report-uri. The collector's parser
 * ({@code dev.hpkp.report.ReportParser}) reads exactly this form; the tests hold the two
 * together.
 *
 * @param dateTime when the failure was seen
 * @param hostname the host the client connected to
 * @param port the port it connected to
 * @param effectiveExpirationDate when the pins that failed expire
 * @param includeSubdomains whether those pins include subdomains
 * @param notedHostname the host they were noted for (a super-domain, with includeSubDomains)
 * @param servedChain the certificates the server sent
 * @param validatedChain the chain the client built to a trust anchor
 * @param knownPins the pins that no certificate of the validated chain holds
 */
record OutgoingReport(Instant dateTime, String hostname, int port,
    Instant effectiveExpirationDate, boolean includeSubdomains, String notedHostname,
    List<X509Certificate> servedChain, List<X509Certificate> validatedChain,
    List<Pin> knownPins) {

  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME
      .withZone(ZoneOffset.UTC);

  public OutgoingReport {
    servedChain = List.copyOf(servedChain);
    validatedChain = List.copyOf(validatedChain);
    knownPins = List.copyOf(knownPins);
  }

  /** The report body: a JSON object with the nine fields of RFC 7469 §3, in its order. */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("date-time", RFC_3339.format(dateTime));
      json.writeStringField("hostname", hostname);
      json.writeNumberField("port", port);
      json.writeStringField("effective-expiration-date",
          RFC_3339.format(effectiveExpirationDate.isAfter(MAX_DATE) ? MAX_DATE
              : effectiveExpirationDate));
      json.writeBooleanField("include-subdomains", includeSubdomains);
      json.writeStringField("noted-hostname", notedHostname);
      writeChain(json, "served-certificate-chain", servedChain);
      writeChain(json, "validated-certificate-chain", validatedChain);
      json.writeArrayFieldStart("known-pins");
      for (Pin pin : knownPins) {
        json.writeString(pin.toDirective());
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** A preloaded entry never expires; a report still needs a date a reader can parse. */
  private static final Instant MAX_DATE = Instant.parse("9999-12-31T23:59:59Z");

  private static void writeChain(JsonGenerator json, String field,
      List<X509Certificate> chain) throws IOException {
    json.writeArrayFieldStart(field);
    for (X509Certificate certificate : chain) {
      json.writeString(pem(certificate));
    }
    json.writeEndArray();
  }

  static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate from a TLS handshake has an encoding", e);
    }
  }
}
