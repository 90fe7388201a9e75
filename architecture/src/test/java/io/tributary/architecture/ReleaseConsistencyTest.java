package io.tributary.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The published artifacts' versions agree everywhere they are written: each module's pom (a
 * constant, so installed poms need no property to be read), the parent's dependency management,
 * and the BOM, which lists every published artifact and nothing else.
 */
class ReleaseConsistencyTest {
  /** Reactor modules that are not published: nobody depends on them. */
  private static final Set<String> UNPUBLISHED = Set.of("bom", "examples", "architecture", "benchmarks");
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  private static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  /** artifactId → version of every io.tributary entry of a pom's dependencyManagement. */
  private static Map<String, String> managed(Document pom, Map<String, String> properties) {
    Map<String, String> versions = new TreeMap<>();
    Element management = child(pom.getDocumentElement(), "dependencyManagement");
    NodeList dependencies = child(management, "dependencies").getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      if ("io.tributary".equals(text(d, "groupId"))) {
        versions.put(text(d, "artifactId"), resolve(text(d, "version"), properties));
      }
    }
    return versions;
  }

  private static String resolve(String value, Map<String, String> properties) {
    Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String property = properties.get(m.group(1));
      assertThat(property).as("property %s is defined", m.group(1)).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(property));
    }
    return m.appendTail(out).toString();
  }

  @Test
  void everyPublishedModuleHasOneConstantVersionThatTheParentAndTheBomRepeat() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    Map<String, String> properties = new LinkedHashMap<>();
    NodeList props = child(parent.getDocumentElement(), "properties").getChildNodes();
    for (int i = 0; i < props.getLength(); i++) {
      if (props.item(i) instanceof Element e) {
        properties.put(e.getTagName(), e.getTextContent().trim());
      }
    }
    Map<String, String> published = new TreeMap<>();
    NodeList modules = child(parent.getDocumentElement(), "modules").getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().trim();
      if (UNPUBLISHED.contains(module)) {
        continue;
      }
      Element project = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
      String version = text(project, "version");
      assertThat(version).as("the version of module %s", module).isNotNull().doesNotContain("${");
      published.put(text(project, "artifactId"), version);
    }
    assertThat(published).isNotEmpty().containsKey("tributary-core");

    assertThat(managed(parent, properties)).as("the parent's dependency management").isEqualTo(published);
    Document bom = read(ROOT.resolve("bom/pom.xml"));
    assertThat(child(bom.getDocumentElement(), "parent")).as("the BOM has no parent: it pins only Tributary").isNull();
    assertThat(managed(bom, Map.of())).as("the BOM").isEqualTo(published);
  }
}
