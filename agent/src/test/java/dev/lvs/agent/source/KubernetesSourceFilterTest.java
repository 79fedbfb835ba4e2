package dev.lvs.agent.source;

import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.withReady;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Node updates make the agent re-sync: {@link KubernetesSource#relevantChange}. */
class KubernetesSourceFilterTest {
  private static final Node READY = withReady(node("rs1", Map.of(), "172.16.58.7"), "True");

  private static Node heartbeat(Node n, String time) {
    Node copy = new NodeBuilder(n).build();
    copy.getStatus().getConditions().forEach(c -> c.setLastHeartbeatTime(time));
    copy.getMetadata().setResourceVersion(time);
    return copy;
  }

  @Test
  void aHeartbeatAloneIsFiltered() {
    assertThat(KubernetesSource.relevantChange(READY, heartbeat(READY, "2024-01-01T00:05:00Z")))
        .isFalse();
  }

  @Test
  void aReadyStatusChangeIsNotFiltered() {
    Node unknown = withReady(node("rs1", Map.of(), "172.16.58.7"), "Unknown");
    Node notReady = withReady(node("rs1", Map.of(), "172.16.58.7"), "False");
    assertThat(KubernetesSource.relevantChange(READY, unknown)).isTrue();
    assertThat(KubernetesSource.relevantChange(unknown, READY)).isTrue();
    assertThat(KubernetesSource.relevantChange(unknown, notReady)).isTrue();
    assertThat(KubernetesSource.relevantChange(node("rs1", Map.of(), "172.16.58.7"), READY))
        .as("conditions appear on a node that had none")
        .isTrue();
  }

  @Test
  void labelAndAddressChangesAreNotFiltered() {
    assertThat(
            KubernetesSource.relevantChange(
                READY, withReady(node("rs1", Map.of("a", "b"), "172.16.58.7"), "True")))
        .isTrue();
    assertThat(
            KubernetesSource.relevantChange(
                READY, withReady(node("rs1", Map.of(), "172.16.58.9"), "True")))
        .isTrue();
  }
}
