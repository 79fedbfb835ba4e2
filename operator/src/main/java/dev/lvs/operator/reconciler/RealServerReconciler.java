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
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
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
    var virtualServices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualService.class, RealServer.class)
                .withName(VIRTUAL_SERVICES)
                .withOnUpdateFilter(Watches::virtualServiceChanged)
                .withSecondaryToPrimaryMapper(
                    vs -> Watches.ids(primaries.list(vs.getMetadata().getNamespace())))
                .build(),
            ctx);
    var nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, RealServer.class)
                .withName(NODES)
                .withOnUpdateFilter(Watches::nodeChanged)
                .withSecondaryToPrimaryMapper(node -> Watches.ids(primaries.list()))
                .build(),
            ctx);
    return List.of(virtualServices, nodes);
  }

  @Override
  public UpdateControl<RealServer> reconcile(RealServer rs, Context<RealServer> ctx) {
    Instant now = clock.instant();
    writeStatus(rs, aggregator.realServer(rs, view(ctx, rs), now), ctx);
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(RealServer rs, Context<RealServer> ctx) {
    Instant now = clock.instant();
    ClusterView view = view(ctx, rs);
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
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(rs, patch, ctx);
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

  private static ClusterView view(Context<RealServer> ctx, RealServer rs) {
    return Watches.view(
            Watches.list(ctx, VirtualService.class, VIRTUAL_SERVICES),
            ctx.getPrimaryCache().list().toList(),
            Watches.list(ctx, Node.class, NODES))
        .with(rs);
  }
}
