package dev.hpkp.example;

import java.nio.file.Path;
import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;

/**
 * The WAR as a Jetty ee11 webapp (Jakarta EE 11), seeing only its own WEB-INF/lib. Jetty 12.1
 * keeps the webapp class loader ee11 uses in its environment-neutral {@code ee.webapp} package.
 */
final class Ee11Webapp implements JettyWebapp {

  private final WebAppContext context = new WebAppContext();

  Ee11Webapp(Path war) {
    context.setClassLoader(new WebAppClassLoader(
        new WebappParentLoader(Ee11Webapp.class.getClassLoader()), context));
    context.setWar(war.toAbsolutePath().toString());
    context.setContextPath("/");
  }

  @Override
  public Handler handler() {
    return context;
  }

  @Override
  public Object attribute(String name) {
    return context.getServletContext().getAttribute(name);
  }
}
