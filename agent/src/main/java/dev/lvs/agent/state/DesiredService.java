package dev.lvs.agent.state;

import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An IPVS service a director wants, with its destinations, for one VirtualService. */
public record DesiredService(
    IpvsService service,
    ObjectRef virtualService,
    Map<DestinationKey, DesiredDestination> destinations) {
  public DesiredService {
    destinations = Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
  }
}
