package dev.hpkp.example;

import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;

/** The WAR as a Jetty ee10 webapp (Jakarta EE 10), seeing only its own WEB-INF/lib. */
final class Ee10Webapp implements JettyWebapp {

  private final WebAppContext context = new WebAppContext();

  Ee10Webapp(Path war) {
    context.setClassLoader(new WebAppClassLoader(
        new WebappParentLoader(Ee10Webapp.class.getClassLoader()), context));
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
