package dev.hpkp.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated HTTP Public Key Pinning policy and the header that carries it.
 *
 * <p>{@link Builder#build()} refuses any policy that a user agent would reject or that could lock
 * users out of the site it is served from (RFC 7469 §2.5, §4.3): no backup pin, a backup pin that
 * is deployed in the served chain, no pin matching the served chain, malformed values. Risky but
 * legal settings become {@link #warnings()}. The header value is computed once, here.
 */
public final class PinPolicy {

  /** Header name of an enforcing policy (RFC 7469 §2.1). */
  public static final String HEADER = "Public-Key-Pins";
  /** Header name of a report-only policy (RFC 7469 §2.1). */
  public static final String HEADER_REPORT_ONLY = "Public-Key-Pins-Report-Only";
  /** 60 days: RFC 7469 §4.1's suggested upper limit, and the cap Chromium applied. */
  public static final long MAX_AGE_CAP_SECONDS = 5_184_000L;
  /** Default max-age: the 60-day cap. */
  public static final long DEFAULT_MAX_AGE_SECONDS = MAX_AGE_CAP_SECONDS;
  /** Renewal must start this long, plus max-age, before the leaf certificate expires. */
  public static final Duration RENEWAL_MARGIN = Duration.ofDays(30);

  private final List<Pin> pins;
  private final List<Pin> backupPins;
  private final long maxAgeSeconds;
  private final boolean includeSubDomains;
  private final URI reportUri;
  private final boolean reportOnly;
  private final List<ChainCertificate> servedChain;
  private final List<String> warnings;
  private final String headerValue;

  private PinPolicy(Builder builder, List<String> warnings) {
    this.pins = List.copyOf(builder.pins);
    this.backupPins = List.copyOf(builder.backupPins);
    this.maxAgeSeconds = builder.maxAgeSeconds;
    this.includeSubDomains = builder.includeSubDomains;
    this.reportUri = builder.reportUri;
    this.reportOnly = builder.reportOnly;
    this.servedChain = builder.servedChain == null ? List.of() : List.copyOf(builder.servedChain);
    this.warnings = List.copyOf(warnings);
    this.headerValue = format();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code Public-Key-Pins} or {@code Public-Key-Pins-Report-Only}. */
  public String headerName() {
    return reportOnly ? HEADER_REPORT_ONLY : HEADER;
  }

  /** The header value, e.g. {@code pin-sha256="…"; pin-sha256="…"; max-age=5184000}. */
  public String headerValue() {
    return headerValue;
  }

  /** Pins of keys in use (at least one matches the served chain). */
  public List<Pin> pins() {
    return pins;
  }

  /** Pins of keys not deployed yet, kept offline for the next certificate. */
  public List<Pin> backupPins() {
    return backupPins;
  }

  /** Every pin in header order: {@link #pins()} then {@link #backupPins()}. */
  public List<Pin> allPins() {
    List<Pin> all = new ArrayList<>(pins);
    all.addAll(backupPins);
    return Collections.unmodifiableList(all);
  }

  public long maxAgeSeconds() {
    return maxAgeSeconds;
  }

  public boolean includeSubDomains() {
    return includeSubDomains;
  }

  public Optional<URI> reportUri() {
    return Optional.ofNullable(reportUri);
  }

  public boolean reportOnly() {
    return reportOnly;
  }

  /** The chain the policy was checked against; empty when the check was switched off. */
  public List<ChainCertificate> servedChain() {
    return servedChain;
  }

  /** Risky settings found while building, one sentence each; the policy is served anyway. */
  public List<String> warnings() {
    return warnings;
  }

  /** What a pin matches in the served chain, e.g. {@code leaf CN=shop.example}, or {@code backup}. */
  public String describe(Pin pin) {
    for (ChainCertificate certificate : servedChain) {
      if (certificate.pin().equals(pin)) {
        return certificate.role() + " " + certificate.subject();
      }
    }
    if (backupPins.contains(pin)) {
      return "backup";
    }
    return servedChain.isEmpty() ? "configured pin" : "no certificate of the served chain";
  }

  @Override
  public String toString() {
    return headerName() + ": " + headerValue;
  }

  private String format() {
    StringBuilder value = new StringBuilder();
    for (Pin pin : allPins()) {
      value.append(pin.toDirective()).append("; ");
    }
    value.append("max-age=").append(maxAgeSeconds);
    if (includeSubDomains) {
      value.append("; includeSubDomains");
    }
    if (reportUri != null) {
      value.append("; report-uri=\"").append(reportUri.toASCIIString()).append('"');
    }
    return value.toString();
  }

  /** Collects settings; {@link #build()} validates them. Builders are not thread-safe. */
  public static final class Builder {
    private final List<Pin> pins = new ArrayList<>();
    private final List<Pin> backupPins = new ArrayList<>();
    private long maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS;
    private boolean includeSubDomains;
    private String reportUriText;
    private URI reportUri;
    private boolean reportOnly = true;
    private List<ChainCertificate> servedChain;
    private boolean servedChainCheck = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds pins of keys in use; at least one must match the served chain. */
    public Builder pins(Collection<Pin> pins) {
      this.pins.addAll(requireNoNulls(pins, "pins"));
      return this;
    }

    public Builder pins(Pin... pins) {
      return pins(List.of(pins));
    }

    /** Adds pins of backup keys: not deployed, kept offline. At least one is required. */
    public Builder backupPins(Collection<Pin> backupPins) {
      this.backupPins.addAll(requireNoNulls(backupPins, "backupPins"));
      return this;
    }

    public Builder backupPins(Pin... backupPins) {
      return backupPins(List.of(backupPins));
    }

    /** Default 5184000 (60 days, RFC 7469 §4.1). 0 tells user agents to forget the pins. */
    public Builder maxAgeSeconds(long maxAgeSeconds) {
      this.maxAgeSeconds = maxAgeSeconds;
      return this;
    }

    public Builder includeSubDomains(boolean includeSubDomains) {
      this.includeSubDomains = includeSubDomains;
      return this;
    }

    /** Absolute http or https URI that user agents POST violation reports to; null for none. */
    public Builder reportUri(String reportUri) {
      this.reportUriText = reportUri;
      return this;
    }

    /**
     * Default {@code true}: send {@code Public-Key-Pins-Report-Only}, which blocks nothing, as
     * RFC 7469 Appendix B advises while a policy is being rolled out.
     */
    public Builder reportOnly(boolean reportOnly) {
      this.reportOnly = reportOnly;
      return this;
    }

    /** The chain the server presents, leaf first; the policy is checked against it. */
    public Builder servedChain(List<ChainCertificate> servedChain) {
      this.servedChain = List.copyOf(servedChain);
      this.servedChainCheck = true;
      return this;
    }

    /**
     * Skips the served-chain checks, for TLS that ends on a proxy whose chain is not available
     * here. A WARNING says what is no longer checked.
     */
    public Builder withoutServedChainCheck() {
      this.servedChain = null;
      this.servedChainCheck = false;
      return this;
    }

    /** The clock for the certificate expiry warning; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Validates the settings and builds the policy.
     *
     * @throws PolicyException naming the parameter, the value and the fix
     */
    public PinPolicy build() {
      List<String> warnings = new ArrayList<>();
      if (maxAgeSeconds < 0) {
        throw new PolicyException("maxAgeSeconds", maxAgeSeconds + " is negative; use a number"
            + " of seconds from 0 up to " + MAX_AGE_CAP_SECONDS + " (60 days)");
      }
      reportUri = reportUriText == null ? null : checkReportUri(reportUriText);
      if (reportOnly && reportUri == null) {
        throw new PolicyException("reportUri", "not set, but reportOnly=true: a"
            + " Public-Key-Pins-Report-Only policy without report-uri does nothing; set reportUri"
            + " to a report collector on another host, or set reportOnly=false to enforce");
      }
      checkPinSets();
      if (servedChainCheck) {
        checkServedChain(warnings);
      } else {
        warnings.add("servedChain: the served-chain check is switched off, so nothing verifies"
            + " that a pin matches the certificates clients see or that the backup pins are not"
            + " deployed; a wrong pin set here locks clients out for max-age=" + maxAgeSeconds
            + " seconds once enforced");
      }
      if (maxAgeSeconds > MAX_AGE_CAP_SECONDS) {
        warnings.add("maxAgeSeconds: " + maxAgeSeconds + " is above " + MAX_AGE_CAP_SECONDS
            + " (60 days); user agents cap it there (RFC 7469 §4.1), so a longer value buys"
            + " nothing and reads as a mistake");
      }
      if (maxAgeSeconds == 0) {
        warnings.add("maxAgeSeconds: 0 tells user agents to forget this host's pins (RFC 7469"
            + " §2.3.3); this policy unpins clients");
      }
      if (backupPins.size() == 1) {
        warnings.add("backupPins: only one backup pin " + backupPins.get(0) + "; keep at least"
            + " two backup keys, stored in separate places, so losing one does not lock users out"
            + " — generate another with 'hpkp backup-key'");
      }
      return new PinPolicy(this, warnings);
    }

    private void checkPinSets() {
      if (pins.isEmpty()) {
        throw new PolicyException("pins", "no pin configured; set pins to the pin of a key in the"
            + " served chain (compute it with 'hpkp pin cert.pem')");
      }
      if (backupPins.isEmpty()) {
        throw new PolicyException("backupPins", "no backup pin configured; user agents reject a"
            + " policy without a pin outside the served chain (RFC 7469 §4.3) — generate an"
            + " offline backup key with 'hpkp backup-key' and add its pin to backupPins");
      }
      Pin duplicate = firstDuplicate(pins);
      if (duplicate != null) {
        throw new PolicyException("pins", duplicate + " is listed twice; list each key once");
      }
      duplicate = firstDuplicate(backupPins);
      if (duplicate != null) {
        throw new PolicyException("backupPins", duplicate + " is listed twice; list each backup"
            + " key once and keep two different backup keys");
      }
      for (Pin backup : backupPins) {
        if (pins.contains(backup)) {
          throw new PolicyException("backupPins", backup + " is also in pins, which leaves fewer"
              + " than two distinct pins; a backup pin must be a different key that is NOT"
              + " deployed yet — generate one with 'hpkp backup-key'");
        }
      }
    }

    private void checkServedChain(List<String> warnings) {
      if (servedChain == null || servedChain.isEmpty()) {
        throw new PolicyException("servedChain", "not set; the filter checks the pins against the"
            + " certificate chain the server presents, so set servedChain to that chain (PEM file"
            + " or keystore), or set servedChainCheck=false if TLS ends on a proxy whose chain is"
            + " not available here");
      }
      for (Pin backup : backupPins) {
        for (ChainCertificate certificate : servedChain) {
          if (certificate.pin().equals(backup)) {
            throw new PolicyException("backupPins", backup + " matches " + certificate.describe()
                + "; a backup pin must be a key that is NOT deployed yet — generate one with"
                + " 'hpkp backup-key'");
          }
        }
      }
      Set<Pin> chainPins = servedChain.stream().map(ChainCertificate::pin)
          .collect(Collectors.toCollection(LinkedHashSet::new));
      if (pins.stream().noneMatch(chainPins::contains)) {
        throw new PolicyException("pins", String.join(", ", pins.stream().map(Pin::toString)
            .toList()) + " matches no certificate of the served chain, so user agents would"
            + " reject the policy; the served chain's pins are:" + chainListing()
            + " — put at least one of them in pins");
      }
      for (Pin pin : pins) {
        if (!chainPins.contains(pin)) {
          warnings.add("pins: " + pin + " matches no certificate of the served chain; if it is"
              + " a key that is not deployed, move it to backupPins, otherwise check for a typo");
        }
      }
      for (int i = 0; i + 1 < servedChain.size(); i++) {
        ChainCertificate certificate = servedChain.get(i);
        ChainCertificate next = servedChain.get(i + 1);
        if (!certificate.issuer().equals(next.subject())) {
          warnings.add("servedChain: certificate " + i + " (" + certificate.subject()
              + ") was not issued by certificate " + (i + 1) + " (" + next.subject()
              + "); list the chain leaf first, each certificate followed by its issuer, as the"
              + " server sends it");
          break;
        }
      }
      ChainCertificate leaf = servedChain.get(0);
      Instant renewBy = Instant.now(clock).plusSeconds(maxAgeSeconds).plus(RENEWAL_MARGIN);
      if (leaf.notAfter().isBefore(renewBy)) {
        warnings.add("servedChain: the leaf certificate " + leaf.subject() + " expires at "
            + leaf.notAfter() + ", before now + max-age + 30 days (" + renewBy + "); start the"
            + " renewal now (see 'hpkp plan')");
      }
      if (reportUri != null && reportUri.getHost() != null
          && coversHost(leaf.dnsNames(), reportUri.getHost())) {
        warnings.add("reportUri: " + reportUri + " is on a host the leaf certificate covers;"
            + " a pin failure on this host also blocks the report, so collect reports on"
            + " another host (RFC 7469 §2.1.4)");
      }
    }

    private String chainListing() {
      StringBuilder listing = new StringBuilder();
      for (ChainCertificate certificate : servedChain) {
        listing.append(' ').append(certificate.pin()).append(" (").append(certificate.role())
            .append(' ').append(certificate.subject()).append(")");
        if (certificate.position() + 1 < servedChain.size()) {
          listing.append(',');
        }
      }
      return listing.toString();
    }

    private static URI checkReportUri(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\' || c <= 0x20 || c >= 0x7f) {
          throw new PolicyException("reportUri", "'" + text + "' contains "
              + (c == '"' ? "a double quote" : c == '\\' ? "a backslash"
              : c == ' ' ? "a space" : c > 0x7f ? "the non-ASCII character '" + c + "'"
              : String.format(Locale.ROOT, "the control character U+%04X", (int) c))
              + " at index " + i + ", which cannot stand in the quoted report-uri directive;"
              + " percent-encode it");
        }
      }
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        throw new PolicyException("reportUri", "'" + text + "' is not a valid URI ("
            + e.getReason() + " at index " + e.getIndex() + "); use an absolute https URI such"
            + " as https://reports.example.net/hpkp", e);
      }
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null) {
        throw new PolicyException("reportUri", "'" + text + "' is not an absolute http or https"
            + " URI with a host; use one such as https://reports.example.net/hpkp");
      }
      return uri;
    }

    private static boolean coversHost(List<String> dnsNames, String host) {
      String lower = host.toLowerCase(Locale.ROOT);
      for (String name : dnsNames) {
        if (name.equals(lower)) {
          return true;
        }
        if (name.startsWith("*.")) {
          int dot = lower.indexOf('.');
          if (dot > 0 && lower.substring(dot + 1).equals(name.substring(2))) {
            return true;
          }
        }
      }
      return false;
    }

    private static Pin firstDuplicate(List<Pin> list) {
      Set<Pin> seen = new LinkedHashSet<>();
      for (Pin pin : list) {
        if (!seen.add(pin)) {
          return pin;
        }
      }
      return null;
    }

    private static <T> Collection<T> requireNoNulls(Collection<T> values, String parameter) {
      for (T value : values) {
        if (value == null) {
          throw new PolicyException(parameter, "contains a null pin; pass only pins");
        }
      }
      return values;
    }
  }
}
