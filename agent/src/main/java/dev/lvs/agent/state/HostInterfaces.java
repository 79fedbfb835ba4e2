package dev.lvs.agent.state;

import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which local interface holds which address: how the desired state finds a node's main interface
 * (the one with its InternalIP) without reading the kernel itself.
 */
public record HostInterfaces(Map<InetAddress, String> interfaceByAddress) {
  public static final HostInterfaces NONE = new HostInterfaces(Map.of());

  public HostInterfaces {
    interfaceByAddress = Map.copyOf(interfaceByAddress);
  }

  public Optional<String> holding(InetAddress address) {
    return Optional.ofNullable(interfaceByAddress.get(address));
  }

  public static HostInterfaces from(List<Link> links, List<IfAddress> addresses) {
    Map<Integer, String> names = new HashMap<>();
    links.forEach(l -> names.put(l.index(), l.name()));
    Map<InetAddress, String> byAddress = new HashMap<>();
    for (IfAddress a : addresses) {
      String name = names.get(a.linkIndex());
      if (name != null) {
        byAddress.putIfAbsent(a.address(), name);
      }
    }
    return new HostInterfaces(byAddress);
  }

  /** For tests: one interface holding the given address literals. */
  public static HostInterfaces of(String interfaceName, String... addresses) {
    Map<InetAddress, String> byAddress = new HashMap<>();
    for (String a : addresses) {
      byAddress.put(Ips.literal(a), interfaceName);
    }
    return new HostInterfaces(byAddress);
  }
}
