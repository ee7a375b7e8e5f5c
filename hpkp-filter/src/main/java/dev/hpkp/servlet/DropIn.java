package dev.hpkp.servlet;

import dev.hpkp.config.Parameters;
import dev.hpkp.config.Wording;
import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The zero-XML way to add the filter to a WAR: the jar on {@code WEB-INF/lib} and the filter's
 * settings as {@code <context-param>}s named {@code hpkp.} + the init-param ({@code hpkp.pins},
 * {@code hpkp.backupPins}, … or {@code hpkp.config}). {@link HpkpFilterInitializer} then
 * registers {@link HpkpFilter} as {@value #NAME}, mapped to {@code /*} ahead of every filter the
 * application declares; with no {@code hpkp.*} context-param it does nothing. The same rules
 * refuse a policy, named by the context-params.
 */
final class DropIn {

  /** The prefix of the context-params, and the name the filter is registered under. */
  static final String PREFIX = "hpkp.";
  static final String NAME = "hpkp";

  private DropIn() {}

  /** The {@code hpkp.*} context-param names, sorted. */
  static List<String> names(ServletContext context) {
    List<String> names = new ArrayList<>();
    for (String name : Collections.list(context.getInitParameterNames())) {
      if (name.startsWith(PREFIX)) {
        names.add(name);
      }
    }
    Collections.sort(names);
    return names;
  }

  /**
   * The filter's init-params the {@code hpkp.*} context-params give (empty when there are none).
   *
   * @throws ServletException for a name that is no parameter of the filter
   */
  static Map<String, String> parameters(ServletContext context) throws ServletException {
    Map<String, String> parameters = new LinkedHashMap<>();
    List<String> known = HpkpConfig.PARAMETERS.stream().map(p -> PREFIX + p).toList();
    for (String name : names(context)) {
      if (!known.contains(name)) {
        String nearest = Parameters.nearest(name, known).orElse(null);
        throw HpkpFilterInitializer.refusal("HPKP filter " + NAME + " refuses to start: " + name
            + ": unknown context-param; " + (nearest != null ? "did you mean " + nearest + "?"
            : "the filter's context-params are " + String.join(", ", known)), null);
      }
      parameters.put(name.substring(PREFIX.length()), context.getInitParameter(name));
    }
    return parameters;
  }

  /** The settings as context-params name them: {@code hpkp.reportOnly=false}. */
  static final Wording.Names CONTEXT_PARAMS = (setting, value) -> PREFIX + setting
      + (value == null ? "" : "=" + value);

  /** Validates the policy, then registers the filter first on {@code /*}. */
  static void register(ServletContext context, Map<String, String> parameters)
      throws ServletException {
    PinPolicy policy;
    try {
      policy = HpkpFilterInitializer.policy(parameters, "context-param", context);
    } catch (PolicyException e) {
      throw HpkpFilterInitializer.refusal("HPKP filter " + NAME + " refuses to start: "
          + e.message(CONTEXT_PARAMS), e);
    }
    FilterRegistration.Dynamic registration = context.addFilter(NAME, HpkpFilter.class);
    if (registration == null) {
      throw HpkpFilterInitializer.refusal("HPKP filter: hpkp.* context-params are set, but the"
          + " application already has a filter named '" + NAME + "'; rename that filter", null);
    }
    registration.setInitParameters(parameters);
    registration.setAsyncSupported(true);
    // isMatchAfter=false: before the filters the application declares, so their 401s and
    // errors carry the header too
    registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    context.setAttribute(HpkpFilterInitializer.VALIDATED_PREFIX + NAME,
        new HpkpFilterInitializer.Validated(Map.copyOf(parameters), policy));
  }
}
