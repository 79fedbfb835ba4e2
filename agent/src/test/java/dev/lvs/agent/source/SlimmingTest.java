package dev.lvs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlimmingTest {

  static VirtualService vsWithReports(int nodes) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("default")
            .withGeneration(3L)
            .withLabels(Map.of("app", "web"))
            .withManagedFields(
                new ManagedFieldsEntryBuilder()
                    .withManager("lvs-agent-n1")
                    .withOperation("Apply")
                    .build())
            .build());
    VirtualServiceStatus status = new VirtualServiceStatus();
    Map<String, NodeReport> reports = new LinkedHashMap<>();
    for (int i = 0; i < nodes; i++) {
      NodeReport r = new NodeReport();
      r.setState("Applied");
      r.setObservedGeneration(3L);
      reports.put("n" + i, r);
    }
    status.setNodes(reports);
    status.setConditions(
        List.of(
            new ConditionBuilder().withType("Ready").withStatus("True").withMessage("ok").build()));
    vs.setStatus(status);
    return vs;
  }

  @Test
  void aVirtualServiceKeepsOnlyThisNodesEntryAndNoManagedFields() {
    VirtualService vs = vsWithReports(500);
    int before = Serialization.asJson(vs).length();
    Slimming.slim(vs, "n7");
    assertThat(vs.getMetadata().getManagedFields()).isNull();
    assertThat(vs.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(vs.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(vs.getStatus().getNodes()).containsOnlyKeys("n7");
    assertThat(vs.getStatus().getConditions()).isEmpty();
    assertThat(Serialization.asJson(vs).length()).isLessThan(before / 50);

    VirtualService other = vsWithReports(3);
    Slimming.slim(other, "elsewhere");
    assertThat(other.getStatus().getNodes()).isEmpty();
  }

  @Test
  void aRealServerKeepsItsVipsAndANodeItsAddressesAndReadiness() {
    RealServer rs = new RealServer();
    rs.setMetadata(new ObjectMetaBuilder().withName("rs1").withNamespace("default").build());
    RealServerStatus s = new RealServerStatus();
    s.setVips(List.of("172.16.58.1"));
    s.setAddress("172.16.58.7");
    s.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True").build()));
    rs.setStatus(s);
    Slimming.slim(rs, "rs1");
    assertThat(rs.getStatus().getVips()).containsExactly("172.16.58.1");
    assertThat(rs.getStatus().getAddress()).isEqualTo("172.16.58.7");
    assertThat(rs.getStatus().getConditions()).isEmpty();

    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("rs1")
            .withLabels(Map.of("lvs.dev/director", "true"))
            .endMetadata()
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress("172.16.58.7")
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .withImages(
                new ContainerImageBuilder().withNames("registry/big:1").withSizeBytes(1L).build())
            .endStatus()
            .build();
    Slimming.slim(node, "rs1");
    assertThat(node.getStatus().getImages()).isNull();
    assertThat(node.getStatus().getAddresses()).hasSize(1);
    assertThat(node.getStatus().getConditions()).hasSize(1);
    assertThat(node.getMetadata().getLabels()).containsEntry("lvs.dev/director", "true");
  }

  @Test
  void theStoreSlimsWhatItStoresUnderTheInformersKey() {
    ItemStore<VirtualService> store = Slimming.store("n1");
    VirtualService vs = vsWithReports(3);
    String key = store.getKey(vs);
    assertThat(key).isEqualTo("default/web");
    store.put(key, vs);
    assertThat(store.get(key).getStatus().getNodes()).containsOnlyKeys("n1");
    assertThat(store.get(key).getMetadata().getManagedFields()).isNull();
  }
}
