package dev.lvs.operator.api.pools;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Picks a free VIP from a pool's ranges: the lowest address, in the order the ranges are given,
 * that is not in use, not forbidden, not a host's, and (with {@code avoidBuggyIps}) not an IPv4
 * address ending in .0 or .255, which some old client stacks take for a network or broadcast
 * address. Lowest-first makes the choice reproducible; stability across restarts comes from the
 * assignment being stored (status) and counted as in use from then on.
 *
 * <p>Blocked addresses are merged into ranges and skipped whole, so the cost grows with the number
 * of addresses in use, never with a pool's size (an IPv6 /64 included).
 */
public final class VipAllocator {
  private VipAllocator() {}

  /**
   * The first free address of {@code ranges}, or empty when the pool is exhausted. {@code inUse}
   * are the VIPs already assigned or given explicitly (of any pool).
   */
  public static Optional<InetAddress> next(
      List<IpRange> ranges,
      boolean avoidBuggyIps,
      Collection<InetAddress> inUse,
      HostAddresses hostAddresses) {
    TreeMap<BigInteger, IpRange>[] blocked = blockedByFamily(inUse, hostAddresses);
    for (IpRange range : ranges) {
      TreeMap<BigInteger, IpRange> blocks = blocked[range.family() == 4 ? 0 : 1];
      BigInteger candidate = range.first();
      while (candidate.compareTo(range.last()) <= 0) {
        Map.Entry<BigInteger, IpRange> block = blocks.floorEntry(candidate);
        if (block != null && block.getValue().last().compareTo(candidate) >= 0) {
          candidate = block.getValue().last().add(BigInteger.ONE);
          continue;
        }
        if (avoidBuggyIps && range.family() == 4 && isBuggy(candidate)) {
          candidate = candidate.add(BigInteger.ONE);
          continue;
        }
        return Optional.of(IpRange.toAddress(range.family(), candidate));
      }
    }
    return Optional.empty();
  }

  /** Whether an IPv4 address (as an unsigned integer) ends in .0 or .255. */
  public static boolean isBuggy(BigInteger ipv4) {
    int last = ipv4.intValue() & 0xff;
    return last == 0 || last == 255;
  }

  /** Whether {@code address} is one that {@code avoidBuggyIps} leaves out. */
  public static boolean isBuggy(InetAddress address) {
    return IpRange.familyOf(address) == 4 && isBuggy(IpRange.toBig(address));
  }

  @SuppressWarnings("unchecked")
  private static TreeMap<BigInteger, IpRange>[] blockedByFamily(
      Collection<InetAddress> inUse, HostAddresses hostAddresses) {
    TreeMap<BigInteger, IpRange>[] out = new TreeMap[] {new TreeMap<>(), new TreeMap<>()};
    for (IpRange r : ForbiddenVips.classRanges()) {
      insert(out[r.family() == 4 ? 0 : 1], r);
    }
    for (InetAddress a : inUse) {
      insert(out[IpRange.familyOf(a) == 4 ? 0 : 1], IpRange.of(a));
    }
    for (InetAddress a : hostAddresses.all().keySet()) {
      insert(out[IpRange.familyOf(a) == 4 ? 0 : 1], IpRange.of(a));
    }
    return out;
  }

  /** Adds {@code r}, merging it with the ranges it overlaps or touches. */
  private static void insert(TreeMap<BigInteger, IpRange> blocks, IpRange r) {
    BigInteger first = r.first();
    BigInteger last = r.last();
    Map.Entry<BigInteger, IpRange> before = blocks.floorEntry(first);
    if (before != null && before.getValue().last().add(BigInteger.ONE).compareTo(first) >= 0) {
      first = before.getKey();
      last = last.max(before.getValue().last());
      blocks.remove(before.getKey());
    }
    Map.Entry<BigInteger, IpRange> after = blocks.ceilingEntry(first);
    while (after != null && after.getKey().compareTo(last.add(BigInteger.ONE)) <= 0) {
      last = last.max(after.getValue().last());
      blocks.remove(after.getKey());
      after = blocks.ceilingEntry(first);
    }
    blocks.put(first, new IpRange(r.family(), first, last));
  }
}
