package dev.lvs.agent.pools;

import java.util.Locale;

/**
 * What an agent does with a VIP that lies in no VipPool admitting its service's namespace ({@code
 * --vip-pools}). Forbidden addresses (a node's, a host interface's, loopback, link-local,
 * multicast, unspecified) are refused in every mode.
 */
public enum PoolEnforcement {
  /** Refuse it: no address, no IPVS service; reported in the node report. */
  ENFORCE,
  /** Program it, and report and log that it is in no pool (for the upgrade to pools). */
  WARN,
  /** Do not look at pools (standalone manifests, which have none). */
  OFF;

  /** From the flag's value: Enforce, Warn or Off (any case). */
  public static PoolEnforcement parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--vip-pools: \"" + text + "\" is not one of Enforce, Warn, Off");
    }
  }
}
