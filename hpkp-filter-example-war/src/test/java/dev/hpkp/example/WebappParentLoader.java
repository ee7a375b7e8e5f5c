package dev.hpkp.example;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent class loader a deployed webapp gets in these tests: the container and the servlet
 * API, but none of this project's classes or service files, which the test class path also
 * holds. So a webapp sees exactly the {@code dev.hpkp} jars in its own {@code WEB-INF/lib}, as it
 * would in a real container, and a WAR without hpkp-keys-bouncycastle really is without it.
 */
final class WebappParentLoader extends ClassLoader {

  WebappParentLoader(ClassLoader parent) {
    super(parent);
  }

  private static boolean hidden(String resource) {
    return resource.startsWith("dev/hpkp/") || resource.startsWith("META-INF/services/dev.hpkp.");
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith("dev.hpkp.")) {
      throw new ClassNotFoundException(name + " (hidden from webapps in tests)");
    }
    return super.loadClass(name, resolve);
  }

  @Override
  public URL getResource(String name) {
    return hidden(name) ? null : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
  }
}
