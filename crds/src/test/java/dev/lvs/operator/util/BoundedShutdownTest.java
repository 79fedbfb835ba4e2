package dev.lvs.operator.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.operator.util.BoundedShutdown.Step;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BoundedShutdownTest {
  private final List<Integer> halts = new CopyOnWriteArrayList<>();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private BoundedShutdown shutdown(Duration timeout) {
    return new BoundedShutdown("test", timeout, halts::add);
  }

  private Step step(String what) {
    return new Step(what, () -> ran.add(what));
  }

  @Test
  void aStepThatBlocksForeverDoesNotHoldTheProcessBeyondTheDeadline() {
    CountDownLatch never = new CountDownLatch(1);
    Step blocks =
        new Step(
            "a step that never returns",
            () -> {
              ran.add("blocks");
              try {
                never.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    long start = System.nanoTime();
    shutdown(Duration.ofMillis(300)).run(List.of(step("first"), blocks, step("after")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(halts).containsExactly(0);
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("first", "blocks"); // "after" is skipped
  }

  @Test
  void stepsThatFinishRunInOrderAndTheHaltFollowsAtOnce() {
    long start = System.nanoTime();
    shutdown(Duration.ofSeconds(30)).run(List.of(step("a"), step("b"), step("c")));

    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(halts).containsExactly(0);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aStepThatFailsDoesNotSkipTheOthers() {
    Step fails =
        new Step(
            "a failing step",
            () -> {
              throw new IllegalStateException("boom");
            });
    shutdown(Duration.ofSeconds(30)).run(List.of(step("a"), fails, step("c")));

    assertThat(ran).containsExactly("a", "c");
    assertThat(halts).containsExactly(0);
  }

  @Test
  void withNoExitChosenTheStatusIsZero() {
    assertThat(shutdown(Duration.ofSeconds(1)).status()).isZero();
  }

  @Test
  void theTimeoutMustBePositive() {
    assertThatThrownBy(() -> shutdown(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> shutdown(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
