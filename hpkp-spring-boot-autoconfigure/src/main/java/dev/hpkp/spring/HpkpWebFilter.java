package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The filter's two rules for Spring WebFlux: each policy's header only on HTTPS exchanges
 * ({@code getSslInfo() != null}), and never over one already set. The policies were validated
 * when the application started.
 */
public final class HpkpWebFilter implements WebFilter, Ordered {

  private static final System.Logger LOG = System.getLogger(HpkpWebFilter.class.getName());

  private final HpkpPolicySet policies;
  private final String[] names;
  private final String[] values;

  public HpkpWebFilter(HpkpPolicySet policies) {
    this.policies = policies;
    List<Map.Entry<String, PinPolicy>> entries = List.copyOf(policies.policies().entrySet());
    this.names = new String[entries.size()];
    this.values = new String[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      PinPolicy policy = entries.get(i).getValue();
      String prefix = entries.get(i).getKey().equals(HpkpPolicySet.REPORT_ONLY)
          ? "hpkp.report-only-policy." : "hpkp.";
      names[i] = policy.headerName();
      values[i] = policy.headerValue();
      for (String warning : policy.warnings(PropertyNames.policy(prefix))) {
        LOG.log(System.Logger.Level.WARNING, "HPKP web filter: " + warning);
      }
      LOG.log(System.Logger.Level.INFO, "HPKP web filter sends on HTTPS responses: " + names[i]
          + ": " + values[i]);
    }
  }

  public HpkpPolicySet policies() {
    return policies;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (exchange.getRequest().getSslInfo() != null) {
      HttpHeaders headers = exchange.getResponse().getHeaders();
      for (int i = 0; i < names.length; i++) {
        // getFirst: on Spring Framework 6 and 7 alike (7 removed containsKey)
        if (headers.getFirst(names[i]) == null) {
          headers.set(names[i], values[i]);
        }
      }
    }
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 1; // as the servlet filter: before security
  }
}
