package dev.lvs.agent.state;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a director puts a VIP: {@code --director-interface}, else the interface that holds the
 * node's InternalIP of the VIP's family. A director without one for a family cannot hold VIPs of
 * that family, which its Lease says ({@link #families}).
 */
public final class DirectorInterfaces {
  public static final String IPV4 = "IPv4";
  public static final String IPV6 = "IPv6";
  static final String INTERNAL_IP = "InternalIP";

  private DirectorInterfaces() {}

  public static Optional<String> forFamily(
      boolean ipv6, Node node, AgentSettings settings, HostInterfaces interfaces) {
    if (settings.directorInterface().isPresent()) {
      return settings.directorInterface();
    }
    return internalIps(node).stream()
        .filter(a -> Ips.isIpv6(a) == ipv6)
        .map(interfaces::holding)
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** The VIP families ({@value #IPV4}, {@value #IPV6}) this node has an interface for. */
  public static Set<String> families(Node node, AgentSettings settings, HostInterfaces interfaces) {
    Set<String> f = new TreeSet<>();
    if (forFamily(false, node, settings, interfaces).isPresent()) {
      f.add(IPV4);
    }
    if (forFamily(true, node, settings, interfaces).isPresent()) {
      f.add(IPV6);
    }
    return f;
  }

  /** The node's InternalIP addresses, in the order the Node lists them. */
  public static List<InetAddress> internalIps(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return List.of();
    }
    List<InetAddress> result = new ArrayList<>();
    for (NodeAddress a : node.getStatus().getAddresses()) {
      if (INTERNAL_IP.equals(a.getType())) {
        Ips.parse(a.getAddress()).ifPresent(result::add);
      }
    }
    return result;
  }
}
