package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cross-object rules the API server cannot check: each gives a condition with a CamelCase
 * reason and an actionable message plus one Event, and resolving it clears the condition (with a
 * Normal event). Bad input never stops the reconciler.
 */
class ValidationIT {
  private static OperatorHarness h;
  private static String label;
  private static String d1;
  private static String n1;
  private static String n2;

  @BeforeAll
  static void start() {
    h = new OperatorHarness("val");
    label = "lvs.dev/director-" + h.namespace;
    d1 = h.namespace + "-d1";
    n1 = h.namespace + "-n1";
    n2 = h.namespace + "-n2";
    h.createNode(d1, "10.32.0.1", label, "true");
    h.createNode(n1, "10.32.0.11");
    h.createNode(n2, "10.32.0.12");
    h.startOperator("val-op");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static void awaitDegraded(String vs, String reason, String messagePart) {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                h.vsCondition(vs, Conditions.DEGRADED)
                    .filter(c -> "True".equals(c.getStatus()))
                    .filter(c -> c.getMessage().contains(messagePart))
                    .isPresent());
    assertThat(h.vsCondition(vs, Conditions.DEGRADED).orElseThrow().getMessage())
        .contains(messagePart);
    if (reason != null) {
      assertThat(h.vsCondition(vs, Conditions.DEGRADED).orElseThrow().getReason())
          .isEqualTo(reason);
    }
  }

  private static void awaitEvent(String object, String reason, String messagePart) {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                h.events(object, reason).stream()
                    .anyMatch(e -> e.getMessage().contains(messagePart)));
  }

  @Test
  void duplicateVipPortProtocolGoesToTheOldestAndTheOtherNamesIt() {
    h.createRs("c-rs", "conflict", "10.32.1.7", n1);
    h.createVs("first", "10.32.1.1", 80, label, "conflict");
    h.awaitCondition("first", Conditions.CONFLICT, "False", Reasons.NO_CONFLICT);
    h.createVs("second", "10.32.1.1", 80, label, "conflict");

    h.awaitCondition("second", Conditions.CONFLICT, "True", Reasons.DUPLICATE_VIRTUAL_SERVICE);
    Condition conflict = h.vsCondition("second", Conditions.CONFLICT).orElseThrow();
    assertThat(conflict.getMessage()).contains(h.namespace + "/first").contains("10.32.1.1:80/TCP");
    assertThat(h.vsCondition("second", Conditions.READY).orElseThrow().getReason())
        .isEqualTo(Reasons.CONFLICT_LOST);
    assertThat(h.vsCondition("first", Conditions.CONFLICT).orElseThrow().getStatus())
        .isEqualTo("False");
    awaitEvent("second", Reasons.DUPLICATE_VIRTUAL_SERVICE, h.namespace + "/first");

    // Resolve: the loser moves to another port.
    h.editVs(
        "second",
        vs -> {
          vs.getSpec().setPort(8080);
        });
    h.awaitCondition("second", Conditions.CONFLICT, "False", Reasons.NO_CONFLICT);
    awaitEvent("second", Reasons.RESOLVED, "Conflict resolved");

    // The winner's deletion hands the key to the next oldest: re-collide, then delete first.
    h.editVs(
        "second",
        vs -> {
          vs.getSpec().setPort(80);
        });
    h.awaitCondition("second", Conditions.CONFLICT, "True", null);
    h.client.resources(VirtualService.class).inNamespace(h.namespace).withName("first").delete();
    h.awaitCondition("second", Conditions.CONFLICT, "False", Reasons.NO_CONFLICT);
  }

  @Test
  void eventsAreNotRepeatedWhileAConditionStays() {
    h.createVs("quiet", "10.32.2.1", 80, "lvs.dev/nobody-" + h.namespace, "quiet");
    awaitDegraded("quiet", Reasons.NO_DIRECTOR_NODES, "spec.directors matches no node");
    awaitEvent("quiet", Reasons.NO_DIRECTOR_NODES, "spec.directors matches no node");
    // Touch the object several times without changing what is wrong.
    for (int i = 0; i < 3; i++) {
      int n = i;
      h.editVs(
          "quiet",
          vs -> {
            vs.getMetadata().setAnnotations(Map.of("touch", Integer.toString(n)));
          });
    }
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> h.events("quiet", Reasons.NO_DIRECTOR_NODES).size() == 1);
  }

  @Test
  void directorsSelectorMatchingNoNodeAndSelectorSelectingNothing() {
    String empty = "lvs.dev/empty-" + h.namespace;
    h.createVs("nodirs", "10.32.3.1", 80, empty, "nothing-here");
    awaitDegraded("nodirs", Reasons.NO_DIRECTOR_NODES, "spec.directors matches no node");
    awaitDegraded("nodirs", null, "spec.realServerSelector selects no RealServer");
    awaitEvent("nodirs", Reasons.NO_DIRECTOR_NODES, "label the director nodes");

    // Resolve both, one at a time. A director node first: what is left is NoRealServers, with its
    // own event.
    h.labelNode(n2, empty, "true");
    h.awaitCondition("nodirs", Conditions.DEGRADED, "True", Reasons.NO_REAL_SERVERS);
    assertThat(h.vsCondition("nodirs", Conditions.DEGRADED).orElseThrow().getMessage())
        .contains("spec.realServerSelector selects no RealServer")
        .doesNotContain("spec.directors");
    awaitEvent("nodirs", Reasons.NO_REAL_SERVERS, "create RealServers labelled");
    h.createRs("nothing-rs", "nothing-here", "10.32.3.7", null);
    h.awaitCondition("nodirs", Conditions.DEGRADED, "False", Reasons.AS_EXPECTED);
    awaitEvent("nodirs", Reasons.RESOLVED, "Degraded resolved");
    assertThat(h.vs("nodirs").getStatus().getDirectorNodes()).containsExactly(n2);
    h.labelNode(n2, empty, null);
  }

  @Test
  void realServerOnAMissingNodeWithAVipAddressOrOnItsDirector() {
    h.createVs("rsbad", "10.32.4.1", 80, label, "rsbad");
    h.createRs("ghost", "rsbad", "10.32.4.7", h.namespace + "-no-such-node");
    h.createRs("vipaddr", "rsbad", "10.32.4.1", null);
    h.createRs("ondirector", "rsbad", null, d1);

    h.awaitRsCondition("ghost", Conditions.READY, "False", Reasons.NODE_NOT_FOUND);
    h.awaitRsCondition("ghost", Conditions.DEGRADED, "True", Reasons.NODE_NOT_FOUND);
    h.awaitRsCondition("vipaddr", Conditions.DEGRADED, "True", Reasons.ADDRESS_IS_VIP);
    h.awaitRsCondition("ondirector", Conditions.DEGRADED, "True", Reasons.ON_DIRECTOR_NODE);
    assertThat(h.rs("ondirector").getStatus().getAddress()).isEqualTo("10.32.0.1");
    // The service's Degraded counts them; status.skippedRealServers names them, with the reason.
    awaitDegraded("rsbad", Reasons.REAL_SERVERS_SKIPPED, "3 of 3 selected RealServers");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> h.vs("rsbad").getStatus().getSkippedRealServers().size() == 3);
    assertThat(h.vs("rsbad").getStatus().getSkippedRealServers())
        .extracting(k -> k.getName() + " " + k.getReason())
        .containsExactly(
            "ghost " + Reasons.REAL_SERVER_NODE_NOT_FOUND,
            "ondirector " + Reasons.REAL_SERVER_ON_DIRECTOR,
            "vipaddr " + Reasons.REAL_SERVER_ADDRESS_IS_VIP);
    assertThat(h.vs("rsbad").getStatus().getSkippedRealServers().get(2).getMessage())
        .contains("address 10.32.4.1 is the VIP");
    awaitEvent("ghost", Reasons.NODE_NOT_FOUND, "is not a node of the cluster");
    awaitEvent("vipaddr", Reasons.ADDRESS_IS_VIP, "is the VIP of VirtualService");
    awaitEvent("ondirector", Reasons.ON_DIRECTOR_NODE, "Direct Routing cannot forward");

    // Resolve each: the node appears, the address changes, the service serves locally.
    h.createNode(h.namespace + "-no-such-node", "10.32.0.99");
    edit("vipaddr", rs -> rs.getSpec().setAddress("10.32.4.8"));
    h.editVs(
        "rsbad",
        vs -> {
          var local = new dev.lvs.operator.api.v1alpha1.LocalNode();
          local.setEnabled(true);
          vs.getSpec().setLocalNode(local);
        });
    for (String rs : List.of("ghost", "vipaddr", "ondirector")) {
      h.awaitRsCondition(rs, Conditions.DEGRADED, "False", Reasons.AS_EXPECTED);
    }
    h.awaitCondition("rsbad", Conditions.DEGRADED, "False", Reasons.AS_EXPECTED);
    assertThat(h.vs("rsbad").getStatus().getSkippedRealServers()).isEmpty();
    // The operator writes the status first, then the Event.
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> !h.events("ghost", Reasons.RESOLVED).isEmpty());
  }

  @Test
  void aSelectorChangingUnderLoadNeverStopsTheReconciler() {
    h.createRs("load-a", "load-a", "10.32.5.7", n1);
    h.createRs("load-b", "load-b", "10.32.5.8", n2);
    h.createVs("load", "10.32.5.1", 80, label, "load-a");
    for (int i = 0; i < 40; i++) {
      String app = i % 2 == 0 ? "load-b" : "load-a";
      String bogus = i % 7 == 0 ? "Bogus" : "In";
      h.editVs(
          "load",
          vs -> {
            vs.getSpec().getRealServerSelector().setMatchLabels(Map.of("app", app));
            vs.getSpec()
                .getRealServerSelector()
                .setMatchExpressions(
                    List.of(
                        new io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder()
                            .withKey("app")
                            .withOperator(bogus)
                            .withValues(app)
                            .build()));
          });
    }
    // The last edit selects load-a with a valid expression: the status converges to it.
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () -> {
              VirtualService vs = h.vs("load");
              return vs.getStatus() != null
                  && vs.getMetadata().getGeneration().equals(vs.getStatus().getObservedGeneration())
                  && List.of(n1).equals(vs.getStatus().getRealServerNodes());
            });
    // And the operator still reacts to new input afterwards.
    h.createVs("after-load", "10.32.5.2", 80, label, "load-b");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                h.vs("after-load").getStatus() != null
                    && List.of(n2).equals(h.vs("after-load").getStatus().getRealServerNodes()));
  }

  private static void edit(String rs, java.util.function.Consumer<RealServer> change) {
    h.editRs(
        rs,
        r -> {
          change.accept(r);
        });
  }
}
