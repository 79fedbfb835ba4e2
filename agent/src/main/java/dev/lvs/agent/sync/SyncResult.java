package dev.lvs.agent.sync;

import dev.lvs.agent.election.DirectorRoles;
import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One sync, start to end: the objects it computed from, what was desired, planned and applied.
 *
 * @param sourcesLoaded whether every source had fully loaded (if not, nothing was pruned)
 * @param roles this director's elected role per VIP
 */
public record SyncResult(
    Instant time,
    boolean sourcesLoaded,
    Snapshot snapshot,
    DesiredState desired,
    Plan plan,
    ApplyResult applied,
    DirectorRoles roles) {

  /** A result without an election (every director holds every VIP it serves). */
  public SyncResult(
      Instant time,
      boolean sourcesLoaded,
      Snapshot snapshot,
      DesiredState desired,
      Plan plan,
      ApplyResult applied) {
    this(time, sourcesLoaded, snapshot, desired, plan, applied, DirectorRoles.ALL);
  }

  /** Every problem: bad input and conflicts, conflicts found in the kernel, failed steps. */
  public List<Problem> problems() {
    List<Problem> all = new ArrayList<>(desired.problems());
    all.addAll(plan.problems());
    for (ApplyResult.StepFailure f : applied.failures()) {
      String message = f.step().describe() + ": " + f.message();
      if (f.step().wantedBy().isEmpty()) {
        all.add(Problem.failed(null, message));
      }
      for (ObjectRef vs : f.step().wantedBy()) {
        all.add(Problem.failed(vs, message));
      }
    }
    return all;
  }

  /** The problems of one VirtualService. */
  public List<Problem> problemsOf(ObjectRef virtualService) {
    return problems().stream().filter(p -> virtualService.equals(p.virtualService())).toList();
  }

  /** Whether every planned step succeeded. */
  public boolean applyOk() {
    return applied.failures().isEmpty();
  }
}
