package dev.lvs.agent.state;

import dev.lvs.agent.ipvs.IpvsDestination;

/**
 * A destination the desired state wants in a service.
 *
 * @param realServer the RealServer it comes from; null for the director itself (local node)
 */
public record DesiredDestination(
    IpvsDestination destination, ObjectRef realServer, boolean localNode) {

  /** Where it comes from, for logs: {@code default/rs1} or {@code localNode}. */
  public String source() {
    return localNode ? "localNode" : String.valueOf(realServer);
  }
}
