package dev.lvs.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lvs.e2e.support.TestApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The README shows the printer columns in the order kubectl prints them: NAME, then the CRD's
 * additionalPrinterColumns in the order the CRD generator wrote them (it sorts them; the classes
 * cannot choose).
 */
class PrinterColumnsDocTest {
  private static final Path REPO = TestApiServer.repo();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static String columns(String crd) throws IOException {
    JsonNode doc = YAML.readTree(REPO.resolve("crds").resolve(crd).toFile());
    List<String> names = new ArrayList<>(List.of("NAME"));
    for (JsonNode c : doc.at("/spec/versions/0/additionalPrinterColumns")) {
      names.add(c.path("name").asText().toUpperCase(Locale.ROOT));
    }
    return String.join(" ", names);
  }

  @Test
  void readmeListsTheColumnsInKubectlsOrder() throws IOException {
    String readme = Files.readString(REPO.resolve("README.md")).replaceAll("\\s+", " ");
    assertThat(readme)
        .contains("VirtualServices: `" + columns("virtualservices.lvs.dev-v1.yml") + "`")
        .contains("RealServers: `" + columns("realservers.lvs.dev-v1.yml") + "`");
  }
}
