package dev.lvs.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyncHealthTest {
  /** A clock the test moves. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2024-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final StepClock clock = new StepClock();

  @Test
  void healthyWhileSyncsStartOrFinishWithinThreeResyncPeriods() {
    SyncHealth h = new SyncHealth(clock, Duration.ofSeconds(30));
    assertThat(h.grace()).isEqualTo(Duration.ofSeconds(90));
    assertThat(h.problem()).isEmpty(); // just started
    clock.advance(Duration.ofSeconds(90));
    assertThat(h.problem()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(h.problem())
        .contains("no sync started or finished for 91 s since start-up (limit 90 s)");

    h.syncStarted();
    assertThat(h.problem()).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    h.syncFinished();
    clock.advance(Duration.ofSeconds(90));
    assertThat(h.problem()).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(h.problem())
        .contains(
            "no sync started or finished for 120 s since the last sync finished (limit 90 s)");
  }

  @Test
  void aSyncThatHangsIsUnhealthy() {
    SyncHealth h = new SyncHealth(clock, Duration.ofSeconds(30));
    h.syncStarted();
    clock.advance(Duration.ofMinutes(5));
    assertThat(h.problem())
        .contains(
            "no sync started or finished for 300 s since the running sync started (limit 90 s)");
  }

  @Test
  void shortResyncPeriodsGetAMinuteAtLeastAndNoResyncNeverGoesStale() {
    assertThat(new SyncHealth(clock, Duration.ofSeconds(1)).grace())
        .isEqualTo(SyncHealth.MIN_GRACE);
    SyncHealth never = new SyncHealth(clock, Duration.ZERO);
    clock.advance(Duration.ofDays(3));
    assertThat(never.problem()).isEmpty();
  }
}
