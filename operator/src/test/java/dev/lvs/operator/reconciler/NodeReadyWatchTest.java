package dev.lvs.operator.reconciler;

import static dev.lvs.operator.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

/** The operator's Node update filter lets Ready changes through and drops heartbeats. */
class NodeReadyWatchTest {
  private static Node withReady(Node n, String status, String heartbeat) {
    Node copy = new NodeBuilder(n).build();
    copy.getStatus()
        .getConditions()
        .forEach(
            c -> {
              c.setStatus(status);
              c.setLastHeartbeatTime(heartbeat);
            });
    return copy;
  }

  @Test
  void readyStatusChangesPassHeartbeatsDoNot() {
    Node ready = withReady(node("n8", "10.1.0.8", true), "True", "2026-01-01T00:00:00Z");
    assertThat(Watches.nodeChanged(withReady(ready, "True", "2026-01-01T00:05:00Z"), ready))
        .isFalse();
    assertThat(Watches.nodeChanged(withReady(ready, "Unknown", "2026-01-01T00:00:00Z"), ready))
        .isTrue();
    assertThat(Watches.nodeChanged(ready, withReady(ready, "Unknown", "2026-01-01T00:00:00Z")))
        .isTrue();
  }
}
