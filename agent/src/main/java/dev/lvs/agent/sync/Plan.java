package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.Problem;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The minimal, ordered kernel changes that turn the actual state into the desired one, the
 * ownership record changes that go with them, and the problems found while planning (conflicts with
 * things the agent does not own).
 *
 * @param servicesInPlace the owned, desired IPVS services already in the kernel (not created by
 *     this plan): what a director VIP may rely on ({@link Dependencies})
 */
public record Plan(
    List<Step> steps,
    List<Forget> forgets,
    List<Problem> problems,
    Set<ServiceKey> servicesInPlace) {
  public static final Plan EMPTY = new Plan(List.of(), List.of(), List.of());

  public Plan {
    steps = steps.stream().sorted(Comparator.comparingInt(Step::rank)).toList();
    forgets = List.copyOf(forgets);
    problems = List.copyOf(problems);
    servicesInPlace = Set.copyOf(servicesInPlace);
  }

  /** A plan that relies on no service already in place. */
  public Plan(List<Step> steps, List<Forget> forgets, List<Problem> problems) {
    this(steps, forgets, problems, Set.of());
  }

  /** Nothing to change in the kernel or in the ownership record. */
  public boolean isEmpty() {
    return steps.isEmpty() && forgets.isEmpty();
  }

  /**
   * This plan without removals or forgets: what may run while some source has not fully loaded (a
   * partial view must never prune).
   */
  public Plan withoutRemovals() {
    return new Plan(
        steps.stream().filter(s -> !s.isRemoval()).toList(), List.of(), problems, servicesInPlace);
  }
}
