package dev.lvs.operator.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.pools.Pool;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolSpec;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolParamsTest {

  static VipPool vipPool(String name, Map<String, String> nsLabels, String... addresses) {
    VipPool p = new VipPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(2L).build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of(addresses));
    if (nsLabels != null) {
      spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(nsLabels).build());
    }
    p.setSpec(spec);
    return p;
  }

  static Namespace ns(String name, String team) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("team", team))
        .endMetadata()
        .build();
  }

  static Node node(String name, String internal, String external) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(internal)
        .endAddress()
        .addNewAddress()
        .withType("ExternalIP")
        .withAddress(external)
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(name)
        .endAddress()
        .endStatus()
        .build();
  }

  static VirtualService vs(String vip) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withName("vs-" + vip).withNamespace("a").build());
    VirtualServiceSpec spec = new VirtualServiceSpec();
    spec.setVip(vip);
    vs.setSpec(spec);
    return vs;
  }

  @Test
  void poolsAreFoldedIntoCidrsAndAdmittedNamespacesForTheAdmissionPolicy() {
    List<Pool> pools =
        List.of(
            Pool.of(vipPool("web", Map.of("team", "web"), "10.0.0.1-10.0.0.6", "2001:db8::/120")),
            Pool.of(vipPool("open", null, "192.0.2.7")));
    Map<String, String> data =
        PoolParams.data(
            pools,
            List.of(ns("shop", "web"), ns("blog", "web"), ns("db", "db")),
            List.of(node("rs2", "172.16.58.8", "203.0.113.8")));
    assertThat(data)
        .containsEntry(
            "pool.web.cidrs",
            "10.0.0.1/32,10.0.0.2/31,10.0.0.4/31,10.0.0.6/32,2001:db8:0:0:0:0:0:0/120")
        .containsEntry("pool.web.namespaces", "blog,shop")
        .containsEntry("pool.open.cidrs", "192.0.2.7/32")
        .containsEntry("pool.open.namespaces", "*");
    assertThat(data.get(PoolParams.FORBIDDEN_KEY))
        .contains("127.0.0.0/8", "169.254.0.0/16", "fe80:0:0:0:0:0:0:0/10")
        .endsWith("172.16.58.8/32,203.0.113.8/32");
  }

  @Test
  void aPoolsStatusSaysWhetherItIsUsableAndCountsTheServicesInIt() {
    VipPool web = vipPool("web", null, "10.0.0.0/29");
    VipPool typo = vipPool("typo", null, "10.1.0.5/24");
    VipPool overlapping = vipPool("overlapping", null, "10.0.0.4-10.0.0.20");
    List<Pool> all = List.of(Pool.of(web), Pool.of(typo));
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    var ok =
        PoolStatuses.of(web, all, List.of(vs("10.0.0.1"), vs("10.0.0.2"), vs("10.9.9.9")), now);
    assertThat(ok.getAssigned()).isEqualTo(2);
    assertThat(ok.getConditions().get(0).getStatus()).isEqualTo("True");

    var bad = PoolStatuses.of(typo, all, List.of(), now);
    assertThat(bad.getConditions().get(0).getReason()).isEqualTo("Invalid");
    assertThat(bad.getConditions().get(0).getMessage())
        .isEqualTo(
            "spec.addresses[0]: \"10.1.0.5/24\" has host bits set: did you mean 10.1.0.0/24?");

    var overlaps =
        PoolStatuses.of(overlapping, List.of(Pool.of(web), Pool.of(overlapping)), List.of(), now);
    assertThat(overlaps.getConditions().get(0).getReason()).isEqualTo("Overlaps");
    assertThat(overlaps.getConditions().get(0).getMessage())
        .isEqualTo("overlaps VipPool web (10.0.0.4-10.0.0.20 and 10.0.0.0-10.0.0.7)");

    // Unchanged: no write (the transition time is kept, and ignored in the comparison).
    web.setStatus(ok);
    assertThat(
            PoolStatuses.same(
                PoolStatuses.of(
                    web, all, List.of(vs("10.0.0.1"), vs("10.0.0.2")), now.plusSeconds(60)),
                ok))
        .isTrue();
  }
}
