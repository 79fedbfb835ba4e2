package dev.lvs.operator.model;

import dev.lvs.operator.api.v1alpha1.Protocol;
import dev.lvs.operator.api.v1alpha1.VirtualService;

/**
 * The identity of an IPVS virtual service in a cluster: VIP (canonical form), port and protocol.
 * Two VirtualServices with the same key cannot both be programmed.
 */
public record ServiceKey(String vip, int port, Protocol protocol) {

  /** The key of a VirtualService, or null when its spec is incomplete. */
  public static ServiceKey of(VirtualService vs) {
    var spec = vs.getSpec();
    if (spec == null || spec.getVip() == null || spec.getPort() == null) {
      return null;
    }
    Protocol protocol = spec.getProtocol() == null ? Protocol.TCP : spec.getProtocol();
    return new ServiceKey(IpAddresses.canonical(spec.getVip()), spec.getPort(), protocol);
  }

  @Override
  public String toString() {
    return (vip.contains(":") ? "[" + vip + "]" : vip) + ":" + port + "/" + protocol;
  }
}
