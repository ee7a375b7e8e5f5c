package dev.hpkp.testing;

import java.lang.reflect.Proxy;

/**
 * Minimal Jakarta request and response fakes for timing a filter: a secure request, a response
 * that records one header, a filter config. Everything else throws, so a benchmark cannot
 * silently measure a path it did not mean to.
 */
public final class ServletFakes {

  private ServletFakes() {}

  /** A proxy of {@code type} whose every method throws. */
  public static <T> T unused(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          throw new UnsupportedOperationException(method.getName() + " is not faked");
        }));
  }

  /**
   * A config named {@code name} with no init-params and a context that holds no attributes and
   * ignores new ones.
   */
  public static jakarta.servlet.FilterConfig filterConfig(String name) {
    return new jakarta.servlet.FilterConfig() {
      @Override
      public String getFilterName() {
        return name;
      }

      @Override
      public jakarta.servlet.ServletContext getServletContext() {
        return (jakarta.servlet.ServletContext) Proxy.newProxyInstance(
            ServletFakes.class.getClassLoader(),
            new Class<?>[] {jakarta.servlet.ServletContext.class},
            (p, m, a) -> m.getName().equals("getAttributeNames")
                ? java.util.Collections.emptyEnumeration() : null);
      }

      @Override
      public String getInitParameter(String parameter) {
        return null;
      }

      @Override
      public java.util.Enumeration<String> getInitParameterNames() {
        return java.util.Collections.emptyEnumeration();
      }
    };
  }

  /** A request over HTTPS. */
  public static final class SecureRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
    public SecureRequest() {
      super(unused(jakarta.servlet.http.HttpServletRequest.class));
    }

    @Override
    public boolean isSecure() {
      return true;
    }
  }

  /** A response that holds the last header set. */
  public static final class RecordingResponse
      extends jakarta.servlet.http.HttpServletResponseWrapper {
    public String name;
    public String value;

    public RecordingResponse() {
      super(unused(jakarta.servlet.http.HttpServletResponse.class));
    }

    public void clear() {
      name = null;
      value = null;
    }

    @Override
    public boolean containsHeader(String header) {
      return header.equalsIgnoreCase(name);
    }

    @Override
    public void setHeader(String header, String headerValue) {
      name = header;
      value = headerValue;
    }
  }
}
