package dev.lvs.operator.reconciler;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.Nodes;
import dev.lvs.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What each controller watches besides its primary, and which changes matter. The filters keep the
 * event rate proportional to meaningful change: kubelet heartbeats on Nodes, or the operator's own
 * status writes, do not fan out to every object.
 */
final class Watches {
  private Watches() {}

  static final String VIRTUAL_SERVICES = "virtualservices";
  static final String REAL_SERVERS = "realservers";
  static final String NODES = "nodes";
  static final String DAEMON_SETS = "daemonsets";

  /** A Node change that can alter selection, addresses or agent liveness. */
  static boolean nodeChanged(Node now, Node before) {
    return !Objects.equals(labels(now), labels(before))
        || !Objects.equals(Nodes.internalIps(now), Nodes.internalIps(before))
        || !Objects.equals(Nodes.readyStatus(now), Nodes.readyStatus(before))
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  /** A RealServer change that alters what services select or program. */
  static boolean realServerSpecChanged(RealServer now, RealServer before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(labels(now), labels(before))
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  /** A VirtualService change that can alter other objects: spec, deletion, conflict, reports. */
  static boolean virtualServiceChanged(VirtualService now, VirtualService before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || inConflict(now) != inConflict(before)
        || !Objects.equals(nodes(now), nodes(before));
  }

  /** A VirtualService change that can alter vip/port/protocol conflicts. */
  static boolean virtualServiceKeyChanged(VirtualService now, VirtualService before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  static boolean inConflict(VirtualService vs) {
    return vs.getStatus() != null
        && Conditions.isTrue(vs.getStatus().getConditions(), Conditions.CONFLICT);
  }

  private static Object nodes(VirtualService vs) {
    return vs.getStatus() == null ? Map.of() : vs.getStatus().getNodes();
  }

  private static Map<String, String> labels(HasMetadata r) {
    return r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
  }

  static Set<ResourceID> ids(Stream<? extends HasMetadata> resources) {
    return resources.map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** All cached objects of an informer event source registered under {@code name}. */
  @SuppressWarnings("unchecked")
  static <R extends HasMetadata> List<R> list(Context<?> ctx, Class<R> type, String name) {
    var source =
        (InformerEventSource<R, ?>) ctx.eventSourceRetriever().getEventSourceFor(type, name);
    return source.list().toList();
  }

  /** A view built from the controller's caches. */
  static ClusterView view(
      List<VirtualService> virtualServices, List<RealServer> realServers, List<Node> nodes) {
    return new ClusterView(virtualServices, realServers, nodes);
  }
}
