package dev.lvs.operator.pools;

import dev.lvs.operator.api.IpLiterals;
import dev.lvs.operator.api.pools.HostAddresses;
import dev.lvs.operator.api.pools.Pool;
import dev.lvs.operator.api.pools.PoolAdmission;
import dev.lvs.operator.api.pools.PoolAdmission.Decision;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's own judgement of a VirtualService's VIP (the second of the three enforcements):
 * the same {@link PoolAdmission} the agents and the admission policy's parameter use, over the
 * operator's caches. It catches objects that were admitted before a pool changed, or while the
 * policy was off.
 *
 * @param enforce whether a VIP in no admitting pool makes the service not Ready ({@code
 *     --vip-pools=Enforce}); a forbidden VIP always does, since the agents refuse it in every mode
 */
public record VipCheck(
    boolean enabled,
    boolean enforce,
    List<Pool> pools,
    Map<String, Map<String, String>> namespaceLabels,
    HostAddresses hostAddresses) {

  /** No checks (the pure tests of the aggregator, {@code --vip-pools=Off}). */
  public static final VipCheck NONE =
      new VipCheck(false, false, List.of(), Map.of(), HostAddresses.NONE);

  /** The check for one reconcile, from the caches; {@code mode} is Enforce, Warn or Off. */
  public static VipCheck of(
      String mode, List<VipPool> vipPools, List<Namespace> namespaces, List<Node> nodes) {
    if ("Off".equals(mode)) {
      return NONE;
    }
    HostAddresses.Builder hosts = HostAddresses.builder();
    for (Node n : nodes) {
      for (InetAddress a : PoolParams.nodeAddresses(List.of(n))) {
        hosts.add(a, "node " + n.getMetadata().getName());
      }
    }
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (Namespace ns : namespaces) {
      Map<String, String> l = ns.getMetadata().getLabels();
      labels.put(ns.getMetadata().getName(), l == null ? Map.of() : l);
    }
    List<Pool> pools =
        vipPools.stream().filter(p -> !p.isMarkedForDeletion()).map(Pool::of).toList();
    return new VipCheck(true, "Enforce".equals(mode), pools, labels, hosts.build());
  }

  /** Why the VIP of {@code vs} may not be used, or empty (also when it is not a literal yet). */
  public Optional<Decision.Refused> refusal(VirtualService vs) {
    if (!enabled || vs.getSpec() == null) {
      return Optional.empty();
    }
    Optional<InetAddress> vip = IpLiterals.tryParse(vs.getSpec().getVip());
    if (vip.isEmpty()) {
      return Optional.empty();
    }
    String ns = vs.getMetadata().getNamespace();
    Map<String, String> labels =
        namespaceLabels.getOrDefault(ns, Map.of("kubernetes.io/metadata.name", ns));
    Decision d = PoolAdmission.decide(vip.get(), ns, labels, pools, hostAddresses);
    return d instanceof Decision.Refused r ? Optional.of(r) : Optional.empty();
  }

  /** Whether {@code r} makes the service not Ready (else it is reported as Degraded only). */
  public boolean blocksReady(Decision.Refused r) {
    return enforce || PoolAdmission.FORBIDDEN.equals(r.reason());
  }
}
