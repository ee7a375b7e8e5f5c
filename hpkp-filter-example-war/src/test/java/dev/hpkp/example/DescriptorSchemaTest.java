package dev.hpkp.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.SAXException;

/**
 * Every deployment descriptor the project ships or tells people to paste is valid against the
 * Jakarta EE 10 (web-app 6.0) and EE 11 (web-app 6.1) schemas: GlassFish and Payara validate and
 * refuse an invalid web.xml where Tomcat and Jetty are lenient (an {@code <async-supported>} after
 * the {@code <init-param>}s of a filter kept the example WAR off them). The schemas are the ones
 * the Servlet API jars carry, read locally.
 */
class DescriptorSchemaTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern XML_BLOCK = Pattern.compile("(?s)```xml\\n(.*?)```");

  @TempDir Path dir;

  /** Web-app 6.0, from the Servlet 6.0 API on the test class path. */
  private static Schema ee10() throws Exception {
    URL xsd = DescriptorSchemaTest.class.getResource("/jakarta/servlet/resources/web-app_6_0.xsd");
    assertThat(xsd).as("the Servlet 6.0 API's schemas on the test class path").isNotNull();
    return factory().newSchema(xsd);
  }

  /** Web-app 6.1, unpacked from the Servlet 6.1 API by the POM (generate-test-resources). */
  private static Schema ee11() throws Exception {
    Path xsd = Path.of("target/xsd-ee11/jakarta/servlet/resources/web-app_6_1.xsd");
    assertThat(xsd).as("unpacked by 'mvn verify' (generate-test-resources)").isRegularFile();
    return factory().newSchema(xsd.toFile());
  }

  /**
   * A schema factory that reads nothing from the network: the schemas include each other by
   * relative name, and the xml: namespace (xml:lang) comes from xsd/xml.xsd in the test
   * resources.
   */
  private static SchemaFactory factory() throws Exception {
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    DOMImplementationLS ls = (DOMImplementationLS) DocumentBuilderFactory.newInstance()
        .newDocumentBuilder().getDOMImplementation();
    factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
      if (XMLConstants.XML_NS_URI.equals(namespace)) {
        LSInput input = ls.createLSInput();
        URL xml = DescriptorSchemaTest.class.getResource("/xsd/xml.xsd");
        input.setSystemId(xml.toString());
        return input;
      }
      if (systemId != null && systemId.matches("(?i)https?:.*")) {
        throw new IllegalStateException("the schemas asked for " + systemId + " from the network");
      }
      return null;
    });
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar");
    return factory;
  }

  /** Problems of {@code descriptor} against both schemas; empty when valid. */
  private static List<String> problems(String name, String descriptor) throws Exception {
    List<String> problems = new ArrayList<>();
    String ee11 = descriptor.replaceFirst("version=\"6\\.0\"", "version=\"6.1\"")
        .replace("web-app_6_0.xsd", "web-app_6_1.xsd");
    for (Object[] pair : new Object[][] {{"EE 10", ee10(), descriptor}, {"EE 11", ee11(), ee11}}) {
      try {
        ((Schema) pair[1]).newValidator().validate(new StreamSource(
            new StringReader((String) pair[2])));
      } catch (SAXException e) {
        problems.add(name + " (" + pair[0] + "): " + e.getMessage());
      }
    }
    return problems;
  }

  /** A README snippet as a web.xml: fragments go inside a web-app root. */
  private static String asDescriptor(String snippet) {
    return snippet.contains("<web-app") ? snippet : """
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        %s</web-app>
        """.formatted(snippet);
  }

  @Test
  void theExampleWebXmlIsValid() throws Exception {
    String webXml = Files.readString(Path.of("src/main/webapp/WEB-INF/web.xml"));

    assertThat(problems("the example's web.xml", webXml)).isEmpty();
  }

  @Test
  void everyDescriptorTheReadmeShowsIsValid() throws Exception {
    Matcher blocks = XML_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
    List<String> problems = new ArrayList<>();
    int descriptors = 0;
    while (blocks.find()) {
      String snippet = blocks.group(1);
      if (snippet.contains("<filter>") || snippet.contains("<servlet>")
          || snippet.contains("<context-param>") || snippet.contains("<web-app")) {
        descriptors++;
        problems.addAll(problems("README snippet " + descriptors, asDescriptor(snippet)));
      }
    }
    assertThat(descriptors).as("web.xml snippets in the README").isGreaterThanOrEqualTo(2);
    assertThat(problems).isEmpty();
  }

  @Test
  void theDescriptorsTheContainerTestsDeployAreValid() throws Exception {
    Path war = new TestWar().param("pins", "sha256/x").param("maxAgeSeconds", "600")
        .writeTo(dir.resolve("war"));

    Path dropIn = new TestWar().param("pins", "sha256/x").asContextParams()
        .writeTo(dir.resolve("drop-in"));

    assertThat(problems("TestWar", Files.readString(war.resolve("WEB-INF/web.xml")))).isEmpty();
    assertThat(problems("TestWar drop-in", Files.readString(dropIn.resolve("WEB-INF/web.xml"))))
        .isEmpty();
  }

  @Test
  void theCheckCatchesTheMistakeThatKeptTheExampleOffGlassFish() throws Exception {
    String misplaced = asDescriptor("""
        <filter>
          <filter-name>hpkp</filter-name>
          <filter-class>dev.hpkp.servlet.HpkpFilter</filter-class>
          <init-param><param-name>pins</param-name><param-value>x</param-value></init-param>
          <async-supported>true</async-supported>
        </filter>
        """);

    assertThat(problems("misplaced", misplaced)).hasSize(2)
        .allMatch(problem -> problem.contains("async-supported"));
  }

}
