package dev.lvs.agent.ipvs;

import java.util.Objects;

/**
 * The configuration of an IPVS virtual service: what a differ compares. Counters live apart, in
 * {@link IpvsStats}, so observation never makes two equal configurations differ.
 *
 * @param flags IP_VS_SVC_F_* (PERSISTENT 0x1, HASHED 0x2 is kernel-owned and must be masked out
 *     when comparing, ONEPACKET 0x4, SCHED1/2/3 0x8/0x10/0x20)
 * @param timeoutSeconds persistence timeout, 0 when not persistent
 * @param netmask persistence netmask: for IPv4 the mask as an int (0xffffffff for /32), for IPv6
 *     the prefix length (128)
 */
public record IpvsService(
    ServiceKey key, String scheduler, int flags, int timeoutSeconds, int netmask) {
  public static final int F_PERSISTENT = 0x1;
  public static final int F_HASHED = 0x2;
  public static final int F_ONEPACKET = 0x4;

  public IpvsService {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scheduler, "scheduler");
    flags &= ~F_HASHED;
  }
}
