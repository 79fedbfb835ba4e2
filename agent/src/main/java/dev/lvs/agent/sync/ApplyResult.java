package dev.lvs.agent.sync;

import dev.lvs.agent.state.Ownership;
import java.util.List;

/**
 * What applying a plan did: the steps that succeeded, those that failed (the next sync retries
 * them), and the ownership record afterwards.
 */
public record ApplyResult(List<Step> applied, List<StepFailure> failures, Ownership ownership) {
  public ApplyResult {
    applied = List.copyOf(applied);
    failures = List.copyOf(failures);
  }

  /** A step the kernel refused. */
  public record StepFailure(Step step, String message) {}
}
