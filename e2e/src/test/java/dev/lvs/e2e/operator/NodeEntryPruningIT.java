package dev.lvs.e2e.operator;

import static dev.lvs.e2e.operator.OperatorHarness.applied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.ApiCalls;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.status.Conditions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status.nodes entry of a Node that was deleted is removed by the operator (its agent is gone
 * with it, and nobody else would remove it), once: an agent still running under that node name that
 * writes its entry again is not fought.
 */
class NodeEntryPruningIT {
  private static OperatorHarness h;
  private static final ApiCalls calls = new ApiCalls();
  private static String label;
  private static String d;

  @BeforeAll
  static void start() {
    h = new OperatorHarness("pn");
    label = "lvs.dev/director-" + h.namespace;
    d = h.namespace + "-d";
    h.createNode(d, "10.37.0.2", label, "true");
    h.startOperator("pn-op", calls);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static boolean hasEntry(String vs, String node) {
    var s = h.vs(vs).getStatus();
    return s != null && s.getNodes() != null && s.getNodes().containsKey(node);
  }

  @Test
  void theEntryOfADeletedNodeIsRemovedOnceAndAnAgentWritingItAgainIsNotFought()
      throws InterruptedException {
    String n1 = h.namespace + "-n1";
    String n2 = h.namespace + "-n2";
    h.createNode(n1, "10.37.0.11");
    h.createNode(n2, "10.37.0.12");
    h.createRs("rs1", "web", null, n1);
    h.createRs("rs2", "web", null, n2);
    h.createVs("web", "10.37.1.1", 80, label, "web");
    h.awaitCondition("web", Conditions.READY, "False", null);
    long g = h.vs("web").getMetadata().getGeneration();
    h.agentReports("web", d, applied(LvsApi.ROLE_DIRECTOR, g, Map.of()));
    h.agentReports("web", n1, applied(LvsApi.ROLE_REAL_SERVER, g, Map.of()));
    h.agentReports("web", n2, applied(LvsApi.ROLE_REAL_SERVER, g, Map.of()));
    await().atMost(OperatorHarness.TIMEOUT).until(() -> hasEntry("web", n2));

    h.deleteNode(n2);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> !hasEntry("web", n2));
    assertThat(h.vs("web").getStatus().getNodes()).containsOnlyKeys(d, n1);

    // An agent still alive under the deleted node's name writes its entry again: it stays.
    calls.clear();
    h.agentReports("web", n2, applied(LvsApi.ROLE_REAL_SERVER, g, Map.of()));
    Thread.sleep(Duration.ofSeconds(5).toMillis());
    assertThat(hasEntry("web", n2)).isTrue();
    // (The operator's own server-side applies of its conditions carry force=true.)
    assertThat(calls.writes(c -> false))
        .as("status writes that remove the entry again")
        .noneMatch(
            c ->
                c.path().contains("/virtualservices/web/status")
                    && !c.path().contains("force=true"));
  }
}
