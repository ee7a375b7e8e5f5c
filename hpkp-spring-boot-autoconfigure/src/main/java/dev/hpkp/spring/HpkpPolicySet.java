package dev.hpkp.spring;

import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.servlet.ChainRecheck;
import dev.hpkp.servlet.HpkpConfig;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;

/**
 * The policies {@code hpkp.*} describes, validated, by name: {@code hpkp} and, during a rotation,
 * {@code hpkp-report-only}. Built once per application and shared by the servlet filter, the
 * WebFlux filter, {@code /actuator/hpkp} and the health indicator of either Boot generation.
 */
public final class HpkpPolicySet {

  /** The name of the main policy (and of its servlet filter). */
  public static final String MAIN = "hpkp";
  /** The name of the report-only policy of a rotation (and of its servlet filter). */
  public static final String REPORT_ONLY = "hpkp-report-only";

  private static final System.Logger LOG = System.getLogger(HpkpPolicySet.class.getName());

  private final Map<String, PinPolicy> policies;
  /** Per policy, the filter settings it was built from and its property prefix. */
  private final Map<String, Map<String, String>> settings;
  private final Map<String, String> prefixes;
  private final Map<String, ChainVerdict> verdicts = new ConcurrentHashMap<>();
  private final Map<ChainVerdict.Kind, AtomicLong> changes = new EnumMap<>(
      ChainVerdict.Kind.class);

  private HpkpPolicySet(Map<String, PinPolicy> policies, Map<String, Map<String, String>> settings,
      Map<String, String> prefixes) {
    this.policies = Collections.unmodifiableMap(policies);
    this.settings = Map.copyOf(settings);
    this.prefixes = Map.copyOf(prefixes);
    for (ChainVerdict.Kind kind : ChainVerdict.Kind.values()) {
      changes.put(kind, new AtomicLong());
    }
    policies.forEach((name, policy) -> {
      if (!policy.servedChain().isEmpty()) {
        verdicts.put(name, ChainVerdict.of(policy));
      }
    });
  }

  /** Named policies as they are, for tests and for applications that build their own. */
  public static HpkpPolicySet of(Map<String, PinPolicy> policies) {
    return new HpkpPolicySet(new LinkedHashMap<>(policies), Map.of(), Map.of());
  }

  /**
   * Judges every policy again against the chain served now, after {@code what} changed (an SSL
   * bundle reloaded, the served-chain file replaced): logs each verdict at its level in the
   * hpkp.* names, keeps it for the health indicator and {@code /actuator/hpkp}, and counts it.
   *
   * @param served the chain the server presents now, leaf first; null to read hpkp.served-chain
   * @param retryAfter the pause before a chain that cannot be read is judged once more
   * @return the verdicts by policy name
   */
  public Map<String, ChainVerdict> recheck(String what, List<X509Certificate> served,
      Duration retryAfter) {
    Map<String, ChainVerdict> judged = new LinkedHashMap<>();
    settings.forEach((name, policySettings) -> {
      String prefix = prefixes.get(name);
      ChainVerdict verdict = ChainRecheck.judge(() -> {
        try {
          return HpkpConfig.of(policySettings, "application property").judge(served);
        } catch (PolicyException e) {
          return ChainVerdict.unreadable(e);
        }
      }, retryAfter);
      LOG.log(verdict.kind().level(), ChainRecheck.line("HPKP policy " + prefix + "*", what,
          verdict, PropertyNames.policy(prefix)));
      changes.get(verdict.kind()).incrementAndGet();
      if (verdict.kind() != ChainVerdict.Kind.UNREADABLE) {
        verdicts.put(name, verdict);
      }
      judged.put(name, verdict);
    });
    return judged;
  }

  /** The verdict on the chain served now for policy {@code name}; null when none was judged. */
  public ChainVerdict verdict(String name) {
    return verdicts.get(name);
  }

  /** How many re-checks ended with {@code kind} since the application started. */
  public long changes(ChainVerdict.Kind kind) {
    return changes.get(kind).get();
  }

  /**
   * Validates {@code hpkp.*} (and {@code hpkp.report-only-policy.*} when its pins are set) against
   * the served chain; a refusal is an {@link HpkpStartupException} naming the key.
   */
  static HpkpPolicySet from(HpkpProperties properties, Binder binder, SslBundles bundles) {
    Map<String, PinPolicy> policies = new LinkedHashMap<>();
    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    List<X509Certificate> served = HpkpPolicies.served(properties, binder, bundles);
    settings.put(MAIN, HpkpPolicies.settings(properties, properties, properties.isReportOnly()));
    policies.put(MAIN, HpkpPolicies.policy(settings.get(MAIN), served, "hpkp."));
    if (!properties.getReportOnlyPolicy().getPins().isEmpty()) {
      if (properties.isReportOnly()) {
        throw new HpkpStartupException("hpkp.report-only-policy.pins is set, but"
            + " hpkp.report-only is true: both policies would be Public-Key-Pins-Report-Only"
            + " headers, and user agents read only one",
            "The report-only policy is for a rotation beside an enforced one: set"
            + " hpkp.report-only=false, or move these pins into hpkp.pins", null);
      }
      settings.put(REPORT_ONLY, HpkpPolicies.settings(properties,
          properties.getReportOnlyPolicy(), true));
      policies.put(REPORT_ONLY, HpkpPolicies.policy(settings.get(REPORT_ONLY), served,
          "hpkp.report-only-policy."));
    }
    return new HpkpPolicySet(policies, settings, Map.of(MAIN, "hpkp.", REPORT_ONLY,
        "hpkp.report-only-policy."));
  }

  /** The policies by name, the main one first. */
  public Map<String, PinPolicy> policies() {
    return policies;
  }

  /** The policy called {@code name}, or null. */
  public PinPolicy get(String name) {
    return policies.get(name);
  }

  /**
   * What the health indicator of either Boot generation reports at {@code now}: per policy the
   * leaf's expiry, the renewal date ({@link PinPolicy#renewBy()}) and whether it has passed.
   */
  public Renewals renewals(Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean overdue = false;
    boolean locked = false;
    for (Map.Entry<String, PinPolicy> entry : policies.entrySet()) {
      PinPolicy policy = entry.getValue();
      ChainVerdict verdict = verdicts.get(entry.getKey());
      if (verdict != null && verdict.kind() != ChainVerdict.Kind.PINNED) {
        // the served chain changed under the policy: that is the news, not the renewal date
        locked |= verdict.kind() == ChainVerdict.Kind.LOCKOUT
            || verdict.kind() == ChainVerdict.Kind.REFUSED;
        details.put(entry.getKey(), Map.of("servedChain", verdict.kind().code(), "status",
            verdict.sentence(PropertyNames.policy(prefixes.getOrDefault(entry.getKey(),
            "hpkp.")))));
        continue;
      }
      Instant renewBy = policy.renewBy().orElse(null);
      if (renewBy == null) {
        details.put(entry.getKey(), Map.of("renewBy", "unknown: no served chain checked"));
        continue;
      }
      boolean late = now.isAfter(renewBy);
      overdue |= late;
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("leafExpires", policy.servedChain().get(0).notAfter().toString());
      detail.put("renewBy", renewBy.toString());
      detail.put("maxAgeSeconds", policy.maxAgeSeconds());
      detail.put("effectiveMaxAgeSeconds", policy.effectiveMaxAgeSeconds());
      detail.put("status", late ? "renewal overdue: start it now, with the backup key if the"
          + " current one cannot be reused" : "renewal not due yet");
      details.put(entry.getKey(), detail);
    }
    return new Renewals(overdue, locked, details);
  }

  /**
   * The health of the policies: DOWN once a renewal date has passed (a renewal started later
   * cannot switch keys before user agents still hold the old pins, and the leaf expires under
   * them), or once the chain served now locks out the clients that noted a policy.
   *
   * @param overdue whether any policy's renewal date has passed
   * @param lockedOut whether a policy's served chain changed to one the policy refuses: a
   *     lockout, or another refusal of the rule table (a rotation onto a backup is not: clients
   *     still connect, and the details say what to change)
   * @param details per policy name, what the health endpoint shows
   */
  public record Renewals(boolean overdue, boolean lockedOut, Map<String, Object> details) {

    /** Whether the health indicator reports DOWN. */
    public boolean down() {
      return overdue || lockedOut;
    }
  }
}
