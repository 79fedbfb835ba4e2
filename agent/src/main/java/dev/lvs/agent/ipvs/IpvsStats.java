package dev.lvs.agent.ipvs;

/** IPVS counters (IPVS_STATS_ATTR_* from the STATS64 nest; rates are per second). */
public record IpvsStats(
    long connections,
    long inPackets,
    long outPackets,
    long inBytes,
    long outBytes,
    long cps,
    long inPps,
    long outPps,
    long inBps,
    long outBps) {
  public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
