package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.agent.AgentDaemonSetRenderer;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent DaemonSet for examples/dr-web.yaml: created in the operator's namespace, and the agent
 * label on exactly the director and real-server nodes, moved when a RealServer moves, rolled when
 * the configuration changes, and served by an operator whose metrics and probes answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentDaemonSetIT {
  private static OperatorHarness h;
  private static dev.lvs.operator.LvsOperator operator;
  private static String director;
  private static String rs1Node;
  private static String rs2Node;
  private static String rs3Node;

  @BeforeAll
  static void start() throws IOException {
    h = new OperatorHarness("ds");
    director = h.prefix + "-" + h.namespace + "-director-1";
    rs1Node = h.namespace + "-rs1";
    rs2Node = h.namespace + "-rs2";
    rs3Node = h.namespace + "-rs3";
    h.createNode(director, "172.31.58.2", "lvs.dev/director", "true");
    h.createNode(rs1Node, "172.31.58.7");
    h.createNode(rs2Node, "172.31.58.8");
    h.createNode(rs3Node, "172.31.58.9");
    // Agents that own nothing: a node loses its agent as soon as it has no role and no entry.
    // (AgentNodePlacementIT: an agent that owns state keeps it.)
    for (String n : List.of(director, rs1Node, rs2Node, rs3Node)) {
      h.agentOwns(n, 0);
    }
    // The example as a user applies it, in this test's namespace, with a VIP no other test uses
    // and its nodes named after this test's nodes.
    String yaml =
        Files.readString(TestApiServer.repo().resolve("examples/dr-web.yaml"))
            .replace("namespace: default", "namespace: " + h.namespace)
            .replace("vip: 172.16.58.1", "vip: 172.31.58.1")
            .replace("nodeName: rs1", "nodeName: " + rs1Node)
            .replace("nodeName: rs2", "nodeName: " + rs2Node);
    List<HasMetadata> items =
        h.client.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items();
    items.forEach(i -> h.client.resource(i).create());
    operator = h.startOperator("ds-op");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  /**
   * The nodes of this test that carry the agent label, once the DaemonSet exists (other test
   * classes' nodes may share the cluster).
   */
  private static Set<String> myAffinity() {
    if (h.daemonSet() == null) {
      return Set.of();
    }
    Set<String> labelled = new java.util.TreeSet<>();
    for (String n : List.of(director, rs1Node, rs2Node, rs3Node)) {
      if ("true".equals(h.agentLabel(n))) {
        labelled.add(n);
      }
    }
    return labelled;
  }

  @Test
  @Order(1)
  void createsTheAgentDaemonSetForTheExample() {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(director, rs1Node, rs2Node)));
    DaemonSet ds = h.daemonSet();
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getTolerations()).anyMatch(t -> "Exists".equals(t.getOperator()));
    var c = pod.getContainers().get(0);
    // Confined by default (the API server accepted this security context and these volumes).
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getArgs()).containsSubsequence("run", "--node-name", "$(NODE_NAME)");
    assertThat(c.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath())
        .containsExactlyInAnyOrder("/var/lib/lvs-agent", "/proc/sys/net");
    assertThat(pod.getNodeSelector()).containsEntry("lvs.dev/agent", "true");
    assertThat(ds.getMetadata().getAnnotations())
        .containsKey(AgentDaemonSetRenderer.HASH_ANNOTATION);
    assertThat(ds.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .contains("lvs-operator");
  }

  @Test
  @Order(2)
  void followsARealServerThatMovesToAnotherNode() {
    h.editRs(
        "rs2",
        rs -> {
          rs.getSpec().setNodeName(rs3Node);
          rs.getSpec().setAddress("172.31.58.9");
        });
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(director, rs1Node, rs3Node)));
  }

  @Test
  @Order(3)
  void aNodeThatStillReportsKeepsItsAgentUntilItClearsItsEntry() {
    long generation = h.vs("web").getMetadata().getGeneration();
    h.agentReports(
        "web", rs2Node, OperatorHarness.applied(LvsApi.ROLE_REAL_SERVER, generation, Map.of()));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(director, rs1Node, rs2Node, rs3Node)));
    h.agentReports("web", rs2Node, null);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(director, rs1Node, rs3Node)));
  }

  @Test
  @Order(4)
  void followsDirectorLabels() {
    h.labelNode(rs1Node, "lvs.dev/director", "true");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(director, rs1Node, rs3Node)));
    h.labelNode(director, "lvs.dev/director", null);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(rs1Node, rs3Node)));
    h.labelNode(director, "lvs.dev/director", "true");
    h.labelNode(rs1Node, "lvs.dev/director", null);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> myAffinity().equals(Set.of(director, rs1Node, rs3Node)));
  }

  @Test
  @Order(5)
  void aConfigurationChangeRollsTheDaemonSet() {
    String before = h.daemonSet().getMetadata().getResourceVersion();
    h.stopOperator(operator);
    operator = h.startOperator("ds-op", "--agent-privileged=true", "--agent-image=lvs-agent:2");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> "lvs-agent:2".equals(container().getImage()));
    // The escape hatch: the API server accepts it (no allowPrivilegeEscalation=false with it).
    assertThat(container().getSecurityContext().getPrivileged()).isTrue();
    assertThat(container().getSecurityContext().getCapabilities()).isNull();
    assertThat(h.daemonSet().getMetadata().getResourceVersion()).isNotEqualTo(before);
    assertThat(myAffinity()).containsExactlyInAnyOrder(director, rs1Node, rs3Node);
  }

  @Test
  @Order(6)
  void servesMetricsAndProbes() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + operator.httpPort();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> get(http, base + "/readyz").statusCode() == 200);
    assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> get(http, base + "/metrics").body().contains("operator_sdk"));
    assertThat(get(http, base + "/metrics").body()).contains("virtualservice");
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static io.fabric8.kubernetes.api.model.Container container() {
    return h.daemonSet().getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
