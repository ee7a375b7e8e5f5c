package dev.hpkp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a release of every module holds (issue 22), read from the POMs themselves, so that a new
 * module cannot be forgotten: the published ones carry Central's metadata, a stable module
 * name and a place in hpkp-bom; the others are kept out of the release.
 */
class ReleaseConventionsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  record Module(String dir, String artifactId, String packaging, Element pom) {
    boolean published() {
      return !"true".equals(property(pom, "maven.deploy.skip"));
    }
  }

  private static Element parent;
  private static final List<Module> MODULES = new ArrayList<>();

  @BeforeAll
  static void readPoms() throws Exception {
    parent = read(ROOT.resolve("pom.xml"));
    for (Element module : children(child(parent, "modules"), "module")) {
      Element pom = read(ROOT.resolve(module.getTextContent()).resolve("pom.xml"));
      String packaging = text(pom, "packaging");
      MODULES.add(new Module(module.getTextContent(), text(pom, "artifactId"),
          packaging == null ? "jar" : packaging, pom));
    }
  }

  @Test
  void theParentCarriesWhatCentralRequires() {
    assertThat(text(parent, "url")).startsWith("https://");
    assertThat(text(child(child(parent, "licenses"), "license"), "name")).isEqualTo("Apache-2.0");
    assertThat(text(child(child(parent, "developers"), "developer"), "name")).isNotBlank();
    Element scm = child(parent, "scm");
    assertThat(text(scm, "connection")).startsWith("scm:git:");
    assertThat(text(scm, "developerConnection")).startsWith("scm:git:");
    assertThat(text(scm, "url")).isEqualTo(text(parent, "url"));
    assertThat(text(child(parent, "issueManagement"), "url")).startsWith(text(parent, "url"));
    // inherited as written: without these, Maven appends each artifactId to the URLs
    assertThat(parent.getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
    assertThat(scm.getAttribute("child.scm.url.inherit.append.path")).isEqualTo("false");
    assertThat(property(parent, "project.build.outputTimestamp")).matches("\\d{4}-.*Z");
  }

  @Test
  void everyPublishedModuleHasANameADescriptionAndAStableModuleName() {
    Set<String> names = new HashSet<>();
    for (Module module : MODULES) {
      if (!module.published()) {
        continue;
      }
      assertThat(text(module.pom(), "name")).as(module.dir()).isNotBlank();
      assertThat(text(module.pom(), "description")).as(module.dir()).hasSizeGreaterThan(20);
      if (module.packaging().equals("jar")) {
        String name = property(module.pom(), "module.name");
        assertThat(name).as(module.dir() + " module.name").matches("dev\\.hpkp(\\.[a-z0-9]+)+");
        assertThat(names.add(name)).as("module name " + name + " used twice").isTrue();
      }
    }
    assertThat(names).contains("dev.hpkp.core", "dev.hpkp.filter", "dev.hpkp.client");
  }

  @Test
  void theBomListsEveryPublishedModuleAndNothingElse() {
    Element bom = MODULES.stream().filter(m -> m.artifactId().equals("hpkp-bom")).findFirst()
        .orElseThrow().pom();
    Set<String> managed = new HashSet<>();
    for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"),
        "dependency")) {
      assertThat(text(dependency, "groupId")).isEqualTo("dev.hpkp");
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }
    Set<String> published = new HashSet<>();
    MODULES.stream().filter(Module::published).filter(m -> !m.packaging().equals("pom"))
        .forEach(m -> published.add(m.artifactId()));
    assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void everyOtherModuleIsKeptOutOfTheRelease() {
    Element release = children(child(parent, "profiles"), "profile").stream()
        .filter(p -> "release".equals(text(p, "id"))).findFirst().orElseThrow();
    Set<String> excluded = new HashSet<>();
    for (Element plugin : children(child(child(release, "build"), "plugins"), "plugin")) {
      Element configuration = child(plugin, "configuration");
      Element exclude = configuration == null ? null : child(configuration, "excludeArtifacts");
      if (exclude != null) {
        children(exclude, "artifact").forEach(a -> excluded.add(a.getTextContent()));
      }
    }
    for (Module module : MODULES) {
      if (module.published()) {
        assertThat(excluded).as(module.dir()).doesNotContain(module.artifactId());
        continue;
      }
      assertThat(excluded).as(module.dir() + " in excludeArtifacts").contains(module.artifactId());
      for (String skip : List.of("maven.source.skip", "maven.javadoc.skip", "cyclonedx.skip")) {
        assertThat(property(module.pom(), skip)).as(module.dir() + " " + skip).isEqualTo("true");
      }
    }
  }

  @Test
  void theChangelogDescribesThisVersion() throws Exception {
    String version = text(parent, "version").replace("-SNAPSHOT", "");
    String changelog = Files.readString(ROOT.resolve("CHANGELOG.md"));
    assertThat(changelog).contains("Keep a Changelog").contains("## [" + version + "]");
  }

  private static Element read(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document document = factory.newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  private static Element child(Element element, String name) {
    List<Element> found = children(element, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element element, String name) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = element.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static String text(Element element, String name) {
    Element found = child(element, name);
    return found == null ? null : found.getTextContent().trim();
  }

  private static String property(Element pom, String name) {
    Element properties = child(pom, "properties");
    return properties == null ? null : text(properties, name);
  }
}
