package dev.lvs.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lvs.e2e.support.TestApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's files, checked without helm, bash or an API server: values.yaml is documented and
 * covered by values.schema.json, the chart's appVersion follows the Maven version, and the chart
 * has no hooks.
 */
class ChartFilesTest {
  private static final Path REPO = TestApiServer.repo();
  private static final Path CHART = REPO.resolve("helm/lvs-operator");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z][\\w.-]*):(.*)$");

  /** A documented key has a comment right above it, or sits inside a documented key's value. */
  @Test
  void everyValueIsCommented() throws IOException {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    Deque<int[]> documented = new ArrayDeque<>(); // {indent, documented ? 1 : 0}
    List<String> undocumented = new ArrayList<>();
    String previous = "";
    for (String line : lines) {
      Matcher m = KEY.matcher(line);
      if (m.matches()) {
        int indent = m.group(1).length();
        while (!documented.isEmpty() && documented.peek()[0] >= indent) {
          documented.pop();
        }
        boolean commented = previous.trim().startsWith("#");
        boolean inherited = documented.stream().anyMatch(d -> d[1] == 1);
        boolean leaf = !m.group(3).trim().isEmpty() || nextIsList(lines, line);
        if (leaf && !commented && !inherited) {
          undocumented.add(line.trim());
        }
        documented.push(new int[] {indent, commented || inherited ? 1 : 0});
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }
    assertThat(undocumented).as("values without a comment").isEmpty();
  }

  private static boolean nextIsList(List<String> lines, String line) {
    int i = lines.indexOf(line);
    return i + 1 < lines.size() && lines.get(i + 1).trim().startsWith("- ");
  }

  /** Every key of values.yaml is a property of the schema (which forbids unknown keys). */
  @Test
  void schemaCoversEveryValue() throws IOException {
    JsonNode schema = JSON.readTree(CHART.resolve("values.schema.json").toFile());
    JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
    List<String> missing = new ArrayList<>();
    walk(schema, schema, values, "", missing);
    assertThat(missing).as("values.yaml keys missing from values.schema.json").isEmpty();
  }

  private static void walk(
      JsonNode root, JsonNode schema, JsonNode value, String path, List<String> missing) {
    schema = resolve(root, schema);
    if (!value.isObject() || !schema.has("properties")) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode sub = schema.get("properties").get(f.getKey());
      if (sub == null) {
        missing.add(path + f.getKey());
      } else {
        walk(root, sub, f.getValue(), path + f.getKey() + ".", missing);
      }
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText().substring(2);
      schema = root.at("/" + ref);
    }
    return schema;
  }

  /** The default image tags are the chart's appVersion; it must name the images Maven builds. */
  @Test
  void appVersionIsTheMavenVersion() throws IOException {
    String pom = Files.readString(REPO.resolve("pom.xml"));
    Matcher m =
        Pattern.compile(
                "<artifactId>lvs-operator-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    Map<?, ?> chart = YAML.readValue(CHART.resolve("Chart.yaml").toFile(), Map.class);
    assertThat(chart.get("appVersion")).isEqualTo(m.group(1));
  }

  /** Hooks would make `helm template | kubectl apply` differ from `helm install`. */
  @Test
  void templatesHaveNoHooks() throws IOException {
    try (var files = Files.list(CHART.resolve("templates"))) {
      for (Path f : files.toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain("helm.sh/hook");
      }
    }
  }

  /**
   * The static manifest's operator: a startup probe gives the JVM time to start, then liveness is
   * /healthz (the process works) and readiness /readyz (the informers watch), so an API server that
   * is away does not restart the operator. The config file sets the requeue period.
   */
  @Test
  void staticManifestProbesAndRequeuePeriod() throws IOException {
    JsonNode deployment = null;
    JsonNode configMap = null;
    try (var parser = YAML.createParser(REPO.resolve("deploy/lvs-operator.yaml").toFile())) {
      for (Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
          continue;
        }
        String kind = doc.path("kind").asText();
        String name = doc.path("metadata").path("name").asText();
        if (kind.equals("Deployment") && name.equals("lvs-operator")) {
          deployment = doc;
        } else if (kind.equals("ConfigMap") && name.equals("lvs-operator")) {
          configMap = doc;
        }
      }
    }
    assertThat(deployment).isNotNull();
    JsonNode c = deployment.at("/spec/template/spec/containers/0");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    int startupSeconds =
        c.at("/startupProbe/periodSeconds").asInt()
            * c.at("/startupProbe/failureThreshold").asInt();
    assertThat(startupSeconds).as("time the JVM gets to start").isGreaterThanOrEqualTo(60);
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(c.at("/livenessProbe/initialDelaySeconds").isMissingNode())
        .as("the startup probe covers the start")
        .isTrue();
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(configMap).isNotNull();
    Map<?, ?> config = YAML.readValue(configMap.at("/data/config.yaml").asText(), Map.class);
    assertThat(config.get("requeue-period")).isEqualTo("5m");
  }

  /**
   * Pod Security: the agents need hostNetwork, a hostPath and NET_ADMIN, which only the privileged
   * level admits; the static manifest's namespace says so (issue #18 item 4).
   */
  @Test
  void staticManifestLabelsItsNamespaceForThePrivilegeTheAgentsNeed() throws IOException {
    try (var parser = YAML.createParser(REPO.resolve("deploy/lvs-operator.yaml").toFile())) {
      JsonNode namespace = null;
      for (Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && doc.path("kind").asText().equals("Namespace")) {
          namespace = doc;
        }
      }
      assertThat(namespace).isNotNull();
      assertThat(
              namespace
                  .path("metadata")
                  .path("labels")
                  .path("pod-security.kubernetes.io/enforce")
                  .asText())
          .isEqualTo("privileged");
    }
  }
}
