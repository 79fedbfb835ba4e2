package dev.lvs.agent.state;

import dev.lvs.agent.ipvs.IpvsDestination;

/**
 * A destination the desired state wants in a service.
 *
 * @param realServer the RealServer it comes from; null for the director itself (local node)
 * @param quiescedBecause why the destination has weight 0 whatever the RealServer asks (its node is
 *     not Ready), or null when it has the RealServer's own weight
 */
public record DesiredDestination(
    IpvsDestination destination, ObjectRef realServer, boolean localNode, String quiescedBecause) {

  public DesiredDestination(IpvsDestination destination, ObjectRef realServer, boolean localNode) {
    this(destination, realServer, localNode, null);
  }

  /**
   * Where it comes from, for logs: {@code default/rs1}, {@code localNode}, or {@code default/rs1
   * (quiesced: node n1 is not Ready, Ready=Unknown)}.
   */
  public String source() {
    String source = localNode ? "localNode" : String.valueOf(realServer);
    return quiescedBecause == null ? source : source + " (quiesced: " + quiescedBecause + ")";
  }
}
