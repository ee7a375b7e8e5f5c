package dev.hpkp.servlet;

import dev.hpkp.config.Wording;
import dev.hpkp.policy.ChainVerdict;
import dev.hpkp.policy.PolicyException;
import dev.hpkp.policy.Pin;
import dev.hpkp.policy.PinPolicy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends a validated HTTP Public Key Pinning policy on HTTPS responses.
 *
 * <p>Configured through init-params (see {@link HpkpConfig} for the names) or built from a
 * {@link PinPolicy} for programmatic registration. {@link #init} refuses to start — the container
 * then fails the deployment — when the policy could lock users out; the header is computed there
 * once. {@link #doFilter} only sets it: on secure requests ({@code request.isSecure()}, which a
 * container's forwarded-header handling makes true behind a TLS proxy), before the rest of the
 * chain runs, and never over a header of the same name that is already set.
 *
 * <p>Two instances can run side by side, e.g. one enforcing the current policy and one
 * report-only with the next pin set while a key rotation is tested.
 */
public class HpkpFilter implements Filter {

  /**
   * Prefix of the ServletContext attribute under which each filter publishes its
   * {@link PinPolicy}: the prefix followed by the filter name. Status pages read it.
   */
  public static final String POLICY_ATTRIBUTE_PREFIX = PinPolicy.class.getName() + ".";

  /**
   * Prefix of the ServletContext attribute under which each filter publishes the {@link
   * ChainVerdict} on its served chain, at start-up and after each change of a watched {@code
   * servedChain} file: the prefix followed by the filter name. Status pages read it.
   */
  public static final String VERDICT_ATTRIBUTE_PREFIX = ChainVerdict.class.getName() + ".";

  private static final System.Logger LOG = System.getLogger(HpkpFilter.class.getName());

  private PinPolicy policy;
  private Wording.Names names = Wording.Names.AS_WRITTEN;
  private String headerName;
  private String headerValue;
  private volatile ChainVerdict verdict;
  private ServedChainWatch watch;

  /** For web.xml: the policy comes from init-params in {@link #init}. */
  public HpkpFilter() {}

  /** For programmatic registration: a policy built (and so validated) already. */
  public HpkpFilter(PinPolicy policy) {
    this(policy, Wording.Names.AS_WRITTEN);
  }

  /**
   * As {@link #HpkpFilter(PinPolicy)}, for a framework that configures the filter under its own
   * names: {@code names} names the settings in the policy's warnings when they are logged (e.g.
   * {@code servedChain} as {@code hpkp.served-chain}).
   */
  public HpkpFilter(PinPolicy policy, Wording.Names names) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.names = Objects.requireNonNull(names, "names");
    this.headerName = policy.headerName(); // so a filter used before init() never sends null
    this.headerValue = policy.headerValue();
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    String name = filterConfig.getFilterName();
    Map<String, String> configured = null;
    if (policy == null) {
      Map<String, String> parameters = new LinkedHashMap<>();
      for (String parameter : Collections.list(filterConfig.getInitParameterNames())) {
        parameters.put(parameter, filterConfig.getInitParameter(parameter));
      }
      ServletContext context = filterConfig.getServletContext();
      Object validated = context.getAttribute(HpkpFilterInitializer.VALIDATED_PREFIX + name);
      if (validated instanceof HpkpFilterInitializer.Validated v
          && v.parameters().equals(parameters)) {
        policy = v.policy(); // validated while the webapp started; the key material read once
        context.removeAttribute(HpkpFilterInitializer.VALIDATED_PREFIX + name);
      } else {
        policy = HpkpFilterInitializer.validate(name, parameters, context);
      }
      configured = parameters;
    } else if (filterConfig.getInitParameterNames().hasMoreElements()) {
      throw new ServletException("HPKP filter " + name + " was constructed with a policy and"
          + " also has init-params " + Collections.list(filterConfig.getInitParameterNames())
          + "; configure it one way only");
    }
    start(name);
    warnAboutTwin(filterConfig.getServletContext(), name);
    ServletContext context = filterConfig.getServletContext();
    context.setAttribute(POLICY_ATTRIBUTE_PREFIX + name, policy);
    if (!policy.servedChain().isEmpty()) {
      publish(context, name, ChainVerdict.of(policy));
    }
    if (configured != null) {
      watchServedChain(name, configured, context);
    }
  }

  /** Starts re-checking a servedChain file when it changes, unless servedChainWatch=false. */
  private void watchServedChain(String name, Map<String, String> parameters,
      ServletContext context) throws ServletException {
    String source = "init-param of filter " + name;
    HpkpConfig config = HpkpFilterInitializer.withWebappLoader(context,
        () -> HpkpConfig.of(new LinkedHashMap<>(parameters), source));
    Optional<Path> file = config.watchedServedChain();
    if (file.isEmpty()) {
      return;
    }
    Duration quiet = config.servedChainQuietPeriod();
    try {
      watch = ServedChainWatch.start(file.get(), quiet, "hpkp-served-chain-" + name,
          changed -> {
            ChainVerdict judged = ChainRecheck.judge(() -> HpkpFilterInitializer.withWebappLoader(
                context, () -> judge(parameters, source)), quiet);
            LOG.log(judged.kind().level(), ChainRecheck.line("HPKP filter " + name,
                "servedChain " + changed, judged, names));
            if (judged.kind() != ChainVerdict.Kind.UNREADABLE) {
              publish(context, name, judged);
            }
          });
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "HPKP filter " + name + ": cannot watch servedChain " + file.get()
          + " for changes (" + e.getMessage() + "), so a renewal is checked only at the next"
          + " start; set servedChainWatch=false to say so deliberately");
      return;
    }
    LOG.log(Level.DEBUG, "HPKP filter " + name + " re-checks the pins when " + file.get()
        + " changes (quiet period " + quiet.toMillis() + " ms)");
  }

  private static ChainVerdict judge(Map<String, String> parameters, String source) {
    try {
      return HpkpConfig.of(new LinkedHashMap<>(parameters), source).judge(null);
    } catch (PolicyException e) {
      return ChainVerdict.unreadable(e);
    }
  }

  private void publish(ServletContext context, String name, ChainVerdict judged) {
    verdict = judged;
    context.setAttribute(VERDICT_ATTRIBUTE_PREFIX + name, judged);
  }

  /**
   * The verdict on the chain served now: at start-up, and after each change of a watched
   * servedChain file; null before {@link #init} and when no chain was checked.
   */
  public ChainVerdict verdict() {
    return verdict;
  }

  @Override
  public void destroy() {
    if (watch != null) {
      watch.close();
      watch = null;
    }
  }

  /** Two filters of one header name: the first one a request passes sets it, the other never. */
  private void warnAboutTwin(ServletContext context, String name) {
    for (String attribute : Collections.list(context.getAttributeNames())) {
      if (attribute.startsWith(POLICY_ATTRIBUTE_PREFIX)
          && context.getAttribute(attribute) instanceof PinPolicy other
          && other.headerName().equals(headerName)) {
        String twin = attribute.substring(POLICY_ATTRIBUTE_PREFIX.length());
        LOG.log(Level.WARNING, "HPKP filter " + name + " sends " + headerName + ", as filter "
            + twin + " does: on a request both filters see, the one that runs first (the"
            + " first <filter-mapping>) sets the header and the other never overwrites it, so one"
            + " policy is never sent there; to test a rotation, enforce one policy"
            + " (reportOnly=false) and report-only the other, or map them to different URLs");
      }
    }
  }

  private void start(String name) {
    headerName = policy.headerName();
    headerValue = policy.headerValue();
    for (String warning : policy.warnings(names)) {
      LOG.log(Level.WARNING, "HPKP filter " + name + ": " + warning);
    }
    LOG.log(Level.INFO, "HPKP filter " + name + " sends on HTTPS responses: " + headerName
        + ": " + headerValue);
    if (LOG.isLoggable(Level.DEBUG)) {
      for (Pin pin : policy.allPins()) {
        LOG.log(Level.DEBUG, "HPKP filter " + name + ": " + pin + " = " + policy.describe(pin));
      }
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.isSecure() && response instanceof HttpServletResponse http
        && !http.containsHeader(headerName)) {
      http.setHeader(headerName, headerValue);
    }
    chain.doFilter(request, response);
  }

  /** The policy in force; null before {@link #init} for a web.xml-configured filter. */
  public PinPolicy policy() {
    return policy;
  }
}
