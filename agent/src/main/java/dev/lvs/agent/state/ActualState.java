package dev.lvs.agent.state;

import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the kernel holds, as far as the agent needs to know.
 *
 * @param destinations listed only for services the agent owns
 * @param sysctls the parameters the agent wants or owns; empty when the kernel lacks one
 */
public record ActualState(
    Map<ServiceKey, IpvsService> services,
    Map<ServiceKey, Map<DestinationKey, IpvsDestination>> destinations,
    List<Link> links,
    List<IfAddress> addresses,
    Map<String, Optional<String>> sysctls) {
  public static final ActualState EMPTY =
      new ActualState(Map.of(), Map.of(), List.of(), List.of(), Map.of());

  public ActualState {
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
  }

  public Map<DestinationKey, IpvsDestination> destinationsOf(ServiceKey key) {
    return destinations.getOrDefault(key, Map.of());
  }

  public Optional<Link> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  public Optional<Link> link(int index) {
    return links.stream().filter(l -> l.index() == index).findFirst();
  }
}
