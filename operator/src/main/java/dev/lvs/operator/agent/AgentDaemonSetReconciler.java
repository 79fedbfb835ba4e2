package dev.lvs.operator.agent;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.config.AgentConfig;
import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.Indexes;
import dev.lvs.operator.reconciler.Caches;
import dev.lvs.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the one agent DaemonSet in the operator's namespace equal to what {@link
 * AgentDaemonSetRenderer} makes of the configuration and the current {@link AgentPlacement}.
 *
 * <p>The DaemonSet is a singleton that depends on every VirtualService, RealServer and Node, so it
 * has no natural custom-resource primary. The primary is the operator's own Namespace (selected by
 * its {@code kubernetes.io/metadata.name} label, so the informer holds one object); VirtualService,
 * RealServer, Node and DaemonSet informers map every relevant change to it. JOSDK then gives the
 * DaemonSet the same guarantees as any reconcile: one at a time, events coalesced, retries,
 * metrics, and nothing before this replica leads.
 *
 * <p>Placement is a node label ({@link AgentNodeLabels}): each reconcile labels the nodes of the
 * current {@link AgentPlacement} and unlabels those that have no role and whose agent reports
 * owning nothing (merge patches of that one label, field manager {@value
 * AgentNodeLabels#FIELD_MANAGER}). The DaemonSet selects the label, so its template depends on the
 * configuration alone.
 *
 * <p>The DaemonSet carries a hash of its desired form; the reconciler writes (server-side apply,
 * field manager {@value OperatorConfig#FIELD_MANAGER}) only when the hash differs or the DaemonSet
 * is missing. A changed pod template rolls out through the DaemonSet's RollingUpdate strategy.
 */
@ControllerConfiguration(
    name = AgentDaemonSetReconciler.NAME,
    fieldManager = OperatorConfig.FIELD_MANAGER)
public class AgentDaemonSetReconciler implements Reconciler<Namespace> {
  private static final Logger log = LoggerFactory.getLogger(AgentDaemonSetReconciler.class);

  public static final String NAME = "agent-daemonset";
  static final String VIRTUAL_SERVICES = "ds-virtualservices";
  static final String REAL_SERVERS = "ds-realservers";
  static final String NODES = "ds-nodes";
  static final String DAEMON_SETS = "ds-daemonsets";

  private final AgentConfig config;
  private final String namespace;

  /** A live view over this controller's informers, set once they exist. */
  private volatile ClusterView view;

  public AgentDaemonSetReconciler(AgentConfig config, String namespace) {
    this.config = config;
    this.namespace = namespace;
  }

  /** The label selector that makes the primary informer hold only the operator's namespace. */
  public String namespaceSelector() {
    return "kubernetes.io/metadata.name=" + namespace;
  }

  @Override
  public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> ctx) {
    Set<ResourceID> self = Set.of(new ResourceID(namespace));
    var virtualServices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualService.class, Namespace.class)
                .withName(VIRTUAL_SERVICES)
                .withOnUpdateFilter(AgentDaemonSetReconciler::placementMayChange)
                .withSecondaryToPrimaryMapper(vs -> self)
                .build(),
            ctx);
    var realServers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RealServer.class, Namespace.class)
                .withName(REAL_SERVERS)
                .withOnUpdateFilter(AgentDaemonSetReconciler::realServerPlacementMayChange)
                .withSecondaryToPrimaryMapper(rs -> self)
                .build(),
            ctx);
    var nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, Namespace.class)
                .withName(NODES)
                .withOnUpdateFilter(AgentDaemonSetReconciler::nodePlacementMayChange)
                .withSecondaryToPrimaryMapper(node -> self)
                .build(),
            ctx);
    var daemonSets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DaemonSet.class, Namespace.class)
                .withName(DAEMON_SETS)
                .withNamespaces(Set.of(namespace))
                .withLabelSelector(AgentDaemonSetRenderer.INFORMER_SELECTOR)
                .withSecondaryToPrimaryMapper(ds -> self)
                .build(),
            ctx);
    virtualServices.addIndexers(Indexes.virtualServices());
    realServers.addIndexers(Indexes.realServers());
    nodes.addIndexers(Indexes.nodes());
    view =
        ClusterView.of(
            Caches.store(virtualServices), Caches.store(realServers), Caches.store(nodes));
    return List.of(virtualServices, realServers, nodes, daemonSets);
  }

  /** Spec, deletion, reports (draining nodes) or conflict state of a VirtualService changed. */
  static boolean placementMayChange(VirtualService now, VirtualService before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(reporters(now), reporters(before))
        || conflict(now) != conflict(before)
        // Its deletion hands its vip/port/protocol to the next oldest service at once.
        || now.isMarkedForDeletion() != before.isMarkedForDeletion();
  }

  /** A RealServer's spec (nodeName) or labels (selection) changed. */
  static boolean realServerPlacementMayChange(RealServer now, RealServer before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels());
  }

  /**
   * A Node's labels (directors, the agent label) or its agent's owned count changed; its appearance
   * and removal always pass.
   */
  static boolean nodePlacementMayChange(Node now, Node before) {
    return !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || !Objects.equals(owned(now), owned(before));
  }

  private static String owned(Node node) {
    var annotations = node.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(AgentNodeLabels.OWNED_ANNOTATION);
  }

  private static Object reporters(VirtualService vs) {
    return vs.getStatus() == null || vs.getStatus().getNodes() == null
        ? Set.of()
        : vs.getStatus().getNodes().keySet();
  }

  private static boolean conflict(VirtualService vs) {
    return vs.getStatus() != null
        && Conditions.isTrue(vs.getStatus().getConditions(), Conditions.CONFLICT);
  }

  @Override
  public UpdateControl<Namespace> reconcile(Namespace ns, Context<Namespace> ctx) {
    SortedSet<String> nodes = AgentPlacement.agentNodes(view);
    AgentNodeLabels.Changes changes = AgentNodeLabels.changes(list(ctx, Node.class, NODES), nodes);
    changes.label().forEach(n -> patchNode(ctx, n, AgentNodeLabels.labelPatch(), "labelled"));
    changes.unlabel().forEach(n -> patchNode(ctx, n, AgentNodeLabels.unlabelPatch(), "unlabelled"));
    DaemonSet desired = AgentDaemonSetRenderer.render(config, namespace);
    DaemonSet actual =
        list(ctx, DaemonSet.class, DAEMON_SETS).stream()
            .filter(ds -> config.daemonSetName().equals(ds.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    String want = AgentDaemonSetRenderer.hashOf(desired);
    String have = AgentDaemonSetRenderer.hashOf(actual);
    if (want.equals(have)) {
      return UpdateControl.noUpdate();
    }
    ctx.getClient()
        .apps()
        .daemonSets()
        .inNamespace(namespace)
        .resource(desired)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(OperatorConfig.FIELD_MANAGER)
                .withForce(true)
                .build());
    log.info(
        "event=daemonset-applied daemonset={}/{} hash={} previousHash={}",
        namespace,
        config.daemonSetName(),
        want,
        Objects.toString(have, "none"));
    return UpdateControl.noUpdate();
  }

  /**
   * A merge patch of the agent label alone: it never creates a Node that went away (404: nothing to
   * do) and leaves every other label as it is.
   */
  private static void patchNode(Context<Namespace> ctx, String node, String patch, String what) {
    try {
      ctx.getClient()
          .nodes()
          .withName(node)
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON_MERGE)
                  .withFieldManager(AgentNodeLabels.FIELD_MANAGER)
                  .build(),
              patch);
      log.info("event=agent-node-{} node={} label={}", what, node, AgentNodeLabels.LABEL);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> List<R> list(
      Context<Namespace> ctx, Class<R> type, String name) {
    var source =
        (InformerEventSource<R, Namespace>)
            ctx.eventSourceRetriever().getEventSourceFor(type, name);
    return source.list().toList();
  }
}
