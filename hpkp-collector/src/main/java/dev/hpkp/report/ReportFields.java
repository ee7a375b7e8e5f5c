package dev.hpkp.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.hpkp.policy.Pin;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link ReportParser} reads each field of a report, RFC 7469's and TrustKit's: the type it
 * must have and the values it may take, each refusal a {@link RejectedReportException} naming the
 * field.
 */
final class ReportFields {

  static final int MAX_KNOWN_PINS = 64;
  static final int MAX_HOSTNAME = 255;
  static final int MAX_APP_FIELD = 256;

  private ReportFields() {}

  static String dateTimeText(JsonParser parser, JsonToken value, String field)
      throws IOException, RejectedReportException {
    if (value != JsonToken.VALUE_STRING) {
      throw wrongType(field, "an RFC 3339 date-time string");
    }
    return parser.getText();
  }

  /**
   * An RFC 3339 date-time; in a TrustKit report also with the {@code ±hhmm} offset Android's
   * formatter writes ({@code 2026-12-06T05:23:25+0000}).
   */
  static OffsetDateTime dateTime(String text, String field, boolean trustkit)
      throws RejectedReportException {
    String read = trustkit && text.matches(".*[+-][0-9]{4}")
        ? text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2) : text;
    try {
      return ReportDateTime.parse(read);
    } catch (DateTimeParseException e) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, field + " is not an RFC 3339"
          + " date-time");
    }
  }

  /** {@code yyyy-MM-dd}, or null (TrustKit writes null when it has no expiry). */
  static LocalDate day(JsonParser parser, JsonToken value, String field)
      throws IOException, RejectedReportException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw wrongType(field, "a yyyy-MM-dd date or null");
    }
    String text = parser.getText();
    try {
      if (text.length() != 10) {
        throw new DateTimeParseException("not a day", text, 0);
      }
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, field + " is not a yyyy-MM-dd"
          + " date");
    }
  }

  /** An app's name, version or platform: printable ASCII, at most 256 characters. */
  static String appField(JsonParser parser, JsonToken value, String field)
      throws IOException, RejectedReportException {
    if (value != JsonToken.VALUE_STRING) {
      throw wrongType(field, "a string");
    }
    String text = parser.getText();
    if (text.isEmpty() || text.length() > MAX_APP_FIELD
        || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, field + " is not printable"
          + " ASCII of 1 to " + MAX_APP_FIELD + " characters");
    }
    return text;
  }

  /** TrustKit's validation result code: a small whole number. */
  static Integer validationResult(JsonParser parser, JsonToken value)
      throws IOException, RejectedReportException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType("validation-result", "a whole number");
    }
    long code = parser.getLongValue();
    if (code < 0 || code > 99) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, "validation-result is not"
          + " from 0 to 99");
    }
    return (int) code;
  }

  static String hostname(JsonParser parser, JsonToken value, String field)
      throws IOException, RejectedReportException {
    if (value != JsonToken.VALUE_STRING) {
      throw wrongType(field, "a string");
    }
    String text = parser.getText();
    if (text.isEmpty() || text.length() > MAX_HOSTNAME
        || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, field + " is not a host name");
    }
    return text;
  }

  static int port(JsonParser parser, JsonToken value)
      throws IOException, RejectedReportException {
    if (value != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType("port", "a whole number");
    }
    long port = parser.getLongValue();
    if (port < 0 || port > 65535) {
      throw new RejectedReportException(Rejection.INVALID_VALUE, "port is not from 1 to 65535");
    }
    return (int) port;
  }

  static List<Pin> knownPins(JsonParser parser, JsonToken value)
      throws IOException, RejectedReportException {
    if (value != JsonToken.START_ARRAY) {
      throw wrongType("known-pins", "an array of pin-sha256=\"…\" strings");
    }
    List<Pin> pins = new ArrayList<>();
    int count = 0;
    JsonToken element;
    while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (element != JsonToken.VALUE_STRING) {
        throw wrongType("known-pins[" + count + "]", "a string");
      }
      if (++count > MAX_KNOWN_PINS) {
        throw new RejectedReportException(Rejection.INVALID_VALUE, "known-pins has more than "
            + MAX_KNOWN_PINS + " entries");
      }
      String text = parser.getText().strip();
      if (!text.regionMatches(true, 0, "pin-sha256=", 0, 11)) {
        if (text.regionMatches(true, 0, "pin-", 0, 4)) {
          continue; // another hash algorithm: user agents ignore those pins, so do we
        }
        throw new RejectedReportException(Rejection.INVALID_VALUE, "known-pins[" + (count - 1)
            + "] is not of the form pin-sha256=\"<base64>\"");
      }
      try {
        pins.add(Pin.fromString(text));
      } catch (IllegalArgumentException e) {
        throw new RejectedReportException(Rejection.INVALID_VALUE, "known-pins[" + (count - 1)
            + "] is not a valid SHA-256 pin");
      }
    }
    return pins;
  }

  static RejectedReportException wrongType(String field, String expected) {
    return new RejectedReportException(Rejection.WRONG_TYPE, field + " must be " + expected);
  }
}
