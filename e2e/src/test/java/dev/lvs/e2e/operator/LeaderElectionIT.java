package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.ApiCalls;
import dev.lvs.operator.LvsOperator;
import dev.lvs.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas behind one Lease: only the leader writes (counted as the requests each replica's
 * client sends); when it stops, the other takes over.
 */
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
    ApiCalls aCalls = new ApiCalls();
    ApiCalls bCalls = new ApiCalls();
    LvsOperator a = h.startOperator("replica-a", aCalls);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "replica-a".equals(holder()));
    h.startOperator("replica-b", bCalls);

    // Both replicas see this; it has a problem (no RealServers), so the leader emits an event.
    h.createVs("one", "10.34.1.1", 80, label, "none");
    awaitStatus("one");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> !h.events("one", null).isEmpty());
    assertThat(holder()).isEqualTo("replica-a");
    assertThat(h.events("one", null))
        .extracting(Event::getReportingInstance)
        .containsOnly("replica-a");
    assertThat(h.daemonSet()).isNotNull();
    // Every write request, as each replica's client sent it: the leader wrote status, the
    // DaemonSet and Events; the standby wrote nothing but (at most) its Lease.
    assertThat(aCalls.writes(ApiCalls::lease))
        .as("the leader's writes")
        .anyMatch(c -> c.path().contains("/virtualservices/one/status"))
        .anyMatch(c -> c.path().contains("/daemonsets"))
        .anyMatch(c -> c.path().contains("/events"));
    assertThat(bCalls.writes(ApiCalls::lease))
        .as("the standby's writes other than to its Lease (of %s)", bCalls.all())
        .isEmpty();

    // The leader goes away: the standby acquires the Lease and reconciles new work.
    h.stopOperator(a);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "replica-b".equals(holder()));
    h.createVs("two", "10.34.1.2", 80, label, "none");
    awaitStatus("two");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> !h.events("two", null).isEmpty());
    assertThat(h.events("two", null))
        .extracting(Event::getReportingInstance)
        .containsOnly("replica-b");
    assertThat(bCalls.writes(ApiCalls::lease))
        .as("the new leader's writes")
        .anyMatch(c -> c.path().contains("/virtualservices/two/status"));
  }
}
