package dev.lvs.operator.api.pools;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Addresses that are never a VIP, whatever the pools say: a director that held one would answer
 * ARP/ND for an address that is not a service's, or could not hold it at all. The operator checks
 * them with the Nodes' addresses, the agents with their own interfaces' addresses as well.
 */
public final class ForbiddenVips {
  private ForbiddenVips() {}

  private record Block(IpRange range, String why) {}

  private static final List<Block> BLOCKS =
      List.of(
          new Block(IpRange.parse("0.0.0.0/8"), "is in 0.0.0.0/8 (\"this network\", unspecified)"),
          new Block(IpRange.parse("127.0.0.0/8"), "is a loopback address (127.0.0.0/8)"),
          new Block(IpRange.parse("169.254.0.0/16"), "is a link-local address (169.254.0.0/16)"),
          new Block(IpRange.parse("224.0.0.0/4"), "is a multicast address (224.0.0.0/4)"),
          new Block(IpRange.parse("255.255.255.255"), "is the limited broadcast address"),
          new Block(IpRange.parse("::"), "is the unspecified address (::)"),
          new Block(IpRange.parse("::1"), "is the loopback address (::1)"),
          new Block(IpRange.parse("fe80::/10"), "is a link-local address (fe80::/10)"),
          new Block(IpRange.parse("ff00::/8"), "is a multicast address (ff00::/8)"));

  /** The address classes never allowed, as ranges (for allocators, which skip them whole). */
  public static List<IpRange> classRanges() {
    return BLOCKS.stream().map(Block::range).toList();
  }

  /**
   * Why {@code vip} may never be a VIP, as a predicate to put after it ("is a loopback address
   * (127.0.0.0/8)"), or empty. {@code hostAddresses} are the nodes' (or the interfaces') addresses,
   * each with the name of its holder: "is the address of node rs2 (InternalIP)".
   */
  public static Optional<String> why(InetAddress vip, HostAddresses hostAddresses) {
    for (Block b : BLOCKS) {
      if (b.range().contains(vip)) {
        return Optional.of(b.why());
      }
    }
    return hostAddresses.holderOf(vip).map(holder -> "is the address of " + holder);
  }

  /** {@link #why} without host addresses: the address classes alone. */
  public static Optional<String> why(InetAddress vip) {
    return why(vip, HostAddresses.NONE);
  }
}
