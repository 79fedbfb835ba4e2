package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Agent placement by node label (issue #18 items 1 and 2): the operator labels the nodes that need
 * an agent and the DaemonSet selects that label, so a node joining or leaving changes no pod
 * template and rolls no agent; and a node keeps its label, so its agent, while that agent still
 * reports owning kernel state, also after the objects that put it there are gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentNodePlacementIT {
  private static final String DIRECTOR_LABEL = "lvs.dev/placement-director";
  private static OperatorHarness h;
  private static String director;
  private static String n1;
  private static String n2;

  @BeforeAll
  static void start() {
    h = new OperatorHarness("place");
    director = h.namespace + "-d";
    n1 = h.namespace + "-n1";
    n2 = h.namespace + "-n2";
    h.createNode(director, "10.44.0.2", DIRECTOR_LABEL, "true");
    h.createNode(n1, "10.44.0.11");
    h.createVs("web", "10.44.1.1", 80, DIRECTOR_LABEL, "web");
    h.createRs("rs1", "web", null, n1);
    h.startOperator("place-op");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  @Order(1)
  void aRealServerOnANewNodeLabelsItAndChangesNoPodTemplate() {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                h.daemonSet() != null
                    && "true".equals(h.agentLabel(director))
                    && "true".equals(h.agentLabel(n1)));
    long generation = h.daemonSet().getMetadata().getGeneration();
    String template = h.daemonSet().getSpec().getTemplate().toString();

    h.createNode(n2, "10.44.0.12");
    h.createRs("rs2", "web", null, n2);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "true".equals(h.agentLabel(n2)));
    // Give a template write that would follow the label its chance to land.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> h.daemonSet().getMetadata().getGeneration() == generation);
    assertThat(h.daemonSet().getSpec().getTemplate().toString()).isEqualTo(template);
    assertThat(h.daemonSet().getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("lvs.dev/agent", "true");
  }

  @Test
  @Order(2)
  void aNodeWithoutARoleKeepsItsLabelUntilItsAgentOwnsNothing() {
    long generation = h.daemonSet().getMetadata().getGeneration();
    h.agentOwns(n2, 3);
    h.editRs("rs2", rs -> rs.getSpec().setNodeName(n1));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> "true".equals(h.agentLabel(n2)));
    h.agentOwns(n2, 0);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.agentLabel(n2) == null);
    assertThat(h.agentLabel(n1)).isEqualTo("true");
    assertThat(h.daemonSet().getMetadata().getGeneration()).isEqualTo(generation);
  }

  /**
   * The scenario: a director cut off from the API server (its Node not Ready) while its
   * VirtualService is deleted. The finalizer opens (AgentGone) and the VirtualService and its entry
   * go, but the director's agent, which still holds the VIP, keeps its label until it reports that
   * it owns nothing.
   */
  @Test
  @Order(3)
  void aDirectorCutOffWhileItsServiceIsDeletedKeepsItsAgent() {
    h.editRs("rs1", rs -> rs.getMetadata().getLabels().put("app", "elsewhere"));
    h.editRs("rs2", rs -> rs.getMetadata().getLabels().put("app", "elsewhere"));
    h.agentOwns(n1, 0);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.agentLabel(n1) == null);
    long generation = h.vs("web").getMetadata().getGeneration();
    h.agentReports(
        "web", director, OperatorHarness.applied(LvsApi.ROLE_DIRECTOR, generation, Map.of()));
    h.agentOwns(director, 2);
    h.setNodeReady(director, "Unknown");
    h.client.resources(VirtualService.class).inNamespace(h.namespace).withName("web").delete();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.vs("web") == null);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> "true".equals(h.agentLabel(director)));

    // Back on the network, the agent removes the VIP and says so: then its agent may go.
    h.setNodeReady(director, "True");
    h.agentOwns(director, 0);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.agentLabel(director) == null);
    assertThat(h.client.resources(RealServer.class).inNamespace(h.namespace).list().getItems())
        .hasSize(2);
  }
}
