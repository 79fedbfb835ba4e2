package dev.lvs.agent.state;

/** The kernel parameters the agent manages, relative to /proc/sys. */
public final class SysctlPaths {
  private SysctlPaths() {}

  /** 1: answer ARP only for addresses on the interface the request came in on. */
  public static final String ARP_IGNORE_VALUE = "1";

  /** 2: always use the best local address (never the VIP on lo) as the ARP source. */
  public static final String ARP_ANNOUNCE_VALUE = "2";

  public static final String EXPIRE_NODEST_CONN = "net/ipv4/vs/expire_nodest_conn";
  public static final String EXPIRE_QUIESCENT_TEMPLATE = "net/ipv4/vs/expire_quiescent_template";
  public static final String CONN_REUSE_MODE = "net/ipv4/vs/conn_reuse_mode";

  public static String arpIgnore(String interfaceName) {
    return "net/ipv4/conf/" + interfaceName + "/arp_ignore";
  }

  public static String arpAnnounce(String interfaceName) {
    return "net/ipv4/conf/" + interfaceName + "/arp_announce";
  }
}
