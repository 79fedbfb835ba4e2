package dev.lvs.agent.source;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/**
 * The API objects a sync computes from, as one source sees them at one moment. VipPools and
 * Namespaces (for the pools' namespace selectors) come only from the Kubernetes API; manifests have
 * none.
 */
public record Snapshot(
    List<VirtualService> virtualServices,
    List<RealServer> realServers,
    List<Node> nodes,
    List<VipPool> vipPools,
    List<Namespace> namespaces) {
  public static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of());

  public Snapshot {
    virtualServices = List.copyOf(virtualServices);
    realServers = List.copyOf(realServers);
    nodes = List.copyOf(nodes);
    vipPools = List.copyOf(vipPools);
    namespaces = List.copyOf(namespaces);
  }

  /** A snapshot without pools or namespaces (manifests, tests). */
  public Snapshot(
      List<VirtualService> virtualServices, List<RealServer> realServers, List<Node> nodes) {
    this(virtualServices, realServers, nodes, List.of(), List.of());
  }
}
