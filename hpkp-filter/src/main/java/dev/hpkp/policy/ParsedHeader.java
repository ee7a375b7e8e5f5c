package dev.hpkp.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Public-Key-Pins} or {@code Public-Key-Pins-Report-Only} header value parsed strictly
 * per RFC 7469 §2.1, with every problem found. Where Chromium was more lenient than the RFC, the
 * finding says so.
 *
 * <p>{@link #parse} never throws on bad input: a header a user agent would reject comes back with
 * {@link Finding.Severity#ERROR} findings and {@link #valid()} false.
 */
public final class ParsedHeader {

  /** One problem, with a stable code for tools and a sentence for people. */
  public record Finding(Severity severity, String code, String message) {
    /** ERROR: a user agent ignores the whole header. WARNING: accepted, but risky. */
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
      return severity.name().toLowerCase(Locale.ROOT) + " [" + code + "] " + message;
    }
  }

  private final List<Pin> pins;
  private final Long maxAgeSeconds;
  private final boolean includeSubDomains;
  private final String reportUri;
  private final List<Finding> findings;

  private ParsedHeader(List<Pin> pins, Long maxAgeSeconds, boolean includeSubDomains,
      String reportUri, List<Finding> findings) {
    this.pins = List.copyOf(pins);
    this.maxAgeSeconds = maxAgeSeconds;
    this.includeSubDomains = includeSubDomains;
    this.reportUri = reportUri;
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
    return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
  }

  /**
   * Findings that depend on the chain a client validated: a user agent accepts the policy only
   * when at least one pin matches a key in the chain and at least one does not (RFC 7469 §2.5).
   */
  public List<Finding> judgeAgainst(List<ChainCertificate> chain) {
    List<Finding> result = new ArrayList<>();
    boolean anyMatch = false;
    boolean anyBackup = false;
    for (Pin pin : pins) {
      boolean matches = chain.stream().anyMatch(c -> c.pin().equals(pin));
      anyMatch |= matches;
      anyBackup |= !matches;
    }
    if (!pins.isEmpty() && !anyMatch) {
      result.add(new Finding(Finding.Severity.ERROR, "no-pin-matches-chain", "no pin matches a"
          + " certificate of the chain; user agents ignore the policy (RFC 7469 §2.5)"));
    }
    if (!pins.isEmpty() && !anyBackup) {
      result.add(new Finding(Finding.Severity.ERROR, "no-backup-pin", "every pin matches a"
          + " certificate of the chain, so there is no backup pin; user agents ignore the policy"
          + " (RFC 7469 §4.3)"));
    }
    return Collections.unmodifiableList(result);
  }

  private static final class Parser {
    private final String text;
    private final boolean reportOnly;
    private int index;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Pin> pins = new ArrayList<>();
    private Long maxAge;
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
        error("parse-error", "the header value is empty");
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
          error("parse-error", "expected ';' at index " + index + ", found '"
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
        error("parse-error", "expected a directive name at index " + index + ", found '"
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
          error("parse-error", "directive " + name + " has a single-quoted value at index "
              + index + "; RFC 7469 allows only double quotes (Chromium accepted single quotes)");
          return false;
        } else {
          int valueStart = index;
          while (index < text.length() && isTchar(text.charAt(index))) {
            index++;
          }
          if (index == valueStart) {
            error("parse-error", "directive " + name + " has '=' but no value at index " + index);
            return false;
          }
          value = text.substring(valueStart, index);
        }
      } else {
        int save = index;
        skipOws();
        if (index < text.length() && text.charAt(index) == '=') {
          error("parse-error", "whitespace before '=' in directive " + name + " at index "
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
          error("parse-error", String.format(Locale.ROOT, "control character U+%04X in the"
              + " quoted string at index %d", (int) c, index));
          return null;
        }
        value.append(c);
        index++;
      }
      error("parse-error", "unterminated quoted string starting at index " + open);
      return null;
    }

    private void apply(String name, String value, boolean quoted) {
      String lower = name.toLowerCase(Locale.ROOT);
      switch (lower) {
        case "pin-sha256" -> {
          if (value == null) {
            error("invalid-pin", "pin-sha256 has no value");
            return;
          }
          if (!quoted) {
            error("invalid-pin", "pin-sha256 value '" + value + "' is not a quoted string");
            return;
          }
          try {
            Pin pin = Pin.fromString(value);
            if (pins.contains(pin)) {
              warning("duplicate-pin", pin + " appears twice; it counts as one pin");
            } else {
              pins.add(pin);
            }
          } catch (IllegalArgumentException e) {
            error("invalid-pin", "pin-sha256=\"" + value + "\": " + e.getMessage());
          }
        }
        case "max-age" -> {
          maxAgeCount++;
          if (maxAgeCount > 1) {
            error("duplicate-max-age", "max-age appears " + maxAgeCount + " times; RFC 7469"
                + " §2.1 allows it once (Chromium let the last one win)");
            return;
          }
          if (value == null || value.isEmpty() || !value.chars().allMatch(Character::isDigit)) {
            error("invalid-max-age", "max-age=" + value + " is not delta-seconds (digits only)");
            return;
          }
          try {
            maxAge = Long.parseLong(value);
          } catch (NumberFormatException e) {
            maxAge = Long.MAX_VALUE; // absurdly large: user agents cap it anyway
          }
        }
        case "includesubdomains" -> {
          includeSubDomainsCount++;
          if (includeSubDomainsCount > 1) {
            error("duplicate-include-subdomains", "includeSubDomains appears "
                + includeSubDomainsCount + " times; RFC 7469 §2.1 allows it once (Chromium"
                + " accepted duplicates)");
            return;
          }
          if (value != null) {
            error("valued-include-subdomains", "includeSubDomains has the value '" + value
                + "'; it takes none (Chromium ignored the value)");
            return;
          }
          includeSubDomains = true;
        }
        case "report-uri" -> {
          reportUriCount++;
          if (reportUriCount > 1) {
            error("duplicate-report-uri", "report-uri appears " + reportUriCount + " times;"
                + " RFC 7469 §2.1 allows it once");
            return;
          }
          if (value == null || !quoted) {
            error("invalid-report-uri", "report-uri must be a quoted absolute URI, got "
                + (value == null ? "no value" : value));
            return;
          }
          try {
            java.net.URI uri = new java.net.URI(value);
            if (!uri.isAbsolute() || uri.getHost() == null) {
              error("invalid-report-uri", "report-uri \"" + value + "\" is not an absolute URI"
                  + " with a host");
              return;
            }
          } catch (java.net.URISyntaxException e) {
            error("invalid-report-uri", "report-uri \"" + value + "\" is not a URI: "
                + e.getReason());
            return;
          }
          reportUri = value;
        }
        default -> {
          if (lower.startsWith("pin-")) {
            warning("unknown-pin-algorithm", name + " is not a pin algorithm user agents know;"
                + " they ignore it (only pin-sha256 counts)");
          } else {
            warning("unknown-directive", "unknown directive " + name + " is ignored by user"
                + " agents");
          }
        }
      }
    }

    private void finish() {
      if (maxAgeCount == 0 && !reportOnly) {
        error("missing-max-age", "max-age is missing; Public-Key-Pins requires it (RFC 7469"
            + " §2.1.2)");
      }
      if (pins.isEmpty()) {
        error("no-pins", "no valid pin-sha256 directive");
      } else if (pins.size() < 2) {
        error("no-backup-pin", "only one distinct pin; user agents require a backup pin that"
            + " matches no key of the chain (RFC 7469 §4.3)");
      }
      if (maxAge != null && maxAge > PinPolicy.MAX_AGE_CAP_SECONDS) {
        warning("max-age-above-cap", "max-age=" + maxAge + " is above "
            + PinPolicy.MAX_AGE_CAP_SECONDS + " (60 days); user agents cap it there");
      }
      if (reportOnly && reportUri == null && reportUriCount == 0) {
        error("report-only-without-report-uri", "Public-Key-Pins-Report-Only without"
            + " report-uri does nothing: user agents have nowhere to report");
      }
    }

    private ParsedHeader result() {
      return new ParsedHeader(pins, maxAge, includeSubDomains, reportUri, findings);
    }

    private void skipOws() {
      while (index < text.length() && (text.charAt(index) == ' ' || text.charAt(index) == '\t')) {
        index++;
      }
    }

    private void error(String code, String message) {
      findings.add(new Finding(Finding.Severity.ERROR, code, message));
    }

    private void warning(String code, String message) {
      findings.add(new Finding(Finding.Severity.WARNING, code, message));
    }

    private static boolean isTchar(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }
}
