package dev.lvs.operator.status;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Decides which {@code status.nodes} entries the operator removes: those of nodes whose Node object
 * no longer exists. A Node that is gone means the node is gone: its agent pod is deleted with it,
 * so nobody else would ever remove the entry (an agent clears only its own entry, and only while it
 * runs). A node that exists but is not Ready keeps its entry: its agent may come back.
 *
 * <p>Each entry is removed once per disappearance of its node. An entry that is there again
 * afterwards, while the Node is still missing, was written by an agent still running under that
 * name (or is the cache not yet showing the removal); removing it again would fight that agent, so
 * it stays, and the agent clears it itself once it stops. When the Node comes back, the memory of
 * its removals is forgotten. The memory is this replica's: after a restart an entry may be removed
 * once more.
 */
public final class GoneNodeEntries {
  /** Node name: the uids of the VirtualServices whose entry of it was removed since it went. */
  private final Map<String, Set<String>> removed = new HashMap<>();

  /** The entries of {@code vs} to remove now, by node name. */
  public synchronized SortedSet<String> toRemove(VirtualService vs, ClusterView view) {
    removed.keySet().removeIf(node -> view.node(node).isPresent());
    SortedSet<String> out = new TreeSet<>();
    Map<String, NodeReport> nodes = vs.getStatus() == null ? null : vs.getStatus().getNodes();
    if (nodes == null) {
      return out;
    }
    String uid = vs.getMetadata().getUid();
    for (String node : nodes.keySet()) {
      if (view.node(node).isEmpty() && !removed.getOrDefault(node, Set.of()).contains(uid)) {
        out.add(node);
      }
    }
    return out;
  }

  /** Records that the entries of {@code nodes} were removed from {@code vs}. */
  public synchronized void removed(VirtualService vs, Collection<String> nodes) {
    for (String node : nodes) {
      removed.computeIfAbsent(node, n -> new HashSet<>()).add(vs.getMetadata().getUid());
    }
  }

  /** Forgets a VirtualService that is gone. */
  public synchronized void forget(VirtualService vs) {
    String uid = vs.getMetadata().getUid();
    removed.values().forEach(uids -> uids.remove(uid));
    removed.values().removeIf(Set::isEmpty);
  }
}
