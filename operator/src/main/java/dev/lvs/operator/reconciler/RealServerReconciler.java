package dev.lvs.operator.reconciler;

import static dev.lvs.operator.reconciler.Watches.NODES;
import static dev.lvs.operator.reconciler.Watches.VIRTUAL_SERVICES;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.events.ConditionEvents;
import dev.lvs.operator.events.EventRecorder;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.Indexes;
import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.DeletionGate;
import dev.lvs.operator.status.StatusAggregator;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles each RealServer's operator-owned status (resolved address, Ready, Degraded) and holds
 * its finalizer until no director programs it and its node's agent no longer holds its VIPs.
 */
@ControllerConfiguration(
    name = RealServerReconciler.NAME,
    finalizerName = VirtualServiceReconciler.FINALIZER,
    generationAwareEventProcessing = false,
    fieldManager = OperatorConfig.FIELD_MANAGER)
public class RealServerReconciler implements Reconciler<RealServer>, Cleaner<RealServer> {
  private static final Logger log = LoggerFactory.getLogger(RealServerReconciler.class);

  public static final String NAME = "realserver";

  private final StatusAggregator aggregator;
  private final DeletionGate deletionGate;
  private final EventRecorder events;
  private final Clock clock;

  /**
   * The view each reconcile and each event mapper reads: RealServers from the primary cache, the
   * rest from this controller's informers. Set once the event sources exist.
   */
  private volatile ClusterView caches;

  public RealServerReconciler(
      StatusAggregator aggregator, DeletionGate deletionGate, EventRecorder events, Clock clock) {
    this.aggregator = aggregator;
    this.deletionGate = deletionGate;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, RealServer>> prepareEventSources(EventSourceContext<RealServer> ctx) {
    IndexerResourceCache<RealServer> primaries = ctx.getPrimaryCache();
    primaries.addIndexers(Indexes.realServers());
    var virtualServices =
        Watches.informer(
            InformerEventSourceConfiguration.from(VirtualService.class, RealServer.class)
                .withName(VIRTUAL_SERVICES)
                .withOnUpdateFilter(Watches::virtualServiceChanged),
            Indexes.virtualServices(),
            (before, now) -> Dependents.realServersOfVirtualService(caches, before, now),
            rs -> Watches.ids(caches.selecting(rs)),
            ctx);
    var nodes =
        Watches.informer(
            InformerEventSourceConfiguration.from(Node.class, RealServer.class)
                .withName(NODES)
                .withOnUpdateFilter(Watches::nodeChanged),
            Indexes.nodes(),
            (before, now) -> Dependents.realServersOfNode(caches, before, now),
            rs -> Dependents.nodesOf(caches, rs),
            ctx);
    caches =
        ClusterView.of(Caches.store(virtualServices), Caches.store(primaries), Caches.store(nodes));
    return List.of(virtualServices, nodes);
  }

  @Override
  public UpdateControl<RealServer> reconcile(RealServer rs, Context<RealServer> ctx) {
    Instant now = clock.instant();
    writeStatus(rs, aggregator.realServer(rs, caches.with(rs), now), ctx);
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(RealServer rs, Context<RealServer> ctx) {
    Instant now = clock.instant();
    ClusterView view = caches.with(rs);
    DeletionGate.State state = deletionGate.realServer(rs, view, now);
    if (state.mayRemoveFinalizer()) {
      FinalizerRelease.release(events, rs, state, "they may still program this RealServer");
      return DeleteControl.defaultDelete();
    }
    writeStatus(rs, aggregator.realServer(rs, view, now), ctx);
    log.info(
        "event=deletion-waiting rs={} nodes={} deadline={}",
        ClusterView.id(rs),
        state.waitingOn(),
        state.deadline());
    Duration untilDeadline = Duration.between(now, state.deadline()).plusSeconds(1);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(untilDeadline.toMillis());
  }

  private void writeStatus(RealServer rs, RealServerStatus desired, Context<RealServer> ctx) {
    RealServerStatus current = StatusAggregator.operatorPart(rs.getStatus());
    if (desired.equals(current)) {
      return;
    }
    RealServer patch = new RealServer();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(rs.getMetadata().getName())
            .withNamespace(rs.getMetadata().getNamespace())
            .build());
    patch.setStatus(desired);
    StatusApply.apply(rs, patch, ctx);
    var ready = Conditions.find(desired.getConditions(), Conditions.READY).orElseThrow();
    log.info(
        "event=status-written rs={} generation={} ready={} reason={} address={}",
        ClusterView.id(rs),
        desired.getObservedGeneration(),
        ready.getStatus(),
        ready.getReason(),
        Objects.toString(desired.getAddress(), ""));
    events.emit(rs, ConditionEvents.between(current.getConditions(), desired.getConditions()));
  }
}
