package dev.hpkp.servlet;

import dev.hpkp.policy.PinPolicy;
import dev.hpkp.policy.PolicyException;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Validates every {@link HpkpFilter} declared with init-params (web.xml, web-fragment.xml or
 * {@code addFilter(name, HpkpFilter.class)} before the container starts the webapp) while the
 * webapp starts, so a refused policy fails the deployment on every container: WildFly and Open
 * Liberty initialise filters only at the first request (a refusal there became a 500 on every
 * request), GlassFish and Payara deploy a webapp whose filter failed (it ran unprotected). A
 * {@link ServletContainerInitializer} failure stops the deployment on all of them.
 *
 * <p>Each validated policy is kept under {@link #VALIDATED_PREFIX} + the filter name, with the
 * init-params it was built from; the filter's {@code init} takes it from there instead of reading
 * its key material a second time. Filters constructed with a policy (no init-params) were
 * validated when that policy was built and are left alone.
 */
public final class HpkpFilterInitializer implements ServletContainerInitializer {

  /** ServletContext attribute prefix of the policies validated at start-up, by filter name. */
  static final String VALIDATED_PREFIX = HpkpFilterInitializer.class.getName() + ".";

  private static final System.Logger LOG =
      System.getLogger(HpkpFilterInitializer.class.getName());

  /** A policy validated at start-up and the init-params it was built from. */
  record Validated(Map<String, String> parameters, PinPolicy policy) {}

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
    try {
      Map<String, String> dropIn = DropIn.parameters(context);
      for (Map.Entry<String, ? extends FilterRegistration> entry
          : context.getFilterRegistrations().entrySet()) {
        FilterRegistration registration = entry.getValue();
        Map<String, String> parameters = registration.getInitParameters();
        if (parameters == null || parameters.isEmpty()
            || !isHpkpFilter(registration.getClassName(), context.getClassLoader())) {
          continue;
        }
        if (!dropIn.isEmpty()) {
          throw refusal("HPKP filter: hpkp.* context-params (" + String.join(", ",
              DropIn.names(context)) + ") and the HpkpFilter '" + entry.getKey() + "' of the"
              + " deployment descriptor both configure a pinning policy; keep one of them", null);
        }
        String name = entry.getKey();
        context.setAttribute(VALIDATED_PREFIX + name,
            new Validated(Map.copyOf(parameters), validate(name, parameters, context)));
      }
      if (!dropIn.isEmpty()) {
        DropIn.register(context, dropIn);
      }
    } catch (ServletException refusal) {
      // Open Liberty logs an initializer's exception as a warning and starts the application
      // anyway; it fails the application on a listener's. Every other server tried stops at
      // the exception itself, and the listener never runs.
      context.addListener(new Refusal(refusal.getMessage()));
      throw refusal;
    }
  }

  /** Logs {@code sentence} and makes it the refusal. */
  static ServletException refusal(String sentence, Throwable cause) {
    LOG.log(Level.ERROR, sentence);
    return new ServletException(sentence, cause);
  }

  /** Fails the webapp's start with the refusal, where an initializer's failure does not. */
  static final class Refusal implements ServletContextListener {

    private final String refusal;

    Refusal(String refusal) {
      this.refusal = refusal;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
      throw new IllegalStateException(refusal);
    }
  }

  /**
   * The policy of filter {@code name}'s init-params, with the webapp's class loader for {@code
   * classpath:} references; a refusal is logged and thrown, in the filter's own words.
   */
  static PinPolicy validate(String name, Map<String, String> parameters, ServletContext context)
      throws ServletException {
    try {
      return policy(parameters, "init-param of filter " + name, context);
    } catch (PolicyException e) {
      throw refusal("HPKP filter " + name + " refuses to start: " + e.getMessage(), e);
    }
  }

  /** The policy of {@code parameters}, read with the webapp's class loader. */
  static PinPolicy policy(Map<String, String> parameters, String source, ServletContext context) {
    return withWebappLoader(context,
        () -> HpkpConfig.of(new LinkedHashMap<>(parameters), source).toPolicy());
  }

  /** {@code action}'s result, run with the webapp's class loader for {@code classpath:}. */
  static <T> T withWebappLoader(ServletContext context, Supplier<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    ClassLoader webapp = context.getClassLoader();
    if (webapp != null) {
      thread.setContextClassLoader(webapp);
    }
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Whether {@code className} is HpkpFilter or a subclass, as the webapp loads it. */
  private static boolean isHpkpFilter(String className, ClassLoader loader) {
    if (HpkpFilter.class.getName().equals(className)) {
      return true;
    }
    if (className == null) {
      return false;
    }
    try {
      return HpkpFilter.class.isAssignableFrom(Class.forName(className, false,
          loader != null ? loader : Thread.currentThread().getContextClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return false; // the container reports a missing filter class itself
    }
  }
}
