package dev.lvs.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.events.ConditionEvents.EventSpec;
import dev.lvs.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionEventsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static Condition c(String type, boolean status, String reason, String message) {
    return Conditions.of(type, status, reason, message, 1L, List.of(), NOW);
  }

  @Test
  void aProblemAppearingChangingAndResolvingEachGivesOneEvent() {
    var ok = List.of(c(Conditions.DEGRADED, false, "AsExpected", "fine"));
    var bad = List.of(c(Conditions.DEGRADED, true, "NoDirectorNodes", "label a node"));
    var worse = List.of(c(Conditions.DEGRADED, true, "NoDirectorNodes", "label two nodes"));

    assertThat(ConditionEvents.between(ok, bad))
        .containsExactly(
            new EventSpec(Conditions.DEGRADED, "Warning", "NoDirectorNodes", "label a node"));
    assertThat(ConditionEvents.between(bad, bad)).as("unchanged: no event").isEmpty();
    assertThat(ConditionEvents.between(bad, worse)).hasSize(1);
    assertThat(ConditionEvents.between(worse, ok))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("Normal");
              assertThat(e.reason()).isEqualTo("Resolved");
            });
  }

  @Test
  void readyEventsOnlyOnFlips() {
    var pending = List.of(c(Conditions.READY, false, "AgentsPending", "waiting for d1"));
    var pending2 = List.of(c(Conditions.READY, false, "AgentsPending", "waiting for d2"));
    var ready = List.of(c(Conditions.READY, true, "AllAgentsApplied", "done"));
    assertThat(ConditionEvents.between(List.of(), pending)).isEmpty();
    assertThat(ConditionEvents.between(pending, pending2)).isEmpty();
    assertThat(ConditionEvents.between(pending2, ready))
        .extracting(EventSpec::type)
        .containsExactly("Normal");
    assertThat(ConditionEvents.between(ready, pending))
        .extracting(EventSpec::type)
        .containsExactly("Warning");
  }

  @Test
  void conflictNamesTheWinner() {
    var conflict =
        List.of(c(Conditions.CONFLICT, true, "DuplicateVirtualService", "a/web already uses it"));
    assertThat(ConditionEvents.between(List.of(), conflict))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("a/web"));
  }
}
