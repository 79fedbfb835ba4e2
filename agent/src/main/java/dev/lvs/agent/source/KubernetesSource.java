package dev.lvs.agent.source;

import dev.lvs.agent.pools.PoolEnforcement;
import dev.lvs.agent.state.NodeReadiness;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VirtualServices and RealServers in all namespaces, Nodes, and (for the VIP gate) VipPools and
 * Namespaces, through fabric8 shared informers. Read-only. Status-only updates (including the
 * agents' own reports) do not trigger a sync; spec, label, deletion and node-address changes do,
 * and so does a change of a Node's Ready status (directors quiesce real servers on nodes that are
 * not Ready), but not a kubelet heartbeat.
 */
public final class KubernetesSource implements Source {
  private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);
  private final KubernetesClient client;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<VirtualService> virtualServices;
  private SharedIndexInformer<RealServer> realServers;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<VipPool> vipPools;
  private SharedIndexInformer<Namespace> namespaces;
  private final PoolEnforcement enforcement;
  private final boolean watchPools;
  private final String nodeName;

  /** A source that checks VIPs against VipPools with {@link PoolEnforcement#WARN}. */
  public KubernetesSource(KubernetesClient client) {
    this(client, PoolEnforcement.WARN);
  }

  /**
   * @param enforcement what to do with VIPs in no pool; with {@link PoolEnforcement#OFF} VipPools
   *     and Namespaces are not watched (the agent then needs no RBAC for them)
   */
  public KubernetesSource(KubernetesClient client, PoolEnforcement enforcement) {
    this(client, enforcement, null);
  }

  /**
   * @param nodeName this agent's node: with it, the informers keep only what the agent reads of
   *     each object ({@link Slimming}: no managedFields, no other node's status entry)
   */
  public KubernetesSource(KubernetesClient client, PoolEnforcement enforcement, String nodeName) {
    this.client = client;
    this.enforcement = enforcement;
    this.watchPools = enforcement != PoolEnforcement.OFF;
    this.nodeName = nodeName;
  }

  @Override
  public PoolEnforcement poolEnforcement() {
    return enforcement;
  }

  /**
   * Starts the informers without waiting for them: an API server that is slow or away (a control
   * plane upgrade, a loaded machine) must not end the agent. Each informer retries its list and
   * watch with back-off for as long as it takes, and says so in the log; until all have listed,
   * {@link #hasSynced()} is false, so the agent is not ready and prunes nothing.
   */
  @Override
  public void start(Runnable onChange) {
    virtualServices =
        informer(
            client.resources(VirtualService.class).inAnyNamespace().runnableInformer(0),
            "VirtualServices",
            onChange);
    realServers =
        informer(
            client.resources(RealServer.class).inAnyNamespace().runnableInformer(0),
            "RealServers",
            onChange);
    nodes = informer(client.nodes().runnableInformer(0), "Nodes", onChange);
    informers.addAll(List.of(virtualServices, realServers, nodes));
    if (watchPools) {
      vipPools =
          informer(client.resources(VipPool.class).runnableInformer(0), "VipPools", onChange);
      namespaces = informer(client.namespaces().runnableInformer(0), "Namespaces", onChange);
      informers.addAll(List.of(vipPools, namespaces));
    }
    informers.forEach(SharedIndexInformer::start);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> informer(
      SharedIndexInformer<T> informer, String what, Runnable onChange) {
    if (nodeName != null) {
      informer.itemStore(Slimming.store(nodeName));
    }
    informer.addEventHandler(handler(onChange));
    informer.exceptionHandler(
        (started, error) -> {
          log.warn(
              "source: {} {} from {} failed ({}); retrying",
              started ? "watching" : "listing",
              what,
              client.getMasterUrl(),
              error.toString());
          return true;
        });
    return informer;
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Runnable onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.run();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (relevantChange(oldObj, newObj)) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
  }

  /**
   * Whether an update can change the desired state. Status-only updates cannot, except a Node's
   * addresses and the status of its Ready condition; heartbeats (new lastHeartbeatTime, same
   * status) are filtered out.
   */
  static boolean relevantChange(HasMetadata before, HasMetadata after) {
    if (before instanceof Namespace && after instanceof Namespace) {
      // Pools select namespaces by label; nothing else of a namespace matters.
      return !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels());
    }
    if (before instanceof Node b && after instanceof Node a) {
      return !Objects.equals(b.getMetadata().getLabels(), a.getMetadata().getLabels())
          || !Objects.equals(
              b.getStatus() == null ? null : b.getStatus().getAddresses(),
              a.getStatus() == null ? null : a.getStatus().getAddresses())
          || !Objects.equals(NodeReadiness.readyStatus(b), NodeReadiness.readyStatus(a));
    }
    return !Objects.equals(
            before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
        || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
        || !Objects.equals(
            before.getMetadata().getDeletionTimestamp(), after.getMetadata().getDeletionTimestamp())
        || after.getMetadata().getGeneration() == null;
  }

  @Override
  public boolean hasSynced() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public Snapshot snapshot() {
    if (informers.isEmpty()) {
      return Snapshot.EMPTY;
    }
    return new Snapshot(
        virtualServices.getStore().list(),
        realServers.getStore().list(),
        nodes.getStore().list(),
        watchPools ? vipPools.getStore().list() : List.of(),
        watchPools ? namespaces.getStore().list() : List.of());
  }

  @Override
  public String describe() {
    return "the Kubernetes API (" + client.getMasterUrl() + ")";
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
