package dev.lvs.agent.source;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the agent's informers keep of each object: only what an agent reads. Every agent caches
 * every VirtualService, RealServer and Node of the cluster, and with {@code managedFields}, the
 * other nodes' {@code status.nodes} entries and a Node's image list that is most of each object's
 * size. Dropped before the object is stored (and so before the event handlers see it): {@code
 * metadata.managedFields} everywhere; of a VirtualService's status all but this node's entry of
 * {@code status.nodes} (which the reporter compares its next write with); of a RealServer's status
 * the operator's conditions; of a Node's status its images and volumes.
 */
final class Slimming {
  private Slimming() {}

  /** An informer store that slims each object as it is stored. */
  static <T extends HasMetadata> ItemStore<T> store(String nodeName) {
    return new BasicItemStore<>(Cache::metaNamespaceKeyFunc) {
      @Override
      public T put(String key, T obj) {
        slim(obj, nodeName);
        return super.put(key, obj);
      }
    };
  }

  /** Slims {@code obj} in place (it is the informer's own copy, just deserialized). */
  static void slim(HasMetadata obj, String nodeName) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    if (obj instanceof VirtualService vs && vs.getStatus() != null) {
      VirtualServiceStatus kept = new VirtualServiceStatus();
      Map<String, NodeReport> nodes = vs.getStatus().getNodes();
      if (nodes != null && nodes.containsKey(nodeName)) {
        Map<String, NodeReport> mine = new LinkedHashMap<>();
        mine.put(nodeName, nodes.get(nodeName));
        kept.setNodes(mine);
      }
      vs.setStatus(kept);
    } else if (obj instanceof RealServer rs && rs.getStatus() != null) {
      RealServerStatus kept = new RealServerStatus();
      kept.setVips(rs.getStatus().getVips());
      kept.setVipsObservedAt(rs.getStatus().getVipsObservedAt());
      kept.setAddress(rs.getStatus().getAddress());
      rs.setStatus(kept);
    } else if (obj instanceof Node node && node.getStatus() != null) {
      node.getStatus().setImages(null);
      node.getStatus().setVolumesAttached(null);
      node.getStatus().setVolumesInUse(null);
    }
  }
}
