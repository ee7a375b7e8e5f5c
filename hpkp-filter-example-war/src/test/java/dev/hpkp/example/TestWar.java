package dev.hpkp.example;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exploded WAR made in the test: a web.xml with one {@code HpkpFilter}, {@link HelloServlet},
 * and in {@code WEB-INF/lib} exactly the jars named, taken from {@code target/war-libs} (which the
 * POM fills from the reactor).
 */
final class TestWar {

  private final Map<String, String> initParams = new LinkedHashMap<>();
  private final List<String> jarPrefixes = new ArrayList<>();
  private boolean asContextParams;
  private String ordering = "";

  /**
   * The settings as {@code hpkp.*} context-params and no {@code <filter>}: the drop-in the
   * filter's jar registers itself.
   */
  TestWar asContextParams() {
    asContextParams = true;
    return this;
  }

  /** An element for web.xml's top, e.g. an {@code <absolute-ordering>}. */
  TestWar ordering(String element) {
    ordering = element;
    return this;
  }

  TestWar param(String name, String value) {
    initParams.put(name, value);
    return this;
  }

  /** Adds to WEB-INF/lib the jar whose name starts with {@code prefix}, e.g. {@code hpkp-core-}. */
  TestWar lib(String prefix) {
    jarPrefixes.add(prefix);
    return this;
  }

  Path writeTo(Path dir) throws IOException {
    Path lib = Files.createDirectories(dir.resolve("WEB-INF/lib"));
    Path libs = Path.of(System.getProperty("war.libs", "target/war-libs"));
    for (String prefix : jarPrefixes) {
      Path jar = null;
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(libs, prefix + "*.jar")) {
        for (Path candidate : jars) {
          jar = candidate;
        }
      }
      if (jar == null) {
        throw new IOException("no " + prefix + "*.jar in " + libs.toAbsolutePath()
            + " (filled by 'mvn verify' in pre-integration-test)");
      }
      Files.copy(jar, lib.resolve(jar.getFileName()));
    }
    Path classes = Files.createDirectories(dir.resolve("WEB-INF/classes/dev/hpkp/example"));
    try (InputStream servlet = HelloServlet.class.getResourceAsStream("HelloServlet.class")) {
      Files.copy(servlet, classes.resolve("HelloServlet.class"));
    }
    StringBuilder params = new StringBuilder();
    initParams.forEach((name, value) -> params.append(asContextParams
        ? "  <context-param><param-name>hpkp." : "      <init-param><param-name>")
        .append(name).append("</param-name><param-value>").append(value)
        .append(asContextParams ? "</param-value></context-param>\n"
            : "</param-value></init-param>\n"));
    String filter = asContextParams ? params.toString() : """
          <filter>
            <filter-name>hpkp</filter-name>
            <filter-class>dev.hpkp.servlet.HpkpFilter</filter-class>
        %s  </filter>
          <filter-mapping><filter-name>hpkp</filter-name><url-pattern>/*</url-pattern></filter-mapping>
        """.formatted(params);
    Files.writeString(dir.resolve("WEB-INF/web.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        %s  <servlet>
            <servlet-name>hello</servlet-name>
            <servlet-class>dev.hpkp.example.HelloServlet</servlet-class>
          </servlet>
          <servlet-mapping><servlet-name>hello</servlet-name><url-pattern>/</url-pattern></servlet-mapping>
        </web-app>
        """.formatted(ordering + filter));
    return dir;
  }

  /** The jar names in WEB-INF/lib, sorted. */
  static List<String> libs(Path war) throws IOException {
    try (var files = Files.list(war.resolve("WEB-INF/lib"))) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
