package dev.lvs.agent.fake;

import dev.lvs.operator.api.v1alpha1.LocalNode;
import dev.lvs.operator.api.v1alpha1.Persistence;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.function.Consumer;

/** Builders of API objects shaped like examples/dr-web.yaml. */
public final class TestObjects {
  private TestObjects() {}

  public static final LabelSelector DIRECTORS =
      new LabelSelectorBuilder().withMatchLabels(Map.of("lvs.dev/director", "true")).build();

  /** VirtualService default/web: 172.16.58.1:80 TCP wlc, directors labelled, servers app=web. */
  public static VirtualService web() {
    return vs("web", "172.16.58.1", 80, s -> {});
  }

  public static VirtualService vs(
      String name, String vip, int port, Consumer<VirtualServiceSpec> customize) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("default")
            .withGeneration(1L)
            .withCreationTimestamp("2024-01-01T00:00:00Z")
            .build());
    VirtualServiceSpec spec = new VirtualServiceSpec();
    spec.setVip(vip);
    spec.setPort(port);
    spec.setDirectors(DIRECTORS);
    spec.setRealServerSelector(
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build());
    customize.accept(spec);
    vs.setSpec(spec);
    return vs;
  }

  public static RealServer rs(String name, String address, String nodeName, Integer weight) {
    RealServer rs = new RealServer();
    rs.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("default")
            .withGeneration(3L)
            .withLabels(Map.of("app", "web"))
            .build());
    RealServerSpec spec = new RealServerSpec();
    spec.setAddress(address);
    spec.setNodeName(nodeName);
    spec.setWeight(weight);
    rs.setSpec(spec);
    return rs;
  }

  public static Node node(String name, Map<String, String> labels, String... internalIps) {
    NodeBuilder b =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    var status = b.withNewStatus();
    for (String ip : internalIps) {
      status.addNewAddress().withType("InternalIP").withAddress(ip).endAddress();
    }
    return status.endStatus().build();
  }

  /**
   * The node with a Ready condition of {@code status} (True, False, Unknown) beside a
   * MemoryPressure=False one, as a kubelet and the node lifecycle controller write them.
   */
  public static Node withReady(Node node, String status) {
    return new NodeBuilder(node)
        .editStatus()
        .withConditions()
        .addNewCondition()
        .withType("MemoryPressure")
        .withStatus("False")
        .endCondition()
        .addNewCondition()
        .withType("Ready")
        .withStatus(status)
        .withReason("True".equals(status) ? "KubeletReady" : "NodeStatusUnknown")
        .withLastHeartbeatTime("2024-01-01T00:00:00Z")
        .endCondition()
        .endStatus()
        .build();
  }

  public static Node director(String name, String... internalIps) {
    return node(name, Map.of("lvs.dev/director", "true"), internalIps);
  }

  public static Persistence persistence(int timeout, String netmask, Integer prefix) {
    Persistence p = new Persistence();
    p.setTimeoutSeconds(timeout);
    p.setNetmask(netmask);
    p.setPrefixLength(prefix);
    return p;
  }

  public static LocalNode localNode(Integer weight) {
    LocalNode l = new LocalNode();
    l.setEnabled(true);
    l.setWeight(weight);
    return l;
  }
}
