package dev.lvs.agent.sync;

import dev.lvs.agent.state.Problem;
import java.util.Comparator;
import java.util.List;

/**
 * The minimal, ordered kernel changes that turn the actual state into the desired one, the
 * ownership record changes that go with them, and the problems found while planning (conflicts with
 * things the agent does not own).
 */
public record Plan(List<Step> steps, List<Forget> forgets, List<Problem> problems) {
  public static final Plan EMPTY = new Plan(List.of(), List.of(), List.of());

  public Plan {
    steps = steps.stream().sorted(Comparator.comparingInt(Step::rank)).toList();
    forgets = List.copyOf(forgets);
    problems = List.copyOf(problems);
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
    return new Plan(steps.stream().filter(s -> !s.isRemoval()).toList(), List.of(), problems);
  }
}
