package dev.hpkp.cli;

import dev.hpkp.servlet.HpkpFilter;
import dev.hpkp.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The policy a {@code web.xml} gives the filter: the init-params of its {@code HpkpFilter}, or
 * the {@code hpkp.*} context-params of the drop-in. Read with DTDs and external entities off.
 */
final class WebXml {

  private static final String DROP_IN_PREFIX = "hpkp.";

  private WebXml() {}

  static Map<String, String> filterSettings(Path file, String filterName) throws IOException {
    Document document = parse(file);
    List<String> found = new ArrayList<>();
    Map<String, String> chosen = null;
    for (Element filter : children(document.getDocumentElement(), "filter")) {
      String name = text(filter, "filter-name");
      String className = text(filter, "filter-class");
      boolean hpkp = HpkpFilter.class.getName().equals(className);
      if (filterName != null ? filterName.equals(name) : hpkp) {
        found.add(name);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Element param : children(filter, "init-param")) {
          parameters.put(text(param, "param-name"), text(param, "param-value"));
        }
        chosen = parameters;
      }
    }
    if (found.size() > 1) {
      throw new UsageException(file + " declares " + found.size() + " HpkpFilters ("
          + String.join(", ", found) + "): name one with --filter-name");
    }
    if (chosen != null) {
      return chosen;
    }
    if (filterName != null) {
      throw new UsageException(file + " declares no filter named '"
          + Printable.escape(filterName) + "'");
    }
    Map<String, String> dropIn = new LinkedHashMap<>();
    for (Element param : children(document.getDocumentElement(), "context-param")) {
      String name = text(param, "param-name");
      if (name != null && name.startsWith(DROP_IN_PREFIX)) {
        dropIn.put(name.substring(DROP_IN_PREFIX.length()), text(param, "param-value"));
      }
    }
    if (dropIn.isEmpty()) {
      throw new UsageException(file + " declares no " + HpkpFilter.class.getName() + " filter"
          + " and no hpkp.* context-param: give the policy with --config or --pins");
    }
    return dropIn;
  }

  private static Document parse(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(in);
    } catch (SAXException e) {
      throw new UsageException(file + " is not a well-formed web.xml ("
          + Printable.message(e.getMessage()) + ")", e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be configured securely", e);
    }
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> elements = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element element && localName.equals(element.getLocalName())) {
        elements.add(element);
      }
    }
    return elements;
  }

  private static String text(Element parent, String localName) {
    List<Element> found = children(parent, localName);
    return found.isEmpty() ? null : found.get(0).getTextContent().strip();
  }
}
