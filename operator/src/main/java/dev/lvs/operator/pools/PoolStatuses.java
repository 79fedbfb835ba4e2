package dev.lvs.operator.pools;

import dev.lvs.operator.api.IpLiterals;
import dev.lvs.operator.api.pools.IpRange;
import dev.lvs.operator.api.pools.Pool;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A VipPool's status: Ready, or why not (an entry that cannot be used, or an overlap with another
 * pool, which would make two admins' grants ambiguous), and how many VirtualServices use it.
 */
public final class PoolStatuses {
  private PoolStatuses() {}

  public static final String READY = "Ready";
  public static final String REASON_OK = "Valid";
  public static final String REASON_INVALID = "Invalid";
  public static final String REASON_OVERLAPS = "Overlaps";

  /** The status of {@code pool} among {@code all} pools, given every VirtualService. */
  public static VipPoolStatus of(
      VipPool pool, List<Pool> all, List<VirtualService> services, Instant now) {
    Pool self = Pool.of(pool);
    List<String> problems = new ArrayList<>(self.problems());
    String reason = problems.isEmpty() ? REASON_OK : REASON_INVALID;
    if (problems.isEmpty()) {
      for (Pool other : all) {
        if (other.name().equals(self.name())) {
          continue;
        }
        overlap(self, other)
            .ifPresent(o -> problems.add("overlaps VipPool " + other.name() + " (" + o + ")"));
      }
      if (!problems.isEmpty()) {
        reason = REASON_OVERLAPS;
      }
    }
    int assigned = 0;
    for (VirtualService vs : services) {
      if (vs.getSpec() == null || vs.isMarkedForDeletion()) {
        continue;
      }
      Optional<InetAddress> vip = IpLiterals.tryParse(vs.getSpec().getVip());
      if (vip.isPresent() && self.contains(vip.get())) {
        assigned++;
      }
    }
    VipPoolStatus status = new VipPoolStatus();
    status.setObservedGeneration(pool.getMetadata().getGeneration());
    status.setAssigned(assigned);
    Condition previous =
        pool.getStatus() == null
            ? null
            : pool.getStatus().getConditions().stream()
                .filter(c -> READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    String state = problems.isEmpty() ? "True" : "False";
    String message =
        problems.isEmpty()
            ? self.ranges().size() + " range(s) usable"
            : String.join("; ", problems);
    String since =
        previous != null && state.equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : now.toString();
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType(READY)
                .withStatus(state)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(pool.getMetadata().getGeneration())
                .withLastTransitionTime(since)
                .build()));
    return status;
  }

  /** The first overlapping pair of ranges of two pools, as text, or empty. */
  static Optional<String> overlap(Pool a, Pool b) {
    for (IpRange x : a.ranges()) {
      for (IpRange y : b.ranges()) {
        if (x.overlaps(y)) {
          return Optional.of(x + " and " + y);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether two statuses say the same, ignoring transition times. */
  public static boolean same(VipPoolStatus a, VipPoolStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return java.util.Objects.equals(a.getAssigned(), b.getAssigned())
        && java.util.Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && strip(a.getConditions()).equals(strip(b.getConditions()));
  }

  private static List<String> strip(List<Condition> conditions) {
    return conditions.stream()
        .map(c -> c.getType() + "|" + c.getStatus() + "|" + c.getReason() + "|" + c.getMessage())
        .toList();
  }
}
