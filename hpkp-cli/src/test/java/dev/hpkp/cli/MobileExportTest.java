package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hpkp.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The exports for apps, parsed back as their tools read them (a property list; TrustKit-Android's
 * XML) and compared with the policy: every pin, the host, the report URI, the expiry.
 */
class MobileExportTest {

  private static final TestPki PKI = TestPki.localhost();

  @TempDir Path dir;

  private String[] export(String format, String... more) throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    List<String> args = new ArrayList<>(List.of("export", "--chain", chain.toString(),
        "--backup", PKI.backupPin().toString(), "--backup", PKI.secondBackupPin().toString(),
        "--format", format));
    args.addAll(List.of(more));
    Cli cli = Cli.run(args.toArray(String[]::new));
    assertThat(cli.exit()).as(cli.err()).isZero();
    return new String[] {cli.out()};
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    // a plist names Apple's DTD: read the document without fetching it, as plutil would offline
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(
        xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** A property list's value as Java: dict → Map, array → List, string, true/false. */
  private static Object plist(Element element) {
    switch (element.getTagName()) {
      case "dict" -> {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Element> children = children(element);
        for (int i = 0; i < children.size(); i += 2) {
          assertThat(children.get(i).getTagName()).isEqualTo("key");
          map.put(children.get(i).getTextContent(), plist(children.get(i + 1)));
        }
        return map;
      }
      case "array" -> {
        return children(element).stream().map(MobileExportTest::plist).toList();
      }
      case "string" -> {
        return element.getTextContent();
      }
      case "true", "false" -> {
        return Boolean.valueOf(element.getTagName());
      }
      default -> throw new AssertionError("not a plist element: " + element.getTagName());
    }
  }

  private static List<Element> children(Element element) {
    List<Element> children = new ArrayList<>();
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child) {
        children.add(child);
      }
    }
    return children;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plistRoot(String xml) throws Exception {
    Element root = parse(xml).getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("plist");
    return (Map<String, Object>) plist(children(root).get(0));
  }

  private static List<String> allPins() {
    return List.of(PKI.leafPin().base64(), PKI.backupPin().base64(),
        PKI.secondBackupPin().base64());
  }

  private static String expiry() {
    return java.time.LocalDate.ofInstant(PKI.leaf().getNotAfter().toInstant(),
        java.time.ZoneOffset.UTC).toString();
  }

  @Test
  @SuppressWarnings("unchecked")
  void iosAtsPinsTheLeafIdentitiesOfAPolicyThatPinsTheLeaf() throws Exception {
    Map<String, Object> root = plistRoot(export("ios-ats", "--include-subdomains")[0]);
    Map<String, Object> domain = (Map<String, Object>) ((Map<String, Object>)
        ((Map<String, Object>) root.get("NSAppTransportSecurity")).get("NSPinnedDomains"))
        .get("localhost");
    assertThat(domain).containsEntry("NSIncludesSubdomains", true)
        .doesNotContainKey("NSPinnedCAIdentities");
    assertThat((List<Map<String, String>>) domain.get("NSPinnedLeafIdentities"))
        .extracting(m -> m.get("SPKI-SHA256-BASE64")).containsExactlyElementsOf(allPins());
  }

  @Test
  @SuppressWarnings("unchecked")
  void iosAtsPinsCaIdentitiesOnlyWhenTheKeyInUseIsACasAndSaysWhy() throws Exception {
    String out = export("ios-ats", "--pin", PKI.intermediatePin().toString())[0];
    assertThat(out).contains("Apple requires a match in each of NSPinnedLeafIdentities and"
        + " NSPinnedCAIdentities when a domain has both");
    Map<String, Object> domain = (Map<String, Object>) ((Map<String, Object>)
        ((Map<String, Object>) plistRoot(out).get("NSAppTransportSecurity"))
        .get("NSPinnedDomains")).get("localhost");
    assertThat(domain).doesNotContainKey("NSPinnedLeafIdentities");
    assertThat((List<Map<String, String>>) domain.get("NSPinnedCAIdentities"))
        .extracting(m -> m.get("SPKI-SHA256-BASE64")).containsExactly(
            PKI.intermediatePin().base64(), PKI.backupPin().base64(),
            PKI.secondBackupPin().base64());
  }

  @Test
  @SuppressWarnings("unchecked")
  void trustKitIosCarriesEveryPinTheReportUriAndTheExpiry() throws Exception {
    Map<String, Object> root = plistRoot(export("trustkit-ios", "--report-uri",
        "https://reports.example.net/hpkp?app=ios&v=1", "--report-only")[0]);
    Map<String, Object> domain = (Map<String, Object>) ((Map<String, Object>)
        ((Map<String, Object>) root.get("TSKConfiguration")).get("TSKPinnedDomains"))
        .get("localhost");
    assertThat((List<String>) domain.get("TSKPublicKeyHashes"))
        .containsExactlyElementsOf(allPins());
    assertThat(domain).containsEntry("TSKIncludeSubdomains", false)
        .containsEntry("TSKEnforcePinning", false)
        .containsEntry("TSKReportUris", List.of("https://reports.example.net/hpkp?app=ios&v=1"))
        .containsEntry("TSKDisableDefaultReportUri", true)
        .containsEntry("TSKExpirationDate", expiry());
  }

  @Test
  void trustKitAndroidHasThePinSetAndTheTrustKitConfig() throws Exception {
    Document xml = parse(export("trustkit-android", "--report-uri",
        "https://reports.example.net/hpkp")[0]);
    Element domainConfig = children(xml.getDocumentElement()).get(0);
    assertThat(domainConfig.getTagName()).isEqualTo("domain-config");
    List<Element> parts = children(domainConfig);
    assertThat(parts).extracting(Element::getTagName).containsExactly("domain", "pin-set",
        "trustkit-config");
    assertThat(parts.get(0).getTextContent()).isEqualTo("localhost");
    assertThat(parts.get(1).getAttribute("expiration")).isEqualTo(expiry());
    assertThat(children(parts.get(1))).extracting(Node::getTextContent)
        .containsExactlyElementsOf(allPins());
    assertThat(children(parts.get(1))).allSatisfy(pin -> assertThat(pin.getAttribute("digest"))
        .isEqualTo("SHA-256"));
    assertThat(parts.get(2).getAttribute("enforcePinning")).isEqualTo("true");
    assertThat(parts.get(2).getAttribute("disableDefaultReportUri")).isEqualTo("true");
    assertThat(children(parts.get(2))).singleElement().satisfies(uri -> {
      assertThat(uri.getTagName()).isEqualTo("report-uri");
      assertThat(uri.getTextContent()).isEqualTo("https://reports.example.net/hpkp");
    });
  }

  @Test
  void aReportUriThatIsNoHttpsUrlOrCarriesMarkupIsRefused() throws Exception {
    Path chain = PKI.writeChainPem(dir.resolve("fullchain.pem"));
    for (String bad : new String[] {"ftp://x.example/r", "https://x.example/<r>",
        "https://x.example/\"", "relative/path"}) {
      Cli cli = Cli.run("export", "--chain", chain.toString(), "--backup",
          PKI.backupPin().toString(), "--format", "trustkit-ios", "--report-uri", bad);
      assertThat(cli.exit()).as(bad).isEqualTo(2);
      assertThat(cli.err()).hasLineCount(1).contains("--report-uri");
    }
  }
}
