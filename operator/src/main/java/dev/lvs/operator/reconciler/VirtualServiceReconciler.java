package dev.lvs.operator.reconciler;

import static dev.lvs.operator.reconciler.Watches.NODES;
import static dev.lvs.operator.reconciler.Watches.REAL_SERVERS;
import static dev.lvs.operator.reconciler.Watches.VIRTUAL_SERVICES;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.election.ActiveDirectors;
import dev.lvs.operator.events.ConditionEvents;
import dev.lvs.operator.events.EventRecorder;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.Indexes;
import dev.lvs.operator.pools.VipCheck;
import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.DeletionGate;
import dev.lvs.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles each VirtualService's operator-owned status from the agents' reports and the
 * cluster-wide validation, and holds its finalizer until the agents have removed its kernel state.
 *
 * <p>Events are not generation-aware: the agents' {@code status.nodes} writes must trigger a
 * reconcile. The operator's own status writes trigger one more pass, which finds nothing to change
 * and writes nothing.
 */
@ControllerConfiguration(
    name = VirtualServiceReconciler.NAME,
    finalizerName = VirtualServiceReconciler.FINALIZER,
    generationAwareEventProcessing = false,
    fieldManager = OperatorConfig.FIELD_MANAGER)
public class VirtualServiceReconciler
    implements Reconciler<VirtualService>, Cleaner<VirtualService> {
  private static final Logger log = LoggerFactory.getLogger(VirtualServiceReconciler.class);

  public static final String NAME = "virtualservice";
  public static final String FINALIZER = "lvs.dev/agent-cleanup";
  static final String POOLS = "vs-vippools";
  static final String NAMESPACES = "vs-namespaces";

  private final StatusAggregator aggregator;
  private final DeletionGate deletionGate;
  private final EventRecorder events;
  private final Clock clock;
  private final NodeEntryPruner pruner = new NodeEntryPruner();

  /**
   * The view each reconcile reads, over this controller's informers: the other VirtualServices from
   * the {@value Watches#VIRTUAL_SERVICES} informer. Set once the event sources exist.
   */
  private volatile ClusterView caches;

  /** The view the event mappers read: VirtualServices from the primary cache (see Dependents). */
  private volatile ClusterView mapping;

  public VirtualServiceReconciler(
      StatusAggregator aggregator, DeletionGate deletionGate, EventRecorder events, Clock clock) {
    this(aggregator, deletionGate, events, clock, "Off");
  }

  /**
   * @param vipPools Enforce, Warn or Off ({@code --vip-pools}): how a VIP in no admitting VipPool
   *     is reported
   */
  public VirtualServiceReconciler(
      StatusAggregator aggregator,
      DeletionGate deletionGate,
      EventRecorder events,
      Clock clock,
      String vipPools) {
    this.aggregator = aggregator;
    this.deletionGate = deletionGate;
    this.events = events;
    this.clock = clock;
    this.vipPools = vipPools;
  }

  private final String vipPools;
  private volatile InformerEventSource<VipPool, VirtualService> pools;
  private volatile InformerEventSource<Namespace, VirtualService> namespaces;
  private volatile InformerEventSource<Node, VirtualService> nodeSource;

  @Override
  public List<EventSource<?, VirtualService>> prepareEventSources(
      EventSourceContext<VirtualService> ctx) {
    IndexerResourceCache<VirtualService> primaries = ctx.getPrimaryCache();
    primaries.addIndexers(Indexes.virtualServices());
    var realServers =
        Watches.informer(
            InformerEventSourceConfiguration.from(RealServer.class, VirtualService.class)
                .withName(REAL_SERVERS)
                .withOnUpdateFilter(Watches::realServerSpecChanged),
            Indexes.realServers(),
            (before, now) -> Dependents.virtualServicesOfRealServer(mapping, before, now),
            vs -> Watches.ids(caches.selectedRealServers(vs)),
            ctx);
    var nodes =
        Watches.informer(
            InformerEventSourceConfiguration.from(Node.class, VirtualService.class)
                .withName(NODES)
                .withOnUpdateFilter(Watches::nodeChanged),
            Indexes.nodes(),
            (before, now) -> Dependents.virtualServicesOfNode(mapping, before, now),
            vs -> Dependents.nodesOf(caches, vs),
            ctx);
    // Every VirtualService again, as a secondary: a change of one (its key, its VIP, its
    // deletion) must re-run the services it conflicts with or whose RealServers use its VIP.
    // Reading the other services from this informer (not the primary cache) means a loser re-run
    // by the winner's deletion no longer sees the winner.
    var all =
        Watches.informer(
            InformerEventSourceConfiguration.from(VirtualService.class, VirtualService.class)
                .withName(VIRTUAL_SERVICES)
                .withOnUpdateFilter(Watches::virtualServiceSpecChanged),
            Indexes.virtualServices(),
            (before, now) -> Dependents.virtualServicesOfVirtualService(mapping, before, now),
            vs -> Watches.ids(caches.sameKey(vs)),
            ctx);
    mapping =
        ClusterView.of(Caches.store(primaries), Caches.store(realServers), Caches.store(nodes));
    caches = ClusterView.of(Caches.store(all), Caches.store(realServers), Caches.store(nodes));
    nodeSource = nodes;
    if ("Off".equals(vipPools)) {
      return List.of(all, realServers, nodes);
    }
    // VIP pools (issue #16): a pool or a namespace's labels changing re-judges the services
    // concerned. Node addresses come from the nodes informer above.
    pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VipPool.class, VirtualService.class)
                .withName(POOLS)
                .withSecondaryToPrimaryMapper(p -> Watches.ids(primaries.list().toList()))
                .build(),
            ctx);
    namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, VirtualService.class)
                .withName(NAMESPACES)
                .withOnUpdateFilter(
                    (now, before) ->
                        !java.util.Objects.equals(
                            now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(
                    n -> Watches.ids(primaries.list(n.getMetadata().getName()).toList()))
                .build(),
            ctx);
    return List.of(all, realServers, nodes, pools, namespaces);
  }

  @Override
  public UpdateControl<VirtualService> reconcile(VirtualService vs, Context<VirtualService> ctx) {
    Instant now = clock.instant();
    ClusterView view = caches.with(vs);
    writeStatus(vs, aggregator.virtualService(vs, view, now, vipCheck()), ctx);
    pruner.prune(vs, view, ctx.getClient());
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(VirtualService vs, Context<VirtualService> ctx) {
    Instant now = clock.instant();
    ClusterView view = caches.with(vs);
    DeletionGate.State state = deletionGate.virtualService(vs, view, now);
    if (state.mayRemoveFinalizer()) {
      FinalizerRelease.release(
          events, vs, state, "their kernel state for this VirtualService may remain");
      pruner.forget(vs);
      return DeleteControl.defaultDelete();
    }
    writeStatus(vs, aggregator.virtualService(vs, view, now, vipCheck()), ctx);
    pruner.prune(vs, view, ctx.getClient());
    Duration untilDeadline = Duration.between(now, state.deadline()).plusSeconds(1);
    log.info(
        "event=deletion-waiting vs={} nodes={} deadline={}",
        ClusterView.id(vs),
        state.waitingOn(),
        state.deadline());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(untilDeadline.toMillis());
  }

  private VipCheck vipCheck() {
    if (pools == null || namespaces == null) {
      return VipCheck.NONE;
    }
    return VipCheck.of(
        vipPools, pools.list().toList(), namespaces.list().toList(), nodeSource.list().toList());
  }

  private void writeStatus(
      VirtualService vs, VirtualServiceStatus desired, Context<VirtualService> ctx) {
    VirtualServiceStatus current = StatusAggregator.operatorPart(vs.getStatus());
    if (desired.equals(current)) {
      return;
    }
    VirtualService patch = new VirtualService();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(vs.getMetadata().getName())
            .withNamespace(vs.getMetadata().getNamespace())
            .build());
    patch.setStatus(desired);
    StatusApply.apply(vs, patch, ctx);
    var ready = Conditions.find(desired.getConditions(), Conditions.READY).orElseThrow();
    log.info(
        "event=status-written vs={} generation={} ready={} reason={} realServers={}",
        ClusterView.id(vs),
        desired.getObservedGeneration(),
        ready.getStatus(),
        ready.getReason(),
        desired.getRealServers());
    events.emit(vs, ConditionEvents.between(current.getConditions(), desired.getConditions()));
    ActiveDirectors.failover(
            vs.getSpec() == null ? null : vs.getSpec().getVip(),
            current.getActiveDirector(),
            desired.getActiveDirector())
        .ifPresent(e -> events.emit(vs, List.of(e)));
  }
}
