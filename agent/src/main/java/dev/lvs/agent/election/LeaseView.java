package dev.lvs.agent.election;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one director's Lease says, as every agent reads it.
 *
 * @param node the director's node name (the Lease's holder)
 * @param families the VIP families the director can hold ({@code IPv4}, {@code IPv6}): those for
 *     which it has an interface with the node's InternalIP
 * @param heldVips the VIPs (canonical literals) the director holds on its interface now, each with
 *     a kernel lifetime that ends before its Lease does
 * @param unboundedVips VIPs it holds without a lifetime: those it held with no standby to take
 *     over, so that an agent restart does not interrupt them; a peer takes such a VIP over from a
 *     lapsed Lease only once the node is not Ready or gone
 * @param acquired when the director's current unbroken tenure of the Lease began
 * @param ineligible why the director takes no VIP at all, or null
 */
public record LeaseView(
    String node,
    Set<String> families,
    Set<String> heldVips,
    Set<String> unboundedVips,
    Instant acquired,
    String ineligible) {
  public static final String IPV4 = "IPv4";
  public static final String IPV6 = "IPv6";

  public LeaseView {
    Objects.requireNonNull(node, "node");
    families = Set.copyOf(new TreeSet<>(families));
    heldVips = Set.copyOf(new TreeSet<>(heldVips));
    unboundedVips = Set.copyOf(new TreeSet<>(unboundedVips));
    acquired = acquired == null ? Instant.EPOCH : acquired;
  }

  /** A lease without unbounded VIPs. */
  public LeaseView(
      String node,
      Set<String> families,
      Set<String> heldVips,
      Instant acquired,
      String ineligible) {
    this(node, families, heldVips, Set.of(), acquired, ineligible);
  }

  /** Whether it holds {@code vip}, with or without a lifetime. */
  public boolean holds(String vip) {
    return heldVips.contains(vip) || unboundedVips.contains(vip);
  }

  public boolean serves(String family) {
    return ineligible == null && families.contains(family);
  }
}
