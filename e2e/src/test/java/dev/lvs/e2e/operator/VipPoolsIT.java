package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolSpec;
import dev.lvs.operator.pools.VipPoolReconciler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's vip-pools controller on a real API server: it folds the VipPools into the
 * admission policy's parameter ConfigMap and keeps each pool's status (usable or why not, and how
 * many VirtualServices use it), following pools, namespaces, nodes and services as they change.
 */
class VipPoolsIT {
  private static OperatorHarness h;
  private static final String POOL = "itpool-" + System.nanoTime() % 100000;
  private static final String BAD = POOL + "-typo";

  @BeforeAll
  static void start() {
    h = new OperatorHarness("vp");
    h.createNode(h.namespace + "-n1", "10.38.0.11");
    h.startOperator("vp-op", "--vip-pools=Enforce");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.client.resources(VipPool.class).withName(POOL).delete();
      h.client.resources(VipPool.class).withName(BAD).delete();
      h.close();
    }
  }

  private static VipPool pool(String name, String namespace, String... addresses) {
    VipPool p = new VipPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of(addresses));
    spec.setNamespaceSelector(
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace))
            .build());
    p.setSpec(spec);
    return p;
  }

  private static Map<String, String> params() {
    ConfigMap cm =
        h.client
            .configMaps()
            .inNamespace(h.operatorNamespace)
            .withName(VipPoolReconciler.PARAMS_NAME)
            .get();
    return cm == null || cm.getData() == null ? Map.of() : cm.getData();
  }

  private static VipPool get(String name) {
    return h.client.resources(VipPool.class).withName(name).get();
  }

  @Test
  void poolsReachTheParameterAndTheirStatus() {
    h.client.resource(pool(POOL, h.namespace, "10.38.1.0/28", "10.38.2.10-10.38.2.12")).create();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(params())
                    .containsEntry(
                        "pool." + POOL + ".cidrs", "10.38.1.0/28,10.38.2.10/31,10.38.2.12/32")
                    .containsEntry("pool." + POOL + ".namespaces", h.namespace));
    assertThat(params().get("forbidden.cidrs")).contains("10.38.0.11/32");

    h.createVs("web", "10.38.1.3", 80, "lvs.dev/director-" + h.namespace, "web");
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () -> {
              VipPool p = get(POOL);
              assertThat(p.getStatus()).isNotNull();
              assertThat(p.getStatus().getAssigned()).isEqualTo(1);
              assertThat(p.getStatus().getConditions().get(0).getStatus()).isEqualTo("True");
            });

    // A node that appears is forbidden at once; a pool with a reversed range (which the CRD's CEL
    // cannot see: it cannot compare addresses) is reported, naming the entry.
    h.createNode(h.namespace + "-n2", "10.38.0.12");
    h.client.resource(pool(BAD, h.namespace, "10.38.3.20-10.38.3.10")).create();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(params().get("forbidden.cidrs")).contains("10.38.0.12/32");
              assertThat(params()).containsEntry("pool." + BAD + ".cidrs", "");
              var c = get(BAD).getStatus().getConditions().get(0);
              assertThat(c.getReason()).isEqualTo("Invalid");
              assertThat(c.getMessage())
                  .isEqualTo(
                      "spec.addresses[0]: \"10.38.3.20-10.38.3.10\" is not a range: its first"
                          + " address is after its last");
            });

    h.client.resources(VipPool.class).withName(BAD).delete();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(() -> assertThat(params()).doesNotContainKey("pool." + BAD + ".cidrs"));
    // The pool shrinks under the live service: with --vip-pools=Enforce it is not Ready any more,
    // reason VipNotInPool, naming the field and the pool.
    assertThat(h.vs("web").getStatus().getConditions())
        .noneMatch(c -> "VipNotInPool".equals(c.getReason()));
    h.client
        .resources(VipPool.class)
        .withName(POOL)
        .edit(
            p -> {
              p.getSpec().setAddresses(List.of("10.38.2.10-10.38.2.12"));
              return p;
            });
    h.awaitCondition("web", "Ready", "False", "VipNotInPool");
    assertThat(
            OperatorHarness.condition(h.vs("web").getStatus().getConditions(), "Ready")
                .orElseThrow()
                .getMessage())
        .startsWith("spec.vip: 10.38.1.3 is in no VipPool that admits namespace " + h.namespace)
        .contains(POOL + " (does not contain it)");
  }
}
