package dev.lvs.operator.status;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.SkippedRealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.IpAddresses;
import dev.lvs.operator.status.Conditions.Reasons;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The selected RealServers that cannot serve a VirtualService: those the operator finds wrong (no
 * such node, no address, the address is a VIP, on a director without localNode) and those an agent
 * reports it skipped ({@link AgentReports}). They are listed in {@code status.skippedRealServers};
 * the service does not wait for them, and is Ready as long as another RealServer (or the local
 * node) serves.
 */
final class SkippedRealServers {
  private SkippedRealServers() {}

  /** By RealServer name; the first reason that applies to each. */
  static SortedMap<String, SkippedRealServer> of(
      VirtualService vs,
      List<RealServer> selected,
      List<String> directors,
      Map<String, NodeReport> reports,
      ClusterView view) {
    SortedMap<String, SkippedRealServer> out = new TreeMap<>();
    boolean localNode =
        vs.getSpec() != null
            && vs.getSpec().getLocalNode() != null
            && Boolean.TRUE.equals(vs.getSpec().getLocalNode().getEnabled());
    boolean ipv6 = vs.getSpec() != null && IpAddresses.isIpv6(vs.getSpec().getVip());
    for (RealServer rs : selected) {
      String name = rs.getMetadata().getName();
      found(rs, view, directors, localNode, ipv6)
          .ifPresent(p -> out.put(name, new SkippedRealServer(name, p.reason(), p.message())));
    }
    String ns = vs.getMetadata().getNamespace();
    List<String> names = selected.stream().map(rs -> rs.getMetadata().getName()).toList();
    for (Map.Entry<String, NodeReport> e : new TreeMap<>(reports).entrySet()) {
      AgentReports.skipsOnly(e.getValue(), ns)
          .ifPresent(
              skips ->
                  skips.forEach(
                      (name, message) -> {
                        if (names.contains(name) && !out.containsKey(name)) {
                          out.put(
                              name,
                              new SkippedRealServer(
                                  name,
                                  Reasons.SKIPPED_BY_AGENT,
                                  "node " + e.getKey() + ": " + message));
                        }
                      }));
    }
    return out;
  }

  /** The generations a director reports, less those of skipped RealServers. */
  static Map<String, Long> withoutSkipped(
      Map<String, Long> generations, Collection<String> skipped) {
    Map<String, Long> out = new TreeMap<>(generations == null ? Map.of() : generations);
    out.keySet().removeAll(skipped);
    return out;
  }

  /** The Degraded problem that counts them. */
  static StatusAggregator.Problem problem(int skipped, int selected) {
    return new StatusAggregator.Problem(
        Reasons.REAL_SERVERS_SKIPPED,
        skipped
            + " of "
            + selected
            + " selected RealServers cannot serve this service and are skipped: see"
            + " status.skippedRealServers, and each one's Degraded condition");
  }

  private static Optional<StatusAggregator.Problem> found(
      RealServer rs, ClusterView view, List<String> directors, boolean localNode, boolean ipv6) {
    String node = rs.getSpec() == null ? null : rs.getSpec().getNodeName();
    List<StatusAggregator.Problem> problems = new ArrayList<>();
    if (node != null && view.node(node).isEmpty()) {
      problems.add(
          new StatusAggregator.Problem(
              Reasons.REAL_SERVER_NODE_NOT_FOUND,
              "spec.nodeName " + node + " is not a node of the cluster"));
    }
    Optional<String> address = view.resolvedAddress(rs, ipv6);
    if (address.isEmpty() && (node == null || view.node(node).isPresent())) {
      problems.add(
          new StatusAggregator.Problem(
              Reasons.REAL_SERVER_ADDRESS_UNRESOLVED,
              "no spec.address and node " + node + " has no InternalIP; set spec.address"));
    }
    address
        .flatMap(a -> view.withVip(a).stream().findFirst())
        .ifPresent(
            owner ->
                problems.add(
                    new StatusAggregator.Problem(
                        Reasons.REAL_SERVER_ADDRESS_IS_VIP,
                        "address "
                            + address.get()
                            + " is the VIP of VirtualService "
                            + ClusterView.id(owner)
                            + "; a real server needs its own address (RIP)")));
    if (node != null && directors.contains(node) && !localNode) {
      problems.add(
          new StatusAggregator.Problem(
              Reasons.REAL_SERVER_ON_DIRECTOR,
              "on node "
                  + node
                  + ", a director of this service; Direct Routing cannot forward to the"
                  + " director itself: move the RealServer to another node, or set"
                  + " spec.localNode.enabled to let the directors serve locally"));
    }
    return problems.stream().findFirst();
  }
}
