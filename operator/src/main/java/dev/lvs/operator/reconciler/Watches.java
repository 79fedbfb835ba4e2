package dev.lvs.operator.reconciler;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.Nodes;
import dev.lvs.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

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

  /** A VirtualService change that can alter other services: its spec (key, VIP), its deletion. */
  static boolean virtualServiceSpecChanged(VirtualService now, VirtualService before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  static boolean inConflict(VirtualService vs) {
    return vs.getStatus() != null
        && Conditions.isTrue(vs.getStatus().getConditions(), Conditions.CONFLICT);
  }

  /** The agents' reports; a status without them counts as none, as does no status. */
  static Map<String, NodeReport> nodes(VirtualService vs) {
    return vs.getStatus() == null || vs.getStatus().getNodes() == null
        ? Map.of()
        : vs.getStatus().getNodes();
  }

  static Map<String, String> labels(HasMetadata r) {
    return r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
  }

  static Set<ResourceID> ids(Collection<? extends HasMetadata> resources) {
    Set<ResourceID> ids = new HashSet<>();
    resources.forEach(r -> ids.add(ResourceID.fromResource(r)));
    return ids;
  }

  /**
   * Maps a change of a watched object to the primaries it affects. {@code before} is the object the
   * change replaced, or null when the object appeared or disappeared ({@code now} is then the
   * object itself, as last seen).
   */
  @FunctionalInterface
  interface ChangeMapper<R> {
    Set<ResourceID> map(R before, R now);
  }

  /**
   * An informer event source whose secondary-to-primary mapping sees both sides of an update: a
   * RealServer whose labels changed affects the services that selected it before and those that
   * select it now. JOSDK hands a {@code SecondaryToPrimaryMapper} only the new object, but calls it
   * on the informer's thread from within {@code onUpdate(old, new)}; the old object is kept for
   * that call.
   *
   * <p>The {@code PrimaryToSecondaryMapper} answers {@code Context.getSecondaryResources} from the
   * caches. Without one JOSDK keeps its own primary-to-secondary index, which calls the mapper on
   * every event, filtered or not, and holds a set of secondaries per primary: all RealServers of
   * the namespace per VirtualService when every service depended on every server.
   *
   * <p>The indexers are added before the informer starts, as JOSDK requires.
   */
  static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> informer(
      InformerEventSourceConfiguration.Builder<R> config,
      Map<String, Function<R, List<String>>> indexers,
      ChangeMapper<R> toPrimaries,
      PrimaryToSecondaryMapper<P> toSecondaries,
      EventSourceContext<P> ctx) {
    ThreadLocal<R> replaced = new ThreadLocal<>();
    config
        .withSecondaryToPrimaryMapper(now -> toPrimaries.map(replaced.get(), now))
        .withPrimaryToSecondaryMapper(toSecondaries);
    InformerEventSource<R, P> source =
        new InformerEventSource<>(config.build(), ctx) {
          @Override
          public void onUpdate(R before, R now) {
            replaced.set(before);
            try {
              super.onUpdate(before, now);
            } finally {
              replaced.remove();
            }
          }
        };
    source.addIndexers(indexers);
    return source;
  }
}
