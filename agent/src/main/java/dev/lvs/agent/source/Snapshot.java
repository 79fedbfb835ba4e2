package dev.lvs.agent.source;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/** The API objects a sync computes from, as one source sees them at one moment. */
public record Snapshot(
    List<VirtualService> virtualServices, List<RealServer> realServers, List<Node> nodes) {
  public static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), List.of());

  public Snapshot {
    virtualServices = List.copyOf(virtualServices);
    realServers = List.copyOf(realServers);
    nodes = List.copyOf(nodes);
  }
}
