package dev.hpkp.spring;

import dev.hpkp.policy.ChainCertificate;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/hpkp}: each policy the application sends, its header, every pin with what it
 * matches, the leaf's expiry and the date by which a renewal must start; with {@code
 * hpkp.watch.enabled}, the CT watch's logs and newest alerts.
 */
@Endpoint(id = "hpkp")
public class HpkpEndpoint {

  private final HpkpPolicySet policies;
  private final List<HpkpEndpointSection> sections;

  HpkpEndpoint(HpkpPolicySet policies, List<HpkpEndpointSection> sections) {
    this.policies = policies;
    this.sections = List.copyOf(sections);
  }

  @ReadOperation
  public Map<String, Object> policies() {
    Map<String, Object> result = new LinkedHashMap<>();
    List<Map<String, Object>> list = new ArrayList<>();
    policies.policies().forEach((name, policy) -> list.add(describe(name, policy,
        policies.verdict(name))));
    result.put("policies", list);
    for (HpkpEndpointSection section : sections) {
      result.put(section.name(), section.describe());
    }
    return result;
  }

  /**
   * One policy; after its served chain changed ({@code verdict} not null), the chain served now
   * and what each pin matches in it.
   */
  static Map<String, Object> describe(String name, PinPolicy policy, ChainVerdict verdict) {
    Map<String, Object> described = describe(name, policy);
    if (verdict == null || verdict.chain().equals(policy.servedChain())) {
      return described;
    }
    List<Map<String, String>> pins = new ArrayList<>();
    for (Pin pin : policy.allPins()) {
      String matches = verdict.matches(pin);
      pins.add(entry("pin", pin.toString(), "matches", "not served".equals(matches)
          && policy.backupPins().contains(pin) ? "backup" : matches));
    }
    described.put("pins", pins);
    Map<String, Object> chain = new LinkedHashMap<>();
    chain.put("verdict", verdict.kind().code());
    chain.put("sentence", verdict.sentence(PropertyNames.policy(HpkpPolicySet.MAIN.equals(name)
        ? "hpkp." : "hpkp.report-only-policy.")));
    List<Map<String, String>> certificates = new ArrayList<>();
    for (ChainCertificate certificate : verdict.chain()) {
      Map<String, String> row = entry("role", certificate.role().toString(), "subject",
          certificate.subject());
      row.putAll(entry("pin", certificate.pin().toString(), "notAfter",
          certificate.notAfter().toString()));
      certificates.add(row);
    }
    chain.put("certificates", certificates);
    described.put("servedChain", chain);
    if (!verdict.chain().isEmpty()) {
      described.put("leaf", verdict.chain().get(0).subject());
      described.put("leafExpires", verdict.chain().get(0).notAfter().toString());
      described.put("renewBy", PinPolicy.renewBy(verdict.chain().get(0).notAfter(),
          policy.maxAgeSeconds()).toString());
    }
    return described;
  }

  /** Two fields, in this order. */
  private static Map<String, String> entry(String key, String value, String key2,
      String value2) {
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put(key, value);
    entry.put(key2, value2);
    return entry;
  }

  static Map<String, Object> describe(String name, PinPolicy policy) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("filter", name);
    described.put("header", policy.headerName());
    described.put("value", policy.headerValue());
    List<Map<String, String>> pins = new ArrayList<>();
    for (Pin pin : policy.allPins()) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("pin", pin.toString());
      entry.put("matches", policy.describe(pin));
      pins.add(entry);
    }
    described.put("pins", pins);
    policy.renewBy().ifPresent(renewBy -> {
      described.put("leaf", policy.servedChain().get(0).subject());
      described.put("leafExpires", policy.servedChain().get(0).notAfter().toString());
      described.put("renewBy", renewBy.toString());
    });
    return described;
  }
}
