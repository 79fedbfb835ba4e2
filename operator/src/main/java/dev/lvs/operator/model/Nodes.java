package dev.lvs.operator.model;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator reads from Node objects. */
public final class Nodes {
  private Nodes() {}

  /** A node is Ready when its kubelet says so; no Ready condition at all counts as not ready. */
  public static boolean isReady(Node node) {
    return readyStatus(node).map("True"::equals).orElse(false);
  }

  /** The status of the Ready condition, if the kubelet reported one. */
  public static Optional<String> readyStatus(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .filter(Objects::nonNull)
        .findFirst();
  }

  /**
   * The Ready status of a node that is lost: it has a Ready condition and that is not True (False,
   * or Unknown once the node lifecycle controller stopped hearing from the kubelet). Empty for a
   * Ready node and for a node without a Ready condition (a hand-written Node): directors keep
   * sending new connections to real servers on those, and quiesce the others (weight 0).
   */
  public static Optional<String> notReady(Node node) {
    return readyStatus(node).filter(s -> !"True".equals(s));
  }

  /** The node's InternalIP addresses, in the order the kubelet reported them. */
  public static List<String> internalIps(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return List.of();
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(Objects::nonNull)
        .toList();
  }

  /** The InternalIP of the requested family (IPv6 when {@code ipv6}), else any InternalIP. */
  public static Optional<String> internalIp(Node node, boolean ipv6) {
    List<String> ips = internalIps(node);
    return ips.stream()
        .filter(ip -> IpAddresses.isIpv6(ip) == ipv6)
        .findFirst()
        .or(() -> ips.stream().findFirst());
  }
}
