package dev.lvs.agent.pools;

import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.operator.api.IpLiterals;
import dev.lvs.operator.api.pools.HostAddresses;
import dev.lvs.operator.api.pools.Pool;
import dev.lvs.operator.api.pools.PoolAdmission;
import dev.lvs.operator.api.pools.PoolAdmission.Decision;
import dev.lvs.operator.api.v1alpha1.VipPool;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own check of every VIP before it reaches the kernel: defence in depth behind the
 * admission policy and the operator, so that a tampered or pre-policy object never makes this node
 * hold an address, or program an IPVS service, that is not a service's to use.
 *
 * <p>Refused whatever the mode: the forbidden address classes, any Node's InternalIP or ExternalIP,
 * and an address on one of this host's interfaces that the agent did not add itself (an IPVS
 * service on it would take over the host's own traffic to that port). With {@link
 * PoolEnforcement#ENFORCE}, also a VIP in no pool that admits the service's namespace.
 */
public final class VipGate {
  /** The gate that checks only what needs no pools: forbidden classes and host addresses. */
  public static final VipGate NONE =
      new VipGate(PoolEnforcement.OFF, List.of(), Map.of(), HostAddresses.NONE);

  /** The outcome for one VIP: refused (with the message), or allowed with an optional warning. */
  public record Verdict(Optional<String> refusal, Optional<String> warning) {
    static final Verdict OK = new Verdict(Optional.empty(), Optional.empty());

    public boolean refused() {
      return refusal.isPresent();
    }
  }

  private final PoolEnforcement enforcement;
  private final List<Pool> pools;
  private final Map<String, Map<String, String>> namespaceLabels;
  private final HostAddresses hostAddresses;

  private VipGate(
      PoolEnforcement enforcement,
      List<Pool> pools,
      Map<String, Map<String, String>> namespaceLabels,
      HostAddresses hostAddresses) {
    this.enforcement = enforcement;
    this.pools = pools;
    this.namespaceLabels = namespaceLabels;
    this.hostAddresses = hostAddresses;
  }

  /**
   * The gate for one sync.
   *
   * @param ownAddresses the addresses this agent added to interfaces (its VIPs): not host addresses
   */
  public static VipGate of(
      PoolEnforcement enforcement,
      List<VipPool> vipPools,
      List<Namespace> namespaces,
      List<Node> nodes,
      HostInterfaces interfaces,
      Set<InetAddress> ownAddresses) {
    HostAddresses.Builder hosts = HostAddresses.builder();
    for (Node n : nodes) {
      if (n.getStatus() == null || n.getStatus().getAddresses() == null) {
        continue;
      }
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType())) {
          IpLiterals.tryParse(a.getAddress())
              .ifPresent(
                  ip ->
                      hosts.add(
                          ip, "node " + n.getMetadata().getName() + " (" + a.getType() + ")"));
        }
      }
    }
    interfaces
        .interfaceByAddress()
        .forEach(
            (address, name) -> {
              if (!ownAddresses.contains(address)) {
                hosts.add(address, "interface " + name + " of this node (not added by lvs-agent)");
              }
            });
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (Namespace ns : namespaces) {
      Map<String, String> l = ns.getMetadata().getLabels();
      labels.put(ns.getMetadata().getName(), l == null ? Map.of() : l);
    }
    List<Pool> pools =
        vipPools.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .map(Pool::of)
            .toList();
    return new VipGate(enforcement, pools, labels, hosts.build());
  }

  /** Whether and why this node must not use {@code vip} for a service in {@code namespace}. */
  public Verdict check(InetAddress vip, String namespace) {
    // The API server labels every namespace with its name; one not cached yet still has that.
    Map<String, String> labels =
        namespaceLabels.getOrDefault(namespace, Map.of(NAME_LABEL, namespace));
    Decision d =
        PoolAdmission.decide(
            vip,
            namespace,
            labels,
            enforcement == PoolEnforcement.OFF ? List.of() : pools,
            hostAddresses);
    if (!(d instanceof Decision.Refused r)) {
      return Verdict.OK;
    }
    if (r.reason().equals(PoolAdmission.FORBIDDEN) || enforcement == PoolEnforcement.ENFORCE) {
      return new Verdict(Optional.of(r.reason() + ": " + r.message()), Optional.empty());
    }
    if (enforcement == PoolEnforcement.OFF) {
      return Verdict.OK;
    }
    return new Verdict(
        Optional.empty(),
        Optional.of(r.reason() + " (--vip-pools=Warn: programmed anyway): " + r.message()));
  }

  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  private static final Logger log = LoggerFactory.getLogger(VipGate.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /**
   * Logs a {@link PoolEnforcement#WARN} finding once per service and message (not once per sync):
   * the operator's VipNotInPool condition is where it stays visible.
   */
  public static void warnOnce(String service, String message) {
    if (WARNED.size() > 10_000) {
      WARNED.clear();
    }
    if (WARNED.add(service + " " + message)) {
      log.warn("vip-pools: {}: {}", service, message);
    }
  }
}
