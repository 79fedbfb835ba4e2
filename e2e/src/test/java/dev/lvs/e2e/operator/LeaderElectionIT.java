package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.operator.LvsOperator;
import dev.lvs.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas behind one Lease: only the leader writes; when it stops, the other takes over. */
class LeaderElectionIT {
  private static OperatorHarness h;
  private static String label;

  @BeforeAll
  static void start() {
    h = new OperatorHarness("le");
    label = "lvs.dev/director-" + h.namespace;
    h.createNode(h.namespace + "-d", "10.34.0.2", label, "true");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static String holder() {
    Lease lease =
        h.client.leases().inNamespace(h.operatorNamespace).withName("lvs-operator-leader").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static void awaitStatus(String vs) {
    h.awaitCondition(vs, Conditions.DEGRADED, "True", null);
  }

  @Test
  void onlyTheLeaderWritesAndTheOtherTakesOver() {
    LvsOperator a = h.startOperator("replica-a");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "replica-a".equals(holder()));
    h.startOperator("replica-b");

    // Both replicas see this; it has a problem (no RealServers), so the leader emits an event.
    h.createVs("one", "10.34.1.1", 80, label, "none");
    awaitStatus("one");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> !h.events("one", null).isEmpty());
    assertThat(holder()).isEqualTo("replica-a");
    assertThat(h.events("one", null))
        .extracting(Event::getReportingInstance)
        .containsOnly("replica-a");
    assertThat(h.daemonSet()).isNotNull();

    // The leader goes away: the standby acquires the Lease and reconciles new work.
    h.stopOperator(a);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "replica-b".equals(holder()));
    h.createVs("two", "10.34.1.2", 80, label, "none");
    awaitStatus("two");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> !h.events("two", null).isEmpty());
    assertThat(h.events("two", null))
        .extracting(Event::getReportingInstance)
        .containsOnly("replica-b");
  }
}
