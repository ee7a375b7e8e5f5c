package dev.hpkp.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The RFC 7469 §2.1 grammar, strictly, for {@link ParsedHeader#parse}: a hand-written scanner
 * that never throws, with a finding for every problem; the semantic rules are
 * {@link PolicyRules}'.
 */
final class HeaderParser {
  private final String text;
  private final boolean reportOnly;
  private int index;
  private final List<Finding> findings = new ArrayList<>();
  private final List<Pin> pins = new ArrayList<>();
  private ReportUri parsedReportUri;
  private Long maxAge;
  private String maxAgeText;
  private int maxAgeCount;
  private boolean includeSubDomains;
  private int includeSubDomainsCount;
  private String reportUri;
  private int reportUriCount;

  HeaderParser(String text, boolean reportOnly) {
    this.text = text;
    this.reportOnly = reportOnly;
  }

  ParsedHeader parse() {
    skipOws();
    if (index == text.length()) {
      add(Rule.PARSE_ERROR, "", "the header value is empty", null);
      return result();
    }
    while (index < text.length()) {
      if (text.charAt(index) == ';') {
        add(Rule.LENIENT_SYNTAX, null, "empty directive at index " + index + " (';;' or a"
            + " leading ';')", "Chromium and Firefox both skipped it, but it reads as a lost"
            + " directive — remove the extra ';'");
        index++;
        skipOws();
        continue;
      }
      if (!directive()) {
        return result();
      }
      skipOws();
      if (index == text.length()) {
        break;
      }
      if (text.charAt(index) != ';') {
        add(Rule.PARSE_ERROR, null, "expected ';' at index " + index + ", found '"
            + text.charAt(index) + "'", null);
        return result();
      }
      index++;
      skipOws();
    }
    finish();
    return result();
  }

  private boolean directive() {
    int start = index;
    while (index < text.length() && isTchar(text.charAt(index))) {
      index++;
    }
    if (index == start) {
      add(Rule.PARSE_ERROR, null, "expected a directive name at index " + index + ", found '"
          + text.charAt(index) + "'", null);
      return false;
    }
    String name = text.substring(start, index);
    String value = null;
    boolean quoted = false;
    int afterName = index;
    skipOws();
    if (index < text.length() && text.charAt(index) == '=') {
      index++;
      int afterEquals = index;
      skipOws();
      if (afterName != afterEquals - 1 || index != afterEquals) {
        add(Rule.LENIENT_SYNTAX, null, "whitespace around '=' in directive " + name
            + " at index " + afterName, "Chromium and Firefox both accepted it, stricter parsers"
            + " do not — write " + name + "=…");
      }
      if (index < text.length() && text.charAt(index) == '"') {
        value = quotedString();
        if (value == null) {
          return false;
        }
        quoted = true;
      } else if (index < text.length() && text.charAt(index) == '\'') {
        add(Rule.PARSE_ERROR, null, "directive " + name + " has a single-quoted value at index "
            + index, "RFC 7469 allows only double quotes (Chromium accepted single quotes)");
        return false;
      } else {
        int valueStart = index;
        while (index < text.length() && isTchar(text.charAt(index))) {
          index++;
        }
        if (index == valueStart) {
          add(Rule.PARSE_ERROR, null, "directive " + name + " has '=' but no value at index "
              + index, null);
          return false;
        }
        value = text.substring(valueStart, index);
      }
    } else {
      index = afterName;
    }
    apply(name, value, quoted);
    return true;
  }

  private String quotedString() {
    int open = index;
    index++; // opening quote
    StringBuilder value = new StringBuilder();
    while (index < text.length()) {
      char c = text.charAt(index);
      if (c == '"') {
        index++;
        return value.toString();
      }
      if (c == '\\') {
        if (index + 1 >= text.length()) {
          break;
        }
        value.append(text.charAt(index + 1));
        index += 2;
        continue;
      }
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        add(Rule.PARSE_ERROR, null, String.format(Locale.ROOT, "control character U+%04X in"
            + " the quoted string at index %d", (int) c, index), "RFC 7230 quoted text excludes"
            + " it (Firefox rejected such a header; Chromium did not check quoted text)");
        return null;
      }
      value.append(c);
      index++;
    }
    add(Rule.PARSE_ERROR, null, "unterminated quoted string starting at index " + open, null);
    return null;
  }

  private void apply(String name, String value, boolean quoted) {
    String lower = name.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "pin-sha256" -> {
        if (value == null) {
          add(Rule.INVALID_PIN, null, "pin-sha256 has no value", null);
          return;
        }
        if (!quoted) {
          add(Rule.INVALID_PIN, value, "pin-sha256 value '" + value + "' is not a quoted string",
              null);
          return;
        }
        try {
          pins.add(Pin.fromBase64(value));
        } catch (InvalidPinException e) {
          Pin lenient = value.startsWith("sha256/") ? null : Pin.fromLenientBase64(value);
          if (lenient == null) {
            add(Rule.INVALID_PIN, value, "pin-sha256=\"" + value + "\": " + e.problem(),
                e.fix());
            return;
          }
          // Strict here, but the pin counts as the browsers read it: a user agent takes the
          // 32 bytes, and nothing that follows from the pin (a backup, a match) is lost.
          add(Rule.NON_CANONICAL_PIN, value, "pin-sha256=\"" + value + "\" is not canonical"
              + " base64", "write " + lenient.toDirective() + " (Chromium and Firefox accepted"
              + " such a pin, since it decodes to 32 bytes; RFC 7469 §2.4 asks for the base64 of"
              + " the hash)");
          pins.add(lenient);
        }
      }
      case "max-age" -> {
        maxAgeCount++;
        if (maxAgeCount > 1) {
          add(Rule.DUPLICATE_MAX_AGE, value, "max-age appears " + maxAgeCount + " times",
              "RFC 7469 §2.1 allows it once (Chromium let the last one win)");
          return;
        }
        maxAge = PolicyRules.parseMaxAge(value, true, findings);
        maxAgeText = value;
      }
      case "includesubdomains" -> {
        includeSubDomainsCount++;
        if (includeSubDomainsCount > 1) {
          add(Rule.DUPLICATE_INCLUDE_SUBDOMAINS, null, "includeSubDomains appears "
              + includeSubDomainsCount + " times", "RFC 7469 §2.1 allows it once (Chromium"
              + " accepted duplicates)");
          return;
        }
        if (value != null) {
          add(Rule.VALUED_INCLUDE_SUBDOMAINS, value, "includeSubDomains has the value '" + value
              + "'", "it takes none (Chromium ignored the value)");
          return;
        }
        includeSubDomains = true;
      }
      case "report-uri" -> {
        reportUriCount++;
        if (reportUriCount > 1) {
          add(Rule.DUPLICATE_REPORT_URI, value, "report-uri appears " + reportUriCount
              + " times", "RFC 7469 §2.1 allows it once");
          return;
        }
        if (value == null || !quoted) {
          add(Rule.INVALID_REPORT_URI, value, "report-uri must be a quoted absolute URI, got "
              + (value == null ? "no value" : value), null);
          return;
        }
        parsedReportUri = PolicyRules.parseReportUri(value, findings);
        if (parsedReportUri != null) {
          reportUri = value;
        } else {
          amendLast(Rule.INVALID_REPORT_URI, " (Firefox did not check report-uri and Chromium"
              + " took any URL its parser accepted, so neither ignored the header for it; the"
              + " reports would not arrive)");
        }
      }
      default -> {
        if (lower.startsWith("pin-")) {
          add(Rule.UNKNOWN_PIN_ALGORITHM, name, name + " is not a pin algorithm user agents"
              + " know", "they ignore it (only pin-sha256 counts)");
        } else {
          add(Rule.UNKNOWN_DIRECTIVE, name, "unknown directive " + name + " is ignored by user"
              + " agents", null);
        }
      }
    }
  }

  private void finish() {
    PolicyRules.headerSize(reportOnly ? PinPolicy.HEADER_REPORT_ONLY : PinPolicy.HEADER, text,
        findings);
    if (maxAgeCount == 0 && !reportOnly) {
      add(Rule.MISSING_MAX_AGE, null, "max-age is missing", "Public-Key-Pins requires it (RFC"
          + " 7469 §2.1.2)");
    }
    PolicyRules.duplicatePins(pins, null, findings);
    PolicyRules.pinSet(List.copyOf(new LinkedHashSet<>(pins)), null, null, findings);
    if (maxAge != null && maxAge == 0) {
      String note = " (with max-age=0, Firefox forgot the host's pins all the same; Chromium"
          + " ignored the header)";
      amendLast(Rule.NO_PINS, note);
      amendLast(Rule.NO_BACKUP_PIN, note);
    }
    if (maxAge != null) {
      PolicyRules.maxAge(maxAge, maxAgeText, findings);
    }
    PolicyRules.reportOnlyNeedsReportUri(reportOnly, reportUriCount > 0, findings);
  }

  private ParsedHeader result() {
    return new ParsedHeader(pins, maxAge, includeSubDomains, reportUri, parsedReportUri,
        findings);
  }

  private void skipOws() {
    while (index < text.length() && (text.charAt(index) == ' ' || text.charAt(index) == '\t')) {
      index++;
    }
  }

  private void add(Rule rule, String value, String problem, String fix) {
    findings.add(Finding.of(rule, value, problem, fix));
  }

  /** Adds what user agents did to the last finding of {@code rule}, if there is one. */
  private void amendLast(Rule rule, String note) {
    for (int i = findings.size() - 1; i >= 0; i--) {
      Finding finding = findings.get(i);
      if (finding.rule() == rule) {
        findings.set(i, finding.fix() == null
            ? new Finding(rule, finding.parameter(), finding.value(),
                finding.problem().append(note), null)
            : new Finding(rule, finding.parameter(), finding.value(), finding.problem(),
                finding.fix().append(note)));
        return;
      }
    }
  }

  private static boolean isTchar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
