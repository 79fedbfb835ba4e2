package dev.lvs.operator.reconciler;

import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.status.GoneNodeEntries;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the {@code status.nodes} entries of deleted Nodes ({@link GoneNodeEntries} decides which)
 * with one JSON merge patch of the status: {@code {"status":{"nodes":{"<node>":null}}}}. Without a
 * resourceVersion, so it cannot conflict with the agents' writes; removing a key also drops its
 * field manager's ownership.
 */
final class NodeEntryPruner {
  private static final Logger log = LoggerFactory.getLogger(NodeEntryPruner.class);
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final GoneNodeEntries gone = new GoneNodeEntries();

  void prune(VirtualService vs, ClusterView view, KubernetesClient client) {
    SortedSet<String> nodes = gone.toRemove(vs, view);
    if (nodes.isEmpty()) {
      return;
    }
    Map<String, Object> entries = new LinkedHashMap<>();
    nodes.forEach(n -> entries.put(n, null));
    String json =
        client.getKubernetesSerialization().asJson(Map.of("status", Map.of("nodes", entries)));
    client
        .resources(VirtualService.class)
        .inNamespace(vs.getMetadata().getNamespace())
        .withName(vs.getMetadata().getName())
        .subresource("status")
        .patch(MERGE, json);
    gone.removed(vs, nodes);
    log.info("event=entries-removed vs={} nodes={} reason=node-deleted", ClusterView.id(vs), nodes);
  }

  void forget(VirtualService vs) {
    gone.forget(vs);
  }
}
