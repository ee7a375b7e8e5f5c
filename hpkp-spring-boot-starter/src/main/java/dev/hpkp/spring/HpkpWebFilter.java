package dev.hpkp.spring;

import dev.hpkp.policy.PinPolicy;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The filter's two rules for Spring WebFlux: the header only on HTTPS exchanges ({@code
 * getSslInfo() != null}), and never over one already set. The policy was validated when the
 * application started.
 */
public final class HpkpWebFilter implements WebFilter, Ordered {

  private final PinPolicy policy;
  private final String name;
  private final String value;

  public HpkpWebFilter(PinPolicy policy) {
    this.policy = policy;
    this.name = policy.headerName();
    this.value = policy.headerValue();
    for (String warning : policy.warnings()) {
      LOG.log(System.Logger.Level.WARNING, "HPKP web filter: "
          + PropertyNames.inPropertyTerms(warning, "hpkp."));
    }
    LOG.log(System.Logger.Level.INFO, "HPKP web filter sends on HTTPS responses: " + name + ": "
        + value);
  }

  private static final System.Logger LOG = System.getLogger(HpkpWebFilter.class.getName());

  public PinPolicy policy() {
    return policy;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (exchange.getRequest().getSslInfo() != null) {
      HttpHeaders headers = exchange.getResponse().getHeaders();
      if (!headers.containsKey(name)) {
        headers.set(name, value);
      }
    }
    return chain.filter(exchange);
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 1; // as the servlet filter: before security
  }
}
