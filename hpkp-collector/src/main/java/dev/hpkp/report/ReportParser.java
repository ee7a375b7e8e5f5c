package dev.hpkp.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.hpkp.keys.KeyMaterial;
import dev.hpkp.keys.KeyMaterialException;
import dev.hpkp.keys.internal.CertificateFacts;
import dev.hpkp.keys.internal.Certificates;
import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.Pin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates RFC 7469 §3 reports with Jackson's streaming parser under tight
 * {@link StreamReadConstraints}. Unknown fields are skipped; missing or mistyped fields are
 * rejected with a short reason. Thread-safe.
 */
public final class ReportParser {

  /** Every field RFC 7469 §3 lists; all are required. */
  static final List<String> FIELDS = List.of("date-time", "hostname", "port",
      "effective-expiration-date", "include-subdomains", "noted-hostname",
      "served-certificate-chain", "validated-certificate-chain", "known-pins");

  /**
   * The RFC fields TrustKit's reports may leave out: iOS sends no served chain and says the
   * pins' expiry as {@code known-pins-expiration-date}; neither sends {@code
   * effective-expiration-date}; a port TrustKit did not know is 0 (or, stored, absent).
   */
  static final List<String> OPTIONAL_FOR_TRUSTKIT = List.of("port",
      "effective-expiration-date", "served-certificate-chain");

  private static final int MAX_NESTING = 8;

  private final JsonFactory factory;
  private final int maxChainLength;
  private final CertificateCache certificates =
      new CertificateCache(CertificateCache.DEFAULT_BUDGET_BYTES);

  /**
   * @param maxDocumentBytes the largest document accepted (the body cap)
   * @param maxChainLength the most certificates accepted in each chain
   */
  public ReportParser(int maxDocumentBytes, int maxChainLength) {
    this.maxChainLength = maxChainLength;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING)
            .maxStringLength(maxDocumentBytes)
            .maxNumberLength(20)
            .maxDocumentLength(maxDocumentBytes)
            .maxNameLength(256)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  /** Parses a UTF-8 JSON body. */
  public PinFailureReport parse(byte[] body) throws RejectedReportException {
    JsonParser opened = null;
    try (JsonParser parser = open(body)) {
      opened = parser;
      return read(parser);
    } catch (StreamConstraintsException e) {
      // Jackson checks the depth before it opens a deeper level: at the limit, that is what broke
      Rejection reason = opened != null
          && opened.getParsingContext().getNestingDepth() >= MAX_NESTING
          ? Rejection.TOO_DEEP : Rejection.MALFORMED_JSON;
      throw new RejectedReportException(reason, reason == Rejection.TOO_DEEP
          ? "JSON nesting deeper than " + MAX_NESTING : "JSON exceeds a size limit", e);
    } catch (JsonParseException e) {
      throw new RejectedReportException(Rejection.MALFORMED_JSON, "malformed JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse("syntax error"), e);
    } catch (JsonProcessingException e) {
      // getOriginalMessage(): without Jackson's "at [Source: …; line …]" second line.
      throw new RejectedReportException(Rejection.MALFORMED_JSON, "malformed JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse("syntax error"), e);
    } catch (IOException e) {
      throw new RejectedReportException(Rejection.MALFORMED_JSON, "malformed JSON: "
          + e.getMessage(), e);
    }
  }

  /**
   * A parser over the body once it is known to be UTF-8. Reports are ASCII in practice (PEM,
   * host names, dates, base64), and ASCII is UTF-8 as it stands: Jackson reads those bytes
   * directly (measured 30% faster than decoding them to a String first). Anything else is
   * decoded strictly, so a malformed sequence is refused rather than replaced.
   */
  private JsonParser open(byte[] body) throws IOException, RejectedReportException {
    if (isAscii(body)) {
      return factory.createParser(body);
    }
    for (byte b : body) {
      if (b == 0) {
        // Jackson would detect UTF-16 or UTF-32 and read it; RFC 8259 §8.1 requires UTF-8
        // between systems, and raw NUL has no place in UTF-8 JSON text
        throw new RejectedReportException(Rejection.NOT_UTF8, "the body is not UTF-8: it holds"
            + " NUL bytes, as UTF-16 and UTF-32 text does (RFC 8259 §8.1: JSON between systems"
            + " is UTF-8)");
      }
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new RejectedReportException(Rejection.NOT_UTF8, "the body is not valid UTF-8");
    }
    return factory.createParser(text);
  }

  /** No byte with its high bit set. */
  /** Every byte from 1 to 127: text Jackson reads as UTF-8, whatever it would detect. */
  static boolean isAscii(byte[] body) {
    for (byte b : body) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  private PinFailureReport read(JsonParser parser) throws IOException, RejectedReportException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new RejectedReportException(Rejection.WRONG_TYPE, "the report must be a JSON object");
    }
    String dateTimeText = null;
    String expirationText = null;
    java.time.LocalDate knownPinsExpiration = null;
    String[] app = new String[5];
    Boolean enforcePinning = null;
    Integer validationResult = null;
    String hostname = null;
    String notedHostname = null;
    Integer port = null;
    Boolean includeSubdomains = null;
    List<String> served = null;
    List<String> validated = null;
    List<CertificateFacts> servedFacts = null;
    List<CertificateFacts> validatedFacts = null;
    List<Pin> knownPins = null;
    Set<String> seen = new HashSet<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      seen.add(field);
      switch (field) {
        case "date-time" -> dateTimeText = ReportFields.dateTimeText(parser, value, field);
        case "effective-expiration-date" ->
            expirationText = ReportFields.dateTimeText(parser, value, field);
        case "known-pins-expiration-date" ->
            knownPinsExpiration = ReportFields.day(parser, value, field);
        case "app-bundle-id" -> app[0] = ReportFields.appField(parser, value, field);
        case "app-version" -> app[1] = ReportFields.appField(parser, value, field);
        case "app-platform" -> app[2] = ReportFields.appField(parser, value, field);
        case "app-platform-version" -> app[3] = ReportFields.appField(parser, value, field);
        case "trustkit-version" -> app[4] = ReportFields.appField(parser, value, field);
        case "enforce-pinning" -> {
          if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw ReportFields.wrongType(field, "a boolean");
          }
          enforcePinning = value == JsonToken.VALUE_TRUE;
        }
        case "validation-result" -> validationResult = ReportFields.validationResult(parser, value);
        case "hostname" -> hostname = ReportFields.hostname(parser, value, field);
        case "noted-hostname" -> notedHostname = ReportFields.hostname(parser, value, field);
        case "port" -> port = ReportFields.port(parser, value);
        case "include-subdomains" -> {
          if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw ReportFields.wrongType(field, "a boolean");
          }
          includeSubdomains = value == JsonToken.VALUE_TRUE;
        }
        case "served-certificate-chain" -> {
          served = certificates(parser, value, field, 1);
          servedFacts = facts(served, field, validated, validatedFacts);
        }
        case "validated-certificate-chain" -> {
          validated = certificates(parser, value, field, 0);
          validatedFacts = facts(validated, field, served, servedFacts);
        }
        case "known-pins" -> knownPins = ReportFields.knownPins(parser, value);
        default -> parser.skipChildren(); // unknown fields are ignored, RFC 7469 §3
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw new RejectedReportException(Rejection.MALFORMED_JSON, "malformed JSON object");
    }
    if (parser.nextToken() != null) {
      throw new RejectedReportException(Rejection.MALFORMED_JSON, "trailing data after the"
          + " report object");
    }
    // a report from TrustKit (iOS or Android) says so; a user agent's keeps every RFC rule
    boolean trustkit = app[4] != null;
    for (String field : FIELDS) {
      if (!seen.contains(field) && !(trustkit && OPTIONAL_FOR_TRUSTKIT.contains(field))) {
        throw new RejectedReportException(Rejection.MISSING_FIELD, "missing field " + field);
      }
    }
    if (port != null && port == 0 && !trustkit) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, "port is not from 1 to 65535");
    }
    if (served == null && validated.isEmpty()) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, "validated-certificate-chain is"
          + " empty and there is no served-certificate-chain to judge instead");
    }
    OffsetDateTime dateTime = ReportFields.dateTime(dateTimeText, "date-time", trustkit);
    OffsetDateTime expiration = expirationText == null ? null
        : ReportFields.dateTime(expirationText, "effective-expiration-date", trustkit);
    AppIdentity identity = trustkit ? new AppIdentity(app[0], app[1], app[2], app[3], app[4],
        enforcePinning, validationResult) : null;
    return new PinFailureReport(dateTime, hostname, port == null ? 0 : port, expiration,
        includeSubdomains, notedHostname, served == null ? List.of() : served, validated,
        knownPins, servedFacts == null ? List.of() : chain(servedFacts), chain(validatedFacts),
        knownPinsExpiration, identity);
  }









  private List<String> certificates(JsonParser parser, JsonToken value, String field, int min)
      throws IOException, RejectedReportException {
    if (value != JsonToken.START_ARRAY) {
      throw ReportFields.wrongType(field, "an array of PEM certificates");
    }
    List<String> pems = new ArrayList<>();
    JsonToken element;
    while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.VALUE_STRING) {
        throw ReportFields.wrongType(field + "[" + pems.size() + "]", "a PEM certificate string");
      }
      if (pems.size() == maxChainLength) {
        throw new RejectedReportException(Rejection.INVALID_VALUE, field + " has more than "
            + maxChainLength + " certificates");
      }
      pems.add(parser.getText());
    }
    if (pems.size() < min) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, field + " is empty");
    }
    for (int i = 0; i < pems.size(); i++) {
      if (!pems.get(i).contains("-----BEGIN CERTIFICATE-----")) {
        throw new RejectedReportException(Rejection.BAD_CERTIFICATE, field + "[" + i
            + "] is not a PEM certificate");
      }
    }
    return pems;
  }

  /**
   * Each certificate parsed once, here, and the derived fields reuse the result. Reports about
   * one incident repeat the same certificates, so what was derived is cached by the SHA-256 of
   * the DER bytes, within a byte budget ({@link CertificateCache}): a flood of distinct
   * certificates costs parsing time, never memory. A certificate whose text the other chain of
   * the same report already holds (usually the whole chain: the served and validated chains
   * mostly agree) reuses what was derived there.
   */
  private List<CertificateFacts> facts(List<String> pems, String field, List<String> otherPems,
      List<CertificateFacts> otherChain) throws RejectedReportException {
    List<CertificateFacts> chain = new ArrayList<>(pems.size());
    for (int i = 0; i < pems.size(); i++) {
      try {
        String pem = pems.get(i);
        int same = otherChain == null ? -1 : otherPems.indexOf(pem);
        if (same >= 0) {
          pems.set(i, otherPems.get(same)); // one String per text: its hash is computed once
        }
        CertificateFacts facts = same >= 0 ? otherChain.get(same) : certificates.byText(pem);
        if (facts == null) {
          String where = field + "[" + i + "]";
          byte[] der = Certificates.der(pem, where);
          facts = certificates.get(der,
              bytes -> facts(KeyMaterial.certificate(bytes, where)));
          certificates.rememberText(pem, facts);
        }
        chain.add(facts);
      } catch (KeyMaterialException e) {
        throw new RejectedReportException(Rejection.BAD_CERTIFICATE, e.getMessage(), e);
      }
    }
    return chain;
  }
  /** {@code facts} as a chain: each certificate with the role its position gives it. */
  private static List<ChainCertificate> chain(List<CertificateFacts> facts) {
    List<ChainCertificate> chain = new ArrayList<>(facts.size());
    for (int i = 0; i < facts.size(); i++) {
      chain.add(facts.get(i).at(i, List.of()));
    }
    return chain;
  }




  private static CertificateFacts facts(java.security.cert.X509Certificate certificate) {
    return CertificateFacts.of(certificate, KeyMaterial.pinOf(certificate));
  }
}
