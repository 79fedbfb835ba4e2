package dev.lvs.agent.election;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * This director's part in each VIP it serves: whether it holds the VIP now (active) or keeps the
 * IPVS services only (standby). {@link #ALL} is the answer without an election: hold every VIP.
 */
public final class DirectorRoles {
  /** This director's role for one VIP. */
  public enum Role {
    /** Holds the VIP on its interface and answers ARP/ND for it. */
    ACTIVE,
    /** Programs the IPVS service, does not hold the VIP: another director is active. */
    STANDBY,
    /** Chosen as active, but the previous holder has not yet released the VIP. */
    WAITING
  }

  /**
   * @param active the director chosen to hold the VIP, or null when none is eligible
   * @param standbys the other eligible directors
   * @param reason why this director has its role (for logs and its node report)
   */
  public record VipRole(
      String vip, Role role, String active, List<String> standbys, String reason) {
    public VipRole {
      standbys = List.copyOf(standbys);
    }
  }

  public static final DirectorRoles ALL = new DirectorRoles(false, Map.of());

  private final boolean elected;
  private final Map<String, VipRole> byVip;

  public DirectorRoles(boolean elected, Map<String, VipRole> byVip) {
    this.elected = elected;
    this.byVip = new TreeMap<>(byVip);
  }

  /** Whether this director may hold {@code vip} (a canonical literal) on its interface. */
  public boolean mayHold(String vip) {
    if (!elected) {
      return true;
    }
    VipRole r = byVip.get(vip);
    return r != null && r.role() == Role.ACTIVE;
  }

  /** Whether an election decided these roles (false: {@link #ALL}). */
  public boolean elected() {
    return elected;
  }

  public Optional<VipRole> of(String vip) {
    return Optional.ofNullable(byVip.get(vip));
  }

  public Map<String, VipRole> byVip() {
    return byVip;
  }
}
