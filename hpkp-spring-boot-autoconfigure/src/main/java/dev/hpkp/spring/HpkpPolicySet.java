package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private final Map<String, PinPolicy> policies;

  private HpkpPolicySet(Map<String, PinPolicy> policies) {
    this.policies = Collections.unmodifiableMap(policies);
  }

  /** Named policies as they are, for tests and for applications that build their own. */
  public static HpkpPolicySet of(Map<String, PinPolicy> policies) {
    return new HpkpPolicySet(new LinkedHashMap<>(policies));
  }

  /**
   * Validates {@code hpkp.*} (and {@code hpkp.report-only-policy.*} when its pins are set) against
   * the served chain; a refusal is an {@link HpkpStartupException} naming the key.
   */
  static HpkpPolicySet from(HpkpProperties properties, Binder binder, SslBundles bundles) {
    Map<String, PinPolicy> policies = new LinkedHashMap<>();
    List<X509Certificate> served = HpkpPolicies.served(properties, binder, bundles);
    policies.put(MAIN, HpkpPolicies.policy(HpkpPolicies.settings(properties, properties,
        properties.isReportOnly()), served, "hpkp."));
    if (!properties.getReportOnlyPolicy().getPins().isEmpty()) {
      if (properties.isReportOnly()) {
        throw new HpkpStartupException("hpkp.report-only-policy.pins is set, but"
            + " hpkp.report-only is true: both policies would be Public-Key-Pins-Report-Only"
            + " headers, and user agents read only one",
            "The report-only policy is for a rotation beside an enforced one: set"
            + " hpkp.report-only=false, or move these pins into hpkp.pins", null);
      }
      policies.put(REPORT_ONLY, HpkpPolicies.policy(HpkpPolicies.settings(properties,
          properties.getReportOnlyPolicy(), true), served, "hpkp.report-only-policy."));
    }
    return new HpkpPolicySet(policies);
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
    for (Map.Entry<String, PinPolicy> entry : policies.entrySet()) {
      PinPolicy policy = entry.getValue();
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
    return new Renewals(overdue, details);
  }

  /**
   * The health of the policies: DOWN once a renewal date has passed (a renewal started later
   * cannot switch keys before user agents still hold the old pins, and the leaf expires under
   * them).
   *
   * @param overdue whether any policy's renewal date has passed
   * @param details per policy name, what the health endpoint shows
   */
  public record Renewals(boolean overdue, Map<String, Object> details) {}
}
