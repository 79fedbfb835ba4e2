package dev.lvs.e2e.operator;

import static dev.lvs.e2e.operator.OperatorHarness.applied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.Conditions.Reasons;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Status from simulated agent reports (server-side apply of status.nodes.NODE with manager
 * lvs-agent-NODE), and deletion that waits for the agents, skips dead ones and times out.
 */
class StatusAndDeletionIT {
  // Long enough that a slow reconcile never lets the timeout release a finalizer that a test
  // expects the agents' reports to release.
  private static final Duration DELETION_TIMEOUT = Duration.ofSeconds(15);
  private static OperatorHarness h;
  private static String label;
  private static String d;
  private static String n1;
  private static String n2;

  @BeforeAll
  static void start() {
    h = new OperatorHarness("st");
    label = "lvs.dev/director-" + h.namespace;
    d = h.namespace + "-d";
    n1 = h.namespace + "-n1";
    n2 = h.namespace + "-n2";
    h.createNode(d, "10.33.0.2", label, "true");
    h.createNode(n1, "10.33.0.11");
    h.createNode(n2, "10.33.0.12");
    h.startOperator("st-op", "--deletion-timeout=" + DELETION_TIMEOUT.toSeconds() + "s");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static long gen(String vs) {
    return h.vs(vs).getMetadata().getGeneration();
  }

  private static long rsGen(String rs) {
    return h.rs(rs).getMetadata().getGeneration();
  }

  @Test
  void readyOnlyOnceEveryAgentAppliedTheCurrentGenerations() {
    h.createRs("rs1", "web", null, n1);
    h.createRs("rs2", "web", null, n2);
    h.createVs("web", "10.33.1.1", 80, label, "web");

    h.awaitCondition("web", Conditions.READY, "False", Reasons.AGENTS_PENDING);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> "False".equals(h.vsCondition("web", Conditions.READY).get().getStatus()));
    assertThat(h.vs("web").getStatus().getRealServers()).isEqualTo("0/2");
    assertThat(h.vs("web").getStatus().getDirectorNodes()).containsExactly(d);
    assertThat(h.rs("rs1").getStatus().getAddress()).isEqualTo("10.33.0.11");

    // The agents apply generation 1; the director has programmed both real servers.
    h.agentReports(
        "web", d, applied(LvsApi.ROLE_DIRECTOR, gen("web"), Map.of("rs1", rsGen("rs1"))));
    h.agentReports("web", n1, applied(LvsApi.ROLE_REAL_SERVER, gen("web"), Map.of()));
    h.agentReports("web", n2, applied(LvsApi.ROLE_REAL_SERVER, gen("web"), Map.of()));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> "1/2".equals(h.vs("web").getStatus().getRealServers()));
    assertThat(h.vsCondition("web", Conditions.READY).get().getStatus())
        .as("the director has not programmed rs2")
        .isEqualTo("False");

    h.agentReports(
        "web",
        d,
        applied(
            LvsApi.ROLE_DIRECTOR, gen("web"), Map.of("rs1", rsGen("rs1"), "rs2", rsGen("rs2"))));
    h.awaitCondition("web", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    assertThat(h.vs("web").getStatus().getRealServers()).isEqualTo("2/2");
    assertThat(h.vs("web").getStatus().getNodes()).containsOnlyKeys(d, n1, n2);
    // The operator writes the status first, then the Event.
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> !h.events("web", Reasons.ALL_AGENTS_APPLIED).isEmpty());
    assertThat(h.events("web", Reasons.ALL_AGENTS_APPLIED)).hasSize(1);

    // Real servers are Ready once their node holds the VIP.
    h.agentReportsVips("rs1", n1, "10.33.1.1");
    h.awaitRsCondition("rs1", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    assertThat(h.rs("rs1").getStatus().getVips()).containsExactly("10.33.1.1");

    // A new generation is not Ready until the agents catch up.
    h.editVs(
        "web",
        vs -> {
          vs.getSpec().setScheduler(Scheduler.RR);
        });
    h.awaitCondition("web", Conditions.READY, "False", Reasons.AGENTS_PENDING);
    assertThat(h.vs("web").getStatus().getObservedGeneration()).isEqualTo(gen("web"));
  }

  @Test
  void deletionWaitsForTheAgentsToClearTheirEntries() {
    h.createVs("drain", "10.33.2.1", 80, label, "none");
    h.awaitCondition("drain", Conditions.READY, "False", null);
    h.agentReports("drain", d, applied(LvsApi.ROLE_DIRECTOR, gen("drain"), Map.of()));
    h.client.resources(VirtualService.class).inNamespace(h.namespace).withName("drain").delete();

    h.awaitCondition("drain", Conditions.READY, "False", Reasons.TERMINATING);
    assertThat(h.vsCondition("drain", Conditions.READY).get().getMessage()).contains(d);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> h.vs("drain") != null);

    h.agentReports("drain", d, null); // the agent removed the kernel state
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.vs("drain") == null);
    assertThat(h.events("drain", Reasons.DELETION_TIMED_OUT)).isEmpty();
  }

  @Test
  void deletionTimesOutWhenALiveAgentNeverCleansUp() {
    h.createVs("stuck", "10.33.3.1", 80, label, "none");
    h.awaitCondition("stuck", Conditions.READY, "False", null);
    h.agentReports("stuck", d, applied(LvsApi.ROLE_DIRECTOR, gen("stuck"), Map.of()));
    long start = System.nanoTime();
    h.client.resources(VirtualService.class).inNamespace(h.namespace).withName("stuck").delete();
    await()
        .atMost(DELETION_TIMEOUT.plus(OperatorHarness.TIMEOUT))
        .until(() -> h.vs("stuck") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(DELETION_TIMEOUT.minusSeconds(1));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> !h.events("stuck", Reasons.DELETION_TIMED_OUT).isEmpty());
    assertThat(h.events("stuck", Reasons.DELETION_TIMED_OUT).get(0).getMessage()).contains(d);
  }

  @Test
  void aDeadAgentDoesNotBlockDeletion() {
    // Its node is lost (not Ready): the agent is named, not waited for.
    String dead = h.namespace + "-dead";
    h.createNode(dead, "10.33.0.66");
    h.createVs("orphan", "10.33.4.1", 80, label, "none");
    h.awaitCondition("orphan", Conditions.READY, "False", null);
    h.agentReports("orphan", dead, applied(LvsApi.ROLE_DIRECTOR, gen("orphan"), Map.of()));
    setNodeReady(dead, "Unknown");
    long start = System.nanoTime();
    h.client.resources(VirtualService.class).inNamespace(h.namespace).withName("orphan").delete();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.vs("orphan") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DELETION_TIMEOUT);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                h.events("orphan", Reasons.AGENT_GONE).stream()
                    .anyMatch(e -> e.getMessage().contains("node " + dead + " is not Ready")));

    // Its Node is deleted: the operator removes its entry, so there is nothing to wait for.
    String gone = h.namespace + "-gone";
    h.createNode(gone, "10.33.0.67");
    h.createVs("orphan2", "10.33.4.2", 80, label, "none");
    h.awaitCondition("orphan2", Conditions.READY, "False", null);
    h.agentReports("orphan2", gone, applied(LvsApi.ROLE_DIRECTOR, gen("orphan2"), Map.of()));
    h.deleteNode(gone);
    start = System.nanoTime();
    h.client.resources(VirtualService.class).inNamespace(h.namespace).withName("orphan2").delete();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.vs("orphan2") == null);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DELETION_TIMEOUT);
  }

  @Test
  void aRealServerIsDeletedOnlyAfterTheDirectorsAndItsNodeDropIt() {
    h.createRs("leaving", "leave", null, n1);
    h.createVs("leave", "10.33.5.1", 80, label, "leave");
    h.awaitCondition("leave", Conditions.READY, "False", null);
    h.agentReports(
        "leave",
        d,
        applied(LvsApi.ROLE_DIRECTOR, gen("leave"), Map.of("leaving", rsGen("leaving"))));
    h.agentReportsVips("leaving", n1, "10.33.5.1");
    h.client.resources(RealServer.class).inNamespace(h.namespace).withName("leaving").delete();

    h.awaitRsCondition("leaving", Conditions.READY, "False", Reasons.TERMINATING);
    assertThat(h.rsCondition("leaving", Conditions.READY).get().getMessage())
        .contains(d)
        .contains(n1);
    h.agentReports("leave", d, applied(LvsApi.ROLE_DIRECTOR, gen("leave"), Map.of()));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> h.rs("leaving") != null);
    h.agentReportsVips("leaving", n1);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.rs("leaving") == null);
  }

  /** What the node lifecycle controller does (see {@link OperatorHarness#setNodeReady}). */
  private static void setNodeReady(String node, String status) {
    h.setNodeReady(node, status);
  }

  @Test
  void aRealServerWhoseNodeIsLostIsNotReadyAndDegradesTheServiceUntilTheNodeIsBack() {
    String na = h.namespace + "-la";
    String nb = h.namespace + "-lb";
    h.createNode(na, "10.33.0.21");
    h.createNode(nb, "10.33.0.22");
    h.createRs("ra", "lost", null, na);
    h.createRs("rb", "lost", null, nb);
    h.createVs("lost", "10.33.6.1", 80, label, "lost");
    h.awaitCondition("lost", Conditions.READY, "False", null);
    h.agentReports(
        "lost",
        d,
        applied(LvsApi.ROLE_DIRECTOR, gen("lost"), Map.of("ra", rsGen("ra"), "rb", rsGen("rb"))));
    h.agentReports("lost", na, applied(LvsApi.ROLE_REAL_SERVER, gen("lost"), Map.of()));
    h.agentReports("lost", nb, applied(LvsApi.ROLE_REAL_SERVER, gen("lost"), Map.of()));
    h.agentReportsVips("ra", na, "10.33.6.1");
    h.agentReportsVips("rb", nb, "10.33.6.1");
    h.awaitCondition("lost", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    h.awaitRsCondition("rb", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    assertThat(h.vs("lost").getStatus().getRealServers()).isEqualTo("2/2");

    setNodeReady(nb, "Unknown");
    h.awaitCondition("lost", Conditions.DEGRADED, "True", Reasons.REAL_SERVER_NODE_NOT_READY);
    assertThat(h.vsCondition("lost", Conditions.DEGRADED).get().getMessage())
        .contains("RealServer rb: node " + nb + " is not Ready (Ready=Unknown)");
    assertThat(h.vs("lost").getStatus().getRealServers()).isEqualTo("1/2");
    assertThat(h.vsCondition("lost", Conditions.READY).get().getStatus())
        .as("ra still serves")
        .isEqualTo("True");
    h.awaitRsCondition("rb", Conditions.READY, "False", Reasons.NODE_NOT_READY);
    assertThat(h.rsCondition("rb", Conditions.READY).get().getMessage())
        .contains("node " + nb + " is not Ready (Ready=Unknown)");
    assertThat(h.rsCondition("ra", Conditions.READY).get().getStatus()).isEqualTo("True");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                !h.events("lost", Reasons.REAL_SERVER_NODE_NOT_READY).isEmpty()
                    && !h.events("rb", Reasons.NODE_NOT_READY).isEmpty());

    setNodeReady(nb, "True");
    h.awaitCondition("lost", Conditions.DEGRADED, "False", Reasons.AS_EXPECTED);
    h.awaitRsCondition("rb", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    assertThat(h.vs("lost").getStatus().getRealServers()).isEqualTo("2/2");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> !h.events("lost", Reasons.RESOLVED).isEmpty());
  }
}
