package dev.lvs.operator;

import dev.lvs.operator.api.v1alpha1.LocalNode;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for API objects in unit tests. */
public final class Fixtures {
  private Fixtures() {}

  public static final String NS = "web";
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  public static VirtualService vs(String name, String vip, int port) {
    return vs(NS, name, vip, port, T0);
  }

  public static VirtualService vs(String ns, String name, String vip, int port, Instant created) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(ns)
            .withName(name)
            .withUid("uid-" + ns + "-" + name)
            .withGeneration(1L)
            .withCreationTimestamp(created.toString())
            .build());
    VirtualServiceSpec spec = new VirtualServiceSpec();
    spec.setVip(vip);
    spec.setPort(port);
    spec.setDirectors(new LabelSelectorBuilder().addToMatchLabels("role", "director").build());
    spec.setRealServerSelector(new LabelSelectorBuilder().addToMatchLabels("app", name).build());
    vs.setSpec(spec);
    return vs;
  }

  public static VirtualService localNode(VirtualService vs) {
    LocalNode l = new LocalNode();
    l.setEnabled(true);
    vs.getSpec().setLocalNode(l);
    return vs;
  }

  public static RealServer rs(String name, String app, String address, String nodeName) {
    RealServer rs = new RealServer();
    rs.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(NS)
            .withName(name)
            .withUid("uid-rs-" + name)
            .withGeneration(1L)
            .withCreationTimestamp(T0.toString())
            .withLabels(Map.of("app", app))
            .build());
    RealServerSpec spec = new RealServerSpec();
    spec.setAddress(address);
    spec.setNodeName(nodeName);
    spec.setWeight(1);
    rs.setSpec(spec);
    return rs;
  }

  public static Node node(String name, String internalIp, boolean ready, String... labels) {
    Map<String, String> l = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(l)
        .endMetadata()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(internalIp)
        .endAddress()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  public static Node director(String name, String ip) {
    return node(name, ip, true, "role", "director");
  }

  /** An agent's report as it would server-side-apply it. */
  public static NodeReport report(
      String role, long generation, String state, Map<String, Long> realServerGenerations) {
    NodeReport r = new NodeReport();
    r.setRoles(List.of(role));
    r.setObservedGeneration(generation);
    r.setState(state);
    r.setRealServerGenerations(new LinkedHashMap<>(realServerGenerations));
    r.setLastUpdateTime(T0.toString());
    return r;
  }

  public static void putReport(VirtualService vs, String node, NodeReport r) {
    if (vs.getStatus() == null) {
      vs.setStatus(new VirtualServiceStatus());
    }
    vs.getStatus().getNodes().put(node, r);
  }

  public static void setVips(RealServer rs, String... vips) {
    if (rs.getStatus() == null) {
      rs.setStatus(new RealServerStatus());
    }
    rs.getStatus().setVips(List.of(vips));
  }

  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T deleting(
      T obj, Instant when) {
    obj.getMetadata().setDeletionTimestamp(when.toString());
    return obj;
  }
}
