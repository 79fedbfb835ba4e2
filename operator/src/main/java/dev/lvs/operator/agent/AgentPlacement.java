package dev.lvs.operator.agent;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where agents must run: every existing node that is a director or a real-server node of a
 * VirtualService that is not a conflict loser, plus every existing node that still reports state in
 * some {@code status.nodes} (so an agent that lost its role keeps running until it has removed its
 * kernel state and cleared its entry, e.g. after a RealServer moved away or while a deleted service
 * drains). Nodes that do not exist are left out: a Node event recomputes the set.
 *
 * <p>These nodes get the agent label; a node leaves the set by losing its role and entries, but
 * keeps its label until its agent reports owning nothing ({@link AgentNodeLabels}).
 */
public final class AgentPlacement {
  private AgentPlacement() {}

  public static SortedSet<String> agentNodes(ClusterView view) {
    SortedSet<String> nodes = new TreeSet<>();
    for (VirtualService vs : view.virtualServices()) {
      if (!view.isConflictLoser(vs)) {
        nodes.addAll(view.directorNodes(vs));
        for (RealServer rs : view.selectedRealServers(vs)) {
          if (rs.getSpec() != null && rs.getSpec().getNodeName() != null) {
            nodes.add(rs.getSpec().getNodeName());
          }
        }
      }
      if (vs.getStatus() != null && vs.getStatus().getNodes() != null) {
        nodes.addAll(vs.getStatus().getNodes().keySet());
      }
    }
    nodes.removeIf(n -> view.node(n).isEmpty());
    return nodes;
  }
}
