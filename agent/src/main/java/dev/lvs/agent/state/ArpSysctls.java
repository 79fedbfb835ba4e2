package dev.lvs.agent.state;

import java.util.Set;

/**
 * The one rule for how strict an ARP sysctl may already be: the agent only raises a value, never
 * lowers one that already keeps the VIP on {@code lo} silent.
 *
 * <ul>
 *   <li>{@code arp_ignore}: 1 is wanted; 2 (also the sender in the same subnet) and 8 (no reply at
 *       all) are stricter and satisfy it. 3 does not: it only refuses scope-host addresses, and the
 *       agent adds the VIP with scope global, which arp_ignore=3 answers for (the kernel's
 *       arp_ignore(), net/ipv4/arp.c). 4-7 are reserved and behave as 0.
 *   <li>{@code arp_announce}: 2 is wanted and is the strictest level (the kernel treats anything
 *       above 2 as 0).
 * </ul>
 *
 * Any other parameter is satisfied by its exact value only.
 */
public final class ArpSysctls {
  private ArpSysctls() {}

  private static final Set<String> STRICTER_ARP_IGNORE = Set.of("2", "8");

  /** Whether {@code path} is an arp_ignore or arp_announce of some interface. */
  public static boolean isArp(String path) {
    return isArpIgnore(path)
        || (path.startsWith("net/ipv4/conf/") && path.endsWith("/arp_announce"));
  }

  static boolean isArpIgnore(String path) {
    return path.startsWith("net/ipv4/conf/") && path.endsWith("/arp_ignore");
  }

  /**
   * Whether the kernel's {@code current} value of {@code path} already does what {@code wanted}
   * does.
   */
  public static boolean satisfies(String path, String wanted, String current) {
    if (current == null) {
      return false;
    }
    if (current.equals(wanted)) {
      return true;
    }
    return isArpIgnore(path)
        && SysctlPaths.ARP_IGNORE_VALUE.equals(wanted)
        && STRICTER_ARP_IGNORE.contains(current);
  }
}
