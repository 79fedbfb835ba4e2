package dev.lvs.operator.api.pools;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a namespace may use a VIP: the address must not be a forbidden one ({@link
 * ForbiddenVips}) and must lie in a pool that admits the namespace. The operator, the agents and
 * the tests all decide with this class, so that they cannot disagree; the admission policy's CEL
 * says the same in the API server's language (its IT keeps the two in step).
 */
public final class PoolAdmission {
  private PoolAdmission() {}

  /** The decision: the admitting pool, or why the VIP is refused. */
  public sealed interface Decision {
    /** {@code reason} is a condition reason: VipNotInPool or VipForbidden. */
    record Refused(String reason, String message) implements Decision {}

    record Admitted(String pool) implements Decision {}

    default boolean admitted() {
      return this instanceof Admitted;
    }
  }

  public static final String NOT_IN_POOL = "VipNotInPool";
  public static final String FORBIDDEN = "VipForbidden";

  /**
   * Decides for {@code vip} of a service in {@code namespace} (labels {@code namespaceLabels}).
   * Pools are tried by name, so the admitting pool named is the same everywhere. The message names
   * {@code spec.vip} and every pool considered, with why each one did not admit it.
   */
  public static Decision decide(
      InetAddress vip,
      String namespace,
      Map<String, String> namespaceLabels,
      List<Pool> pools,
      HostAddresses hostAddresses) {
    Optional<String> forbidden = ForbiddenVips.why(vip, hostAddresses);
    if (forbidden.isPresent()) {
      return new Decision.Refused(
          FORBIDDEN, "spec.vip: " + vip.getHostAddress() + " " + forbidden.get() + ": never a VIP");
    }
    List<Pool> sorted = new ArrayList<>(pools);
    sorted.sort(Comparator.comparing(Pool::name));
    List<String> considered = new ArrayList<>();
    for (Pool p : sorted) {
      boolean contains = p.contains(vip);
      boolean admits = p.admits(namespaceLabels);
      if (contains && admits) {
        return new Decision.Admitted(p.name());
      }
      if (contains) {
        considered.add(p.name() + " (contains it, but does not admit namespace " + namespace + ")");
      } else if (admits) {
        considered.add(p.name() + " (does not contain it)");
      } else {
        considered.add(p.name() + " (neither contains it nor admits namespace " + namespace + ")");
      }
    }
    String tail =
        considered.isEmpty()
            ? "there are no VipPools: a cluster admin must create one"
            : "pools considered: " + String.join(", ", considered);
    return new Decision.Refused(
        NOT_IN_POOL,
        "spec.vip: "
            + vip.getHostAddress()
            + " is in no VipPool that admits namespace "
            + namespace
            + "; "
            + tail);
  }

  /** The pools that {@code namespace} may be assigned a VIP from, by name. */
  public static List<Pool> assignable(Map<String, String> namespaceLabels, List<Pool> pools) {
    return pools.stream()
        .filter(p -> p.autoAssign() && p.admits(namespaceLabels))
        .sorted(Comparator.comparing(Pool::name))
        .toList();
  }
}
