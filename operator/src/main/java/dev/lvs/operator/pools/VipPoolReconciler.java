package dev.lvs.operator.pools;

import dev.lvs.operator.api.pools.Pool;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the admission policy's parameter ConfigMap ({@link PoolParams}) and every VipPool's status
 * up to date. Like the agent DaemonSet's controller, it has no natural primary: its primary is the
 * operator's own Namespace, and VipPool, Namespace (labels), Node (addresses), VirtualService (VIP)
 * and ConfigMap informers map every relevant change to it. Nothing is written when nothing changed.
 */
@ControllerConfiguration(name = VipPoolReconciler.NAME, fieldManager = OperatorConfig.FIELD_MANAGER)
public class VipPoolReconciler implements Reconciler<Namespace> {
  private static final Logger log = LoggerFactory.getLogger(VipPoolReconciler.class);

  public static final String NAME = "vip-pools";

  /** The parameter ConfigMap's name (and the policy's), in the operator's namespace. */
  public static final String PARAMS_NAME = "lvs-vip-pools";

  static final String POOLS = "pools-vippools";
  static final String NAMESPACES = "pools-namespaces";
  static final String NODES = "pools-nodes";
  static final String VIRTUAL_SERVICES = "pools-virtualservices";
  static final String CONFIG_MAPS = "pools-configmaps";

  private final String namespace;
  private final Clock clock;

  public VipPoolReconciler(String namespace, Clock clock) {
    this.namespace = namespace;
    this.clock = clock;
  }

  /** The label selector that makes the primary informer hold only the operator's namespace. */
  public String namespaceSelector() {
    return "kubernetes.io/metadata.name=" + namespace;
  }

  @Override
  public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> ctx) {
    Set<ResourceID> self = Set.of(new ResourceID(namespace));
    var pools =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VipPool.class, Namespace.class)
                .withName(POOLS)
                .withSecondaryToPrimaryMapper(p -> self)
                .build(),
            ctx);
    var namespaces =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Namespace.class, Namespace.class)
                .withName(NAMESPACES)
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                            now.getMetadata().getLabels(), before.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(n -> self)
                .build(),
            ctx);
    var nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, Namespace.class)
                .withName(NODES)
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                            PoolParams.nodeAddresses(List.of(now)),
                            PoolParams.nodeAddresses(List.of(before))))
                .withSecondaryToPrimaryMapper(n -> self)
                .build(),
            ctx);
    var services =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualService.class, Namespace.class)
                .withName(VIRTUAL_SERVICES)
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                                now.getMetadata().getGeneration(),
                                before.getMetadata().getGeneration())
                            || now.isMarkedForDeletion() != before.isMarkedForDeletion())
                .withSecondaryToPrimaryMapper(vs -> self)
                .build(),
            ctx);
    var configMaps =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, Namespace.class)
                .withName(CONFIG_MAPS)
                .withNamespaces(Set.of(namespace))
                .withLabelSelector("app.kubernetes.io/component=vip-pool-params")
                .withSecondaryToPrimaryMapper(cm -> self)
                .build(),
            ctx);
    return List.of(pools, namespaces, nodes, services, configMaps);
  }

  @Override
  public UpdateControl<Namespace> reconcile(Namespace primary, Context<Namespace> ctx) {
    List<VipPool> vipPools = list(ctx, VipPool.class, POOLS);
    List<Pool> pools =
        vipPools.stream().filter(p -> !p.isMarkedForDeletion()).map(Pool::of).toList();
    Map<String, String> data =
        PoolParams.data(
            pools, list(ctx, Namespace.class, NAMESPACES), list(ctx, Node.class, NODES));
    ConfigMap current =
        list(ctx, ConfigMap.class, CONFIG_MAPS).stream()
            .filter(cm -> PARAMS_NAME.equals(cm.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    Map<String, String> have =
        current == null || current.getData() == null ? null : current.getData();
    if (!data.equals(have)) {
      ConfigMap desired =
          new ConfigMapBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName(PARAMS_NAME)
                      .withNamespace(namespace)
                      .withLabels(
                          Map.of(
                              "app.kubernetes.io/component", "vip-pool-params",
                              "app.kubernetes.io/part-of", "lvs-operator"))
                      .build())
              .withData(data)
              .build();
      ctx.getClient().configMaps().inNamespace(namespace).resource(desired).patch(apply());
      log.info("event=vip-pool-params-applied pools={} keys={}", pools.size(), data.size());
    }
    List<VirtualService> services = list(ctx, VirtualService.class, VIRTUAL_SERVICES);
    for (VipPool pool : vipPools) {
      if (pool.isMarkedForDeletion()) {
        continue;
      }
      VipPoolStatus want = PoolStatuses.of(pool, pools, services, clock.instant());
      if (PoolStatuses.same(want, pool.getStatus())) {
        continue;
      }
      VipPool patch = new VipPool();
      patch.setMetadata(new ObjectMetaBuilder().withName(pool.getMetadata().getName()).build());
      patch.setStatus(want);
      ctx.getClient().resource(patch).subresource("status").patch(apply());
      log.info(
          "event=vip-pool-status pool={} ready={} assigned={}",
          pool.getMetadata().getName(),
          want.getConditions().get(0).getStatus(),
          want.getAssigned());
    }
    return UpdateControl.noUpdate();
  }

  private static PatchContext apply() {
    return new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(OperatorConfig.FIELD_MANAGER)
        .withForce(true)
        .build();
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
