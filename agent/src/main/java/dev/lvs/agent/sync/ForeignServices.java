package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.Ownership;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a director VIP must stay off the node because the IPVS service it is for belongs to
 * something else: a keepalived backup holds the service but not the VIP, and adding the VIP would
 * make this node a second ARP responder for it. Pure; indexes the desired services by VIP once.
 */
final class ForeignServices {
  private final Map<InetAddress, List<ServiceKey>> byVip = new HashMap<>();
  private final ActualState actual;
  private final Ownership ownership;

  ForeignServices(DesiredState desired, ActualState actual, Ownership ownership) {
    this.actual = actual;
    this.ownership = ownership;
    for (ServiceKey key : desired.services().keySet()) {
      if (key.address() != null) {
        byVip.computeIfAbsent(key.address(), k -> new ArrayList<>()).add(key);
      }
    }
  }

  /**
   * The desired service on {@code vip} that exists and is not ours, when no desired service on it
   * is ours or about to be created by us; empty when the VIP may go on.
   */
  Optional<ServiceKey> blocking(DesiredAddress vip) {
    if (!vip.isDirectorVip()) {
      return Optional.empty();
    }
    ServiceKey foreign = null;
    for (ServiceKey key : byVip.getOrDefault(vip.address(), List.of())) {
      boolean present = actual.services().containsKey(key);
      if (!present || ownership.ownsService(key)) {
        return Optional.empty(); // ours already, or one the plan creates
      }
      if (foreign == null) {
        foreign = key;
      }
    }
    return Optional.ofNullable(foreign);
  }
}
