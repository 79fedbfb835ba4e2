package dev.lvs.operator.reconciler;

import dev.lvs.operator.events.ConditionEvents;
import dev.lvs.operator.events.ConditionEvents.EventSpec;
import dev.lvs.operator.events.EventRecorder;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.status.Conditions.Reasons;
import dev.lvs.operator.status.DeletionGate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both finalizers do when the deletion gate lets an object go: say why if the agents did not
 * all confirm (a timeout, or agents whose nodes are gone), log it, and forget its events.
 */
final class FinalizerRelease {
  private static final Logger log = LoggerFactory.getLogger(FinalizerRelease.class);

  private FinalizerRelease() {}

  /**
   * @param leftBehind what may remain in the kernel after a timeout, for the event's message
   */
  static void release(
      EventRecorder events, HasMetadata obj, DeletionGate.State state, String leftBehind) {
    if (state.timedOut()) {
      events.emit(
          obj,
          new EventSpec(
              Reasons.DELETION_TIMED_OUT,
              ConditionEvents.WARNING,
              Reasons.DELETION_TIMED_OUT,
              "gave up waiting at "
                  + state.deadline()
                  + " for the agents on nodes "
                  + String.join(", ", state.waitingOn())
                  + "; "
                  + leftBehind));
    } else if (!state.goneAgents().isEmpty()) {
      events.emit(
          obj,
          new EventSpec(
              Reasons.AGENT_GONE,
              ConditionEvents.WARNING,
              Reasons.AGENT_GONE,
              state.goneMessage()));
    }
    log.info(
        "event=finalizer-removed kind={} object={} timedOut={} goneAgents={}",
        obj.getKind(),
        ClusterView.id(obj),
        state.timedOut(),
        state.goneAgents().keySet());
    events.forget(obj);
  }
}
