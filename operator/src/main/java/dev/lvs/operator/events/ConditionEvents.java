package dev.lvs.operator.events;

import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Kubernetes Events a status change deserves. Events are emitted when a condition appears or
 * changes, never on every reconcile:
 *
 * <ul>
 *   <li>Conflict or Degraded becomes True, or keeps True with a different reason or message: a
 *       Warning with the condition's reason and message;
 *   <li>Conflict or Degraded goes from True to False: a Normal {@code Resolved};
 *   <li>Ready flips: Normal when it becomes True; Warning when it falls from True.
 * </ul>
 */
public final class ConditionEvents {
  private ConditionEvents() {}

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  /**
   * One event to emit. {@code key} identifies what it is about (the condition type), for
   * de-duplication.
   */
  public record EventSpec(String key, String type, String reason, String message) {}

  public static List<EventSpec> between(List<Condition> before, List<Condition> after) {
    List<EventSpec> events = new ArrayList<>();
    for (String type : List.of(Conditions.CONFLICT, Conditions.DEGRADED)) {
      Optional<Condition> old = Conditions.find(before, type);
      Optional<Condition> now = Conditions.find(after, type);
      boolean wasTrue = old.map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
      boolean isTrue = now.map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
      if (isTrue) {
        Condition c = now.get();
        boolean changed =
            !wasTrue
                || !Objects.equals(old.get().getReason(), c.getReason())
                || !Objects.equals(old.get().getMessage(), c.getMessage());
        if (changed) {
          events.add(new EventSpec(type, WARNING, c.getReason(), c.getMessage()));
        }
      } else if (wasTrue && now.isPresent()) {
        events.add(
            new EventSpec(
                type,
                NORMAL,
                Reasons.RESOLVED,
                type + " resolved: " + Objects.toString(now.get().getMessage(), "")));
      }
    }
    Optional<Condition> oldReady = Conditions.find(before, Conditions.READY);
    Optional<Condition> newReady = Conditions.find(after, Conditions.READY);
    if (newReady.isPresent()) {
      boolean wasTrue = oldReady.map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
      boolean isTrue = Conditions.TRUE.equals(newReady.get().getStatus());
      if (isTrue && !wasTrue) {
        events.add(
            new EventSpec(
                Conditions.READY, NORMAL, newReady.get().getReason(), newReady.get().getMessage()));
      } else if (!isTrue && wasTrue) {
        events.add(
            new EventSpec(
                Conditions.READY,
                WARNING,
                newReady.get().getReason(),
                newReady.get().getMessage()));
      }
    }
    return events;
  }
}
