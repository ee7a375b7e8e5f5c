package dev.hpkp.policy;

import dev.hpkp.config.Wording;
import dev.hpkp.config.Wording.Names;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
  private final List<Finding> findings;
  private final String headerValue;

  private PinPolicy(Builder builder, List<Pin> pins, List<Pin> backupPins, URI reportUri,
      List<Finding> findings) {
    this.pins = List.copyOf(pins);
    this.backupPins = List.copyOf(backupPins);
    this.maxAgeSeconds = builder.maxAgeSeconds;
    this.includeSubDomains = builder.includeSubDomains;
    this.reportUri = reportUri;
    this.reportOnly = builder.reportOnly;
    this.servedChain = builder.servedChain == null ? List.of() : List.copyOf(builder.servedChain);
    this.findings = List.copyOf(findings);
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

  /** {@link #maxAgeSeconds()} as user agents keep it: capped at {@link #MAX_AGE_CAP_SECONDS}. */
  public long effectiveMaxAgeSeconds() {
    return effectiveMaxAgeSeconds(maxAgeSeconds);
  }

  public static long effectiveMaxAgeSeconds(long maxAgeSeconds) {
    return Math.min(Math.max(maxAgeSeconds, 0), MAX_AGE_CAP_SECONDS);
  }

  /** {@link #renewBy(Instant, long)} for the served leaf; empty when no chain was checked. */
  public Optional<Instant> renewBy() {
    return servedChain.isEmpty() ? Optional.empty()
        : Optional.of(renewBy(servedChain.get(0).notAfter(), maxAgeSeconds));
  }

  /**
   * The last moment a renewal of a leaf expiring at {@code leafNotAfter} can start: expiry − the
   * effective max-age − {@link #RENEWAL_MARGIN}. The one computation every front end uses.
   */
  public static Instant renewBy(Instant leafNotAfter, long maxAgeSeconds) {
    return leafNotAfter.minusSeconds(effectiveMaxAgeSeconds(maxAgeSeconds))
        .minus(RENEWAL_MARGIN);
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

  /** The warnings the rule table found while building; the policy is served anyway. */
  public List<Finding> findings() {
    return findings;
  }

  /** {@link #findings()} as sentences, each starting with its parameter: {@code backupPins: …}. */
  public List<String> warnings() {
    return warnings(Names.AS_WRITTEN);
  }

  /** {@link #warnings()} with the settings named by {@code names}. */
  public List<String> warnings(Names names) {
    return findings.stream().map(f -> names.of(f.parameter(), null) + ": " + f.message(names))
        .toList();
  }

  /**
   * What a pin matches in the served chain, e.g. {@code leaf CN=shop.example}, or {@code backup}.
   */
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

  /**
   * Equal when the configured values are: pins, backup pins, max-age, includeSubDomains,
   * report-uri and report-only — so two equal policies send the same header. The chain they were
   * checked against and the findings are not part of the value.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof PinPolicy that && pins.equals(that.pins)
        && backupPins.equals(that.backupPins) && maxAgeSeconds == that.maxAgeSeconds
        && includeSubDomains == that.includeSubDomains && reportOnly == that.reportOnly
        && Objects.equals(reportUri, that.reportUri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pins, backupPins, maxAgeSeconds, includeSubDomains, reportUri,
        reportOnly);
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
    private String maxAgeText;
    private boolean includeSubDomains;
    private String reportUriText;
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
      this.maxAgeText = null;
      return this;
    }

    /**
     * max-age as written in a configuration: ASCII digits only (delta-seconds). Anything else is
     * refused by {@link #build()} under the {@code invalid-max-age} rule.
     */
    public Builder maxAgeSeconds(String maxAgeText) {
      this.maxAgeText = Objects.requireNonNull(maxAgeText, "maxAgeText");
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
     * Validates the settings against the rule table ({@link Rule}) and builds the policy.
     *
     * @throws PolicyException for the first {@link Rule.Severity#ERROR} finding, naming the
     *     parameter, the value and the fix
     */
    public PinPolicy build() {
      List<Finding> findings = new ArrayList<>();
      if (maxAgeText != null) {
        Long parsed = PolicyRules.parseMaxAge(maxAgeText, false, findings);
        maxAgeSeconds = parsed == null ? DEFAULT_MAX_AGE_SECONDS : parsed;
      }
      PolicyRules.maxAge(maxAgeSeconds, findings);
      ReportUri uri = reportUriText == null ? null
          : PolicyRules.parseReportUri(reportUriText, findings);
      PolicyRules.reportOnlyNeedsReportUri(reportOnly, reportUriText != null, findings);
      PolicyRules.duplicatePins(pins, "pins", findings);
      PolicyRules.duplicatePins(backupPins, "backupPins", findings);
      List<Pin> distinctPins = List.copyOf(new LinkedHashSet<>(pins));
      List<Pin> distinctBackups = List.copyOf(new LinkedHashSet<>(backupPins));
      boolean chainMissing = servedChainCheck && (servedChain == null || servedChain.isEmpty());
      List<ChainCertificate> chain = servedChainCheck && !chainMissing ? servedChain : null;
      if (chain != null) {
        RenewalRules.complete(chain, findings);
      }
      PolicyRules.pinSet(distinctPins, distinctBackups, chain, maxAgeSeconds, findings);
      if (!servedChainCheck) {
        findings.add(Finding.of(Rule.SERVED_CHAIN_CHECK_OFF, "false", "the served-chain check"
            + " is switched off, so nothing verifies that a pin matches the certificates clients"
            + " see or that the backup pins are not deployed", "a wrong pin set here locks"
            + " clients out for max-age=" + maxAgeSeconds + " seconds once enforced"));
      } else if (chainMissing) {
        findings.add(Finding.of(Rule.SERVED_CHAIN_MISSING, null, Wording.text("not set"),
            Wording.text("the filter checks the pins against the certificate chain the server"
            + " presents, so set ").setting("servedChain").append(" to that chain (PEM file or"
            + " keystore), or set ").setting("servedChainCheck", "false").append(" if TLS ends on"
            + " a proxy whose chain is not available here")));
      }
      if (chain != null) {
        PolicyRules.chain(chain, null, uri, maxAgeSeconds, Instant.now(clock), findings);
      }
      for (Finding finding : findings) {
        if (finding.severity() == Rule.Severity.ERROR) {
          throw new PolicyException(finding.parameter(), finding);
        }
      }
      PinPolicy policy = new PinPolicy(this, distinctPins, distinctBackups,
          uri == null ? null : uri.uri(), findings);
      int before = findings.size();
      PolicyRules.headerSize(policy.headerName(), policy.headerValue(), findings);
      return findings.size() == before ? policy : new PinPolicy(this, distinctPins,
          distinctBackups, uri == null ? null : uri.uri(), findings);
    }

    private static <T> Collection<T> requireNoNulls(Collection<T> values, String parameter) {
      for (T value : values) {
        if (value == null) {
          throw new PolicyException(parameter, null, "contains a null pin", "pass only pins");
        }
      }
      return values;
    }
  }
}
