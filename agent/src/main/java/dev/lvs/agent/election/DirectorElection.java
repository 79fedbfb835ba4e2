package dev.lvs.agent.election;

import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.state.OwnedAddress;
import java.util.Collection;
import java.util.Set;

/** What a sync asks of the election, and tells it back. */
public interface DirectorElection {
  /**
   * This director's roles for the sync about to run.
   *
   * @param holding the director VIPs this node holds now
   * @param families the VIP families this node can hold (it has an interface for them)
   */
  DirectorRoles roles(Snapshot snapshot, Set<String> holding, Set<String> families);

  /** After a sync: the director VIP addresses this node holds now, for its Lease. */
  default void held(Collection<OwnedAddress> directorAddresses) {}

  /**
   * The lifetime in whole seconds to give director VIP {@code vip} when added now, so that the
   * kernel removes it before a peer could take over if this agent stops renewing; 0 when it may not
   * be added now; {@link #FOREVER} when no lifetime is needed (no election, or no standby).
   */
  default long vipLifetimeSeconds(String vip) {
    return FOREVER;
  }

  /** The registry of held VIPs and their lifetimes; null without an election. */
  default HeldVips heldVips() {
    return null;
  }

  /**
   * After a sync, under the kernel lock: keep what the election needs in the kernel beside the VIPs
   * (the IPVS sync daemons).
   *
   * @param director whether this node directs any VIP
   * @param ipv4Interface the interface holding the node's IPv4 InternalIP, if any
   */
  default void afterSync(boolean director, java.util.Optional<String> ipv4Interface) {}

  long FOREVER = 0xFFFFFFFFL;

  /** No election: every director holds every VIP it serves. */
  DirectorElection NONE = (snapshot, holding, families) -> DirectorRoles.ALL;
}
