package dev.lvs.agent.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessTest {
  static final long S = 1_000_000_000L;

  @Test
  void aLeaseLivesOneDurationAfterItsLastSeenRenewal() {
    Liveness l = new Liveness(Duration.ofSeconds(3));
    l.observe("d1", "r1", 10 * S);
    assertThat(l.live("d1", 12 * S)).isTrue();
    // The same renewTime seen again (a resync of the informer) is no renewal.
    l.observe("d1", "r1", 12 * S);
    assertThat(l.live("d1", 13 * S)).isFalse();
    l.observe("d1", "r2", 14 * S);
    assertThat(l.live("d1", 16 * S)).isTrue();
    assertThat(l.nextExpiry(15 * S)).hasValue(17 * S);
  }

  @Test
  void unknownAndForgottenLeasesAreNotLive() {
    Liveness l = new Liveness(Duration.ofSeconds(3));
    assertThat(l.live("d1", 0)).isFalse();
    l.observe("d1", "r1", 0);
    l.forget("d1");
    assertThat(l.live("d1", 1)).isFalse();
    assertThat(l.nextExpiry(1)).isEmpty();
  }
}
