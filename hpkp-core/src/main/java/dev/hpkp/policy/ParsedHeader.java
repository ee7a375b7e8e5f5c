package dev.hpkp.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Public-Key-Pins} or {@code Public-Key-Pins-Report-Only} header value parsed strictly
 * per RFC 7469 §2.1 and judged by the rule table ({@link Rule}), with every problem found. Where
 * Chromium was more lenient than the RFC, the finding says so.
 *
 * <p>{@link #parse} never throws on bad input: a header a user agent would reject comes back with
 * {@link Rule.Severity#ERROR} findings and {@link #valid()} false.
 */
public final class ParsedHeader {

  private final List<Pin> pins;
  private final Long maxAgeSeconds;
  private final boolean includeSubDomains;
  private final String reportUri;
  private final ReportUri parsedReportUri;
  private final List<Finding> findings;

  private ParsedHeader(List<Pin> pins, Long maxAgeSeconds, boolean includeSubDomains,
      String reportUri, ReportUri parsedReportUri, List<Finding> findings) {
    this.pins = List.copyOf(new LinkedHashSet<>(pins));
    this.maxAgeSeconds = maxAgeSeconds;
    this.includeSubDomains = includeSubDomains;
    this.reportUri = reportUri;
    this.parsedReportUri = parsedReportUri;
    this.findings = List.copyOf(findings);
  }

  /**
   * Parses a header value.
   *
   * @param reportOnly true for {@code Public-Key-Pins-Report-Only}, where max-age is optional and
   *     report-uri is needed for the header to do anything
   */
  public static ParsedHeader parse(String value, boolean reportOnly) {
    return new Parser(value == null ? "" : value, reportOnly).parse();
  }

  public List<Pin> pins() {
    return pins;
  }

  public Optional<Long> maxAgeSeconds() {
    return Optional.ofNullable(maxAgeSeconds);
  }

  public boolean includeSubDomains() {
    return includeSubDomains;
  }

  public Optional<String> reportUri() {
    return Optional.ofNullable(reportUri);
  }

  public List<Finding> findings() {
    return findings;
  }

  /** True when no finding is an error: a user agent would process the header. */
  public boolean valid() {
    return findings.stream().noneMatch(f -> f.severity() == Rule.Severity.ERROR);
  }

  /**
   * Findings that depend on the chain a client validated: a user agent accepts the policy only
   * when at least one pin matches a key in the chain and at least one does not (RFC 7469 §2.5).
   */
  public List<Finding> judgeAgainst(List<ChainCertificate> chain) {
    return judgeAgainst(chain, null, Clock.systemUTC());
  }

  /**
   * The chain rules of the table for this header served with {@code chain} for {@code host}
   * (null when unknown): pins against the chain, report-uri on the pinned host, leaf expiry
   * against max-age, chain order. Pin rules already broken without a chain are not repeated.
   */
  public List<Finding> judgeAgainst(List<ChainCertificate> chain, String host, Clock clock) {
    List<Finding> result = new ArrayList<>();
    if (pins.size() >= 2) {
      PolicyRules.pinSet(pins, null, chain, result);
    }
    PolicyRules.chain(chain, host, parsedReportUri, maxAgeSeconds, Instant.now(clock), result);
    return Collections.unmodifiableList(result);
  }

  private static final class Parser {
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

    Parser(String text, boolean reportOnly) {
      this.text = text;
      this.reportOnly = reportOnly;
    }

    ParsedHeader parse() {
      skipOws();
      if (index == text.length()) {
        add(Rule.PARSE_ERROR, "the header value is empty");
        return result();
      }
      while (index < text.length()) {
        if (!directive()) {
          return result();
        }
        skipOws();
        if (index == text.length()) {
          break;
        }
        if (text.charAt(index) != ';') {
          add(Rule.PARSE_ERROR, "expected ';' at index " + index + ", found '"
              + text.charAt(index) + "'");
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
        add(Rule.PARSE_ERROR, "expected a directive name at index " + index + ", found '"
            + text.charAt(index) + "'");
        return false;
      }
      String name = text.substring(start, index);
      String value = null;
      boolean quoted = false;
      if (index < text.length() && text.charAt(index) == '=') {
        index++;
        if (index < text.length() && text.charAt(index) == '"') {
          value = quotedString();
          if (value == null) {
            return false;
          }
          quoted = true;
        } else if (index < text.length() && text.charAt(index) == '\'') {
          add(Rule.PARSE_ERROR, "directive " + name + " has a single-quoted value at index "
              + index + "; RFC 7469 allows only double quotes (Chromium accepted single quotes)");
          return false;
        } else {
          int valueStart = index;
          while (index < text.length() && isTchar(text.charAt(index))) {
            index++;
          }
          if (index == valueStart) {
            add(Rule.PARSE_ERROR, "directive " + name + " has '=' but no value at index " + index);
            return false;
          }
          value = text.substring(valueStart, index);
        }
      } else {
        int save = index;
        skipOws();
        if (index < text.length() && text.charAt(index) == '=') {
          add(Rule.PARSE_ERROR, "whitespace before '=' in directive " + name + " at index "
              + save);
          return false;
        }
        index = save;
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
          add(Rule.PARSE_ERROR, String.format(Locale.ROOT, "control character U+%04X in the"
              + " quoted string at index %d", (int) c, index));
          return null;
        }
        value.append(c);
        index++;
      }
      add(Rule.PARSE_ERROR, "unterminated quoted string starting at index " + open);
      return null;
    }

    private void apply(String name, String value, boolean quoted) {
      String lower = name.toLowerCase(Locale.ROOT);
      switch (lower) {
        case "pin-sha256" -> {
          if (value == null) {
            add(Rule.INVALID_PIN, "pin-sha256 has no value");
            return;
          }
          if (!quoted) {
            add(Rule.INVALID_PIN, "pin-sha256 value '" + value + "' is not a quoted string");
            return;
          }
          try {
            pins.add(Pin.fromBase64(value));
          } catch (IllegalArgumentException e) {
            add(Rule.INVALID_PIN, "pin-sha256=\"" + value + "\": " + e.getMessage());
          }
        }
        case "max-age" -> {
          maxAgeCount++;
          if (maxAgeCount > 1) {
            add(Rule.DUPLICATE_MAX_AGE, "max-age appears " + maxAgeCount + " times; RFC 7469"
                + " §2.1 allows it once (Chromium let the last one win)");
            return;
          }
          maxAge = PolicyRules.parseMaxAge(value, true, findings);
          maxAgeText = value;
        }
        case "includesubdomains" -> {
          includeSubDomainsCount++;
          if (includeSubDomainsCount > 1) {
            add(Rule.DUPLICATE_INCLUDE_SUBDOMAINS, "includeSubDomains appears "
                + includeSubDomainsCount + " times; RFC 7469 §2.1 allows it once (Chromium"
                + " accepted duplicates)");
            return;
          }
          if (value != null) {
            add(Rule.VALUED_INCLUDE_SUBDOMAINS, "includeSubDomains has the value '" + value
                + "'; it takes none (Chromium ignored the value)");
            return;
          }
          includeSubDomains = true;
        }
        case "report-uri" -> {
          reportUriCount++;
          if (reportUriCount > 1) {
            add(Rule.DUPLICATE_REPORT_URI, "report-uri appears " + reportUriCount + " times;"
                + " RFC 7469 §2.1 allows it once");
            return;
          }
          if (value == null || !quoted) {
            add(Rule.INVALID_REPORT_URI, "report-uri must be a quoted absolute URI, got "
                + (value == null ? "no value" : value));
            return;
          }
          parsedReportUri = PolicyRules.parseReportUri(value, findings);
          if (parsedReportUri != null) {
            reportUri = value;
          }
        }
        default -> {
          if (lower.startsWith("pin-")) {
            add(Rule.UNKNOWN_PIN_ALGORITHM, name + " is not a pin algorithm user agents know;"
                + " they ignore it (only pin-sha256 counts)");
          } else {
            add(Rule.UNKNOWN_DIRECTIVE, "unknown directive " + name + " is ignored by user"
                + " agents");
          }
        }
      }
    }

    private void finish() {
      if (maxAgeCount == 0 && !reportOnly) {
        add(Rule.MISSING_MAX_AGE, "max-age is missing; Public-Key-Pins requires it (RFC 7469"
            + " §2.1.2)");
      }
      PolicyRules.duplicatePins(pins, null, findings);
      PolicyRules.pinSet(List.copyOf(new LinkedHashSet<>(pins)), null, null, findings);
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

    private void add(Rule rule, String message) {
      findings.add(new Finding(rule, message));
    }

    private static boolean isTchar(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
