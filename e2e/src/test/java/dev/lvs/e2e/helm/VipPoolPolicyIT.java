package dev.lvs.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.Helm;
import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.api.pools.Pool;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolSpec;
import dev.lvs.operator.pools.PoolParams;
import dev.lvs.operator.pools.VipPoolReconciler;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, with {@code vipPools.enforcement=Enforce}, judged by a
 * real kube-apiserver. Its parameter is the ConfigMap that the operator writes, computed here by
 * the operator's own {@link PoolParams}, so the policy's CEL and the operator's folding of pools
 * are tested together. The binding is narrowed to this test's namespaces (a label), so the other
 * ITs sharing the API server are not affected.
 */
class VipPoolPolicyIT {
  private static final Path CHART = TestApiServer.repo().resolve("helm/lvs-operator");
  private static final String RELEASE = "pooltest";
  private static final String SCOPE_LABEL = "lvs-test/vip-pools";

  private static KubernetesClient client;
  private static String paramsNamespace;
  private static String web;
  private static String db;

  @BeforeAll
  static void install() {
    TestApiServer api = TestApiServer.get();
    client = api.newClient();
    paramsNamespace = api.freshNamespace("pool-params");
    web = api.freshNamespace("pool-web");
    db = api.freshNamespace("pool-db");
    for (String ns : List.of(web, db)) {
      client
          .namespaces()
          .withName(ns)
          .edit(
              n -> {
                n.getMetadata().getLabels().put(SCOPE_LABEL, "true");
                n.getMetadata().getLabels().put("team", ns.equals(web) ? "web" : "db");
                return n;
              });
    }
    String yaml =
        Helm.run(
            "template",
            RELEASE,
            CHART.toString(),
            "-n",
            paramsNamespace,
            "--set",
            "vipPools.enforcement=Enforce",
            "--show-only",
            "templates/vip-pool-policy.yaml");
    List<HasMetadata> objects =
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    assertThat(objects).hasSize(2);
    for (HasMetadata o : objects) {
      if (o instanceof ValidatingAdmissionPolicyBinding b) {
        b.getSpec()
            .setMatchResources(
                new io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResourcesBuilder()
                    .withNamespaceSelector(
                        new LabelSelectorBuilder()
                            .withMatchLabels(Map.of(SCOPE_LABEL, "true"))
                            .build())
                    .build());
      }
      client.resource(o).serverSideApply();
    }
  }

  @AfterAll
  static void uninstall() {
    if (client != null) {
      client
          .admissionRegistration()
          .v1()
          .validatingAdmissionPolicyBindings()
          .withName(RELEASE + "-lvs-operator-vip-pools")
          .delete();
      client
          .admissionRegistration()
          .v1()
          .validatingAdmissionPolicies()
          .withName(RELEASE + "-lvs-operator-vip-pools")
          .delete();
      client.close();
    }
  }

  private static Pool pool(String name, String team, String... addresses) {
    VipPool p = new VipPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of(addresses));
    if (team != null) {
      spec.setNamespaceSelector(
          new LabelSelectorBuilder().withMatchLabels(Map.of("team", team)).build());
    }
    p.setSpec(spec);
    return Pool.of(p);
  }

  private static Node node(String name, String ip) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(ip)
        .endAddress()
        .endStatus()
        .build();
  }

  /** Writes the parameter as the operator would, from these pools. */
  private static void params(List<Pool> pools) {
    List<Namespace> namespaces = client.namespaces().list().getItems();
    Map<String, String> data =
        PoolParams.data(pools, namespaces, List.of(node("rs2", "198.51.100.12")));
    client
        .configMaps()
        .inNamespace(paramsNamespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(VipPoolReconciler.PARAMS_NAME)
                .withNamespace(paramsNamespace)
                .endMetadata()
                .withData(data)
                .build())
        .serverSideApply();
  }

  private static GenericKubernetesResource vs(String ns, String name, String vip) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("lvs.dev/v1alpha1");
    r.setKind("VirtualService");
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        Serialization.unmarshal(
            "vip: "
                + vip
                + "\nport: 80\ndirectors: {matchLabels: {lvs.dev/director: \"true\"}}\n"
                + "realServerSelector: {matchLabels: {app: web}}\n",
            Map.class);
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  private static String rejection(GenericKubernetesResource r) {
    try {
      client.resource(r).create();
      client.resource(r).delete();
      return null;
    } catch (KubernetesClientException e) {
      return e.getCode() + " " + e.getStatus().getMessage();
    }
  }

  @Test
  void thePolicyAdmitsOnlyVipsInAPoolThatAdmitsTheNamespace() {
    params(
        List.of(
            pool("web-pool", "web", "203.0.113.0/28", "203.0.113.100-203.0.113.110"),
            pool("shared", null, "192.0.2.0/24")));
    // The policy and binding take a moment to be loaded by the API server.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rejection(vs(db, "probe", "203.0.113.1")) != null);

    assertThat(rejection(vs(web, "in-cidr", "203.0.113.5"))).isNull();
    assertThat(rejection(vs(web, "in-range", "203.0.113.107"))).isNull();
    assertThat(rejection(vs(db, "shared", "192.0.2.9"))).isNull();

    assertThat(rejection(vs(web, "outside", "203.0.113.99")))
        .startsWith("422")
        .contains(
            "spec.vip: 203.0.113.99 is in no VipPool that admits namespace "
                + web
                + "; pools considered: ")
        // CEL's map order, not sorted.
        .containsAnyOf("considered: shared, web-pool", "considered: web-pool, shared");
    assertThat(rejection(vs(db, "wrong-namespace", "203.0.113.5")))
        .contains("spec.vip: 203.0.113.5 is in no VipPool that admits namespace " + db);
    assertThat(rejection(vs(db, "node-ip", "198.51.100.12")))
        .contains("spec.vip: 198.51.100.12 is a Node's address");
  }

  @Test
  void anUnchangedVipStaysEditableAfterItsPoolIsGoneButCannotMoveOutside() {
    params(List.of(pool("edit-pool", null, "198.18.0.0/24", "2001:db8:5::/64")));
    GenericKubernetesResource ok = vs(web, "editable", "2001:db8:5::10");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rejection(vs(web, "x", "2001:db8:6::1")) != null);
    client.resource(ok).create();
    params(List.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rejection(vs(web, "y", "2001:db8:5::11")) != null);
    // A label edit (same VIP) passes: finalizers and edits of pre-pool objects keep working.
    GenericKubernetesResource current =
        client
            .genericKubernetesResources("lvs.dev/v1alpha1", "VirtualService")
            .inNamespace(web)
            .withName("editable")
            .get();
    current.getMetadata().setLabels(Map.of("edited", "yes"));
    client.resource(current).update();
    // Moving it to another address outside every pool does not.
    GenericKubernetesResource moved =
        client
            .genericKubernetesResources("lvs.dev/v1alpha1", "VirtualService")
            .inNamespace(web)
            .withName("editable")
            .get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) moved.getAdditionalProperties().get("spec");
    spec.put("vip", "2001:db8:5::12");
    assertThatThrownBy(() -> client.resource(moved).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("pools considered: none (a cluster admin must create a VipPool)");
    client.resource(current).delete();
  }
}
