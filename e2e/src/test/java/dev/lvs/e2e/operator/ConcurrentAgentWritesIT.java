package dev.lvs.e2e.operator;

import static dev.lvs.e2e.operator.OperatorHarness.applied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.ApiCalls;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.reconciler.VirtualServiceReconciler;
import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.Conditions.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator writes its part of a status while the agents keep writing theirs. The two parts have
 * different field managers, so no write may be refused as a conflict (409): a refused status write
 * is retried by JOSDK on the reconcile thread, with the status computed before the agent's write.
 */
class ConcurrentAgentWritesIT {
  private static final Duration AGENTS_WRITING = Duration.ofSeconds(12);
  private static OperatorHarness h;
  private static final ApiCalls calls = new ApiCalls();

  @BeforeAll
  static void start() {
    h = new OperatorHarness("cw");
    h.startOperator("cw-op", calls);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void statusWritesNeverConflictWithTheAgentsWrites() throws InterruptedException {
    String label = "lvs.dev/director-" + h.namespace;
    String d = h.namespace + "-d";
    String n1 = h.namespace + "-n1";
    String n2 = h.namespace + "-n2";
    h.createNode(d, "10.36.0.2", label, "true");
    h.createNode(n1, "10.36.0.11");
    h.createNode(n2, "10.36.0.12");
    h.createRs("rs1", "web", null, n1);
    h.createRs("rs2", "web", null, n2);
    h.createVs("web", "10.36.1.1", 80, label, "web");
    h.awaitCondition("web", Conditions.READY, "False", Reasons.AGENTS_PENDING);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> h.vs("web").hasFinalizer(VirtualServiceReconciler.FINALIZER));
    long g = h.vs("web").getMetadata().getGeneration();
    long g1 = h.rs("rs1").getMetadata().getGeneration();
    long g2 = h.rs("rs2").getMetadata().getGeneration();

    // The agents write in a loop: the director alternately programs one and both real servers,
    // so every write changes what the operator computes (1/2, 2/2) and it writes too.
    Instant end = Instant.now().plus(AGENTS_WRITING);
    AtomicInteger writes = new AtomicInteger();
    while (Instant.now().isBefore(end)) {
      boolean both = writes.getAndIncrement() % 2 == 0;
      h.agentReports(
          "web",
          d,
          applied(
              LvsApi.ROLE_DIRECTOR, g, both ? Map.of("rs1", g1, "rs2", g2) : Map.of("rs1", g1)));
      h.agentReports("web", n1, applied(LvsApi.ROLE_REAL_SERVER, g, Map.of()));
      h.agentReports("web", n2, applied(LvsApi.ROLE_REAL_SERVER, g, Map.of()));
      Thread.sleep(20);
    }
    h.agentReports("web", d, applied(LvsApi.ROLE_DIRECTOR, g, Map.of("rs1", g1, "rs2", g2)));
    h.awaitCondition("web", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    assertThat(h.vs("web").getStatus().getRealServers()).isEqualTo("2/2");

    long statusWrites =
        calls.writes(c -> false).stream()
            .filter(c -> c.path().contains("/virtualservices/web/status"))
            .count();
    assertThat(statusWrites)
        .as("the operator wrote the status while the agents wrote theirs")
        .isGreaterThan(5);
    assertThat(calls.responses(409)).as("requests refused as conflicts").isEmpty();
  }
}
