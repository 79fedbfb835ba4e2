package dev.lvs.agent.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseCodecTest {
  static final Instant T = Instant.parse("2026-12-03T12:00:00Z");

  @Test
  void whatIsRenderedReadsBack() {
    Lease l =
        LeaseCodec.render(
            "lvs-system",
            "director2",
            Duration.ofMillis(2500),
            T.minusSeconds(60),
            T,
            Set.of("IPv4"),
            Set.of("172.16.58.1", "172.16.58.10"),
            Set.of("172.16.58.20"),
            null);
    assertThat(l.getMetadata().getName()).isEqualTo("lvs-director-director2");
    assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
    LeaseView v = LeaseCodec.read(l).orElseThrow();
    assertThat(v.node()).isEqualTo("director2");
    assertThat(v.heldVips()).containsExactlyInAnyOrder("172.16.58.1", "172.16.58.10");
    assertThat(v.unboundedVips()).containsExactly("172.16.58.20");
    assertThat(v.holds("172.16.58.20")).isTrue();
    assertThat(v.families()).containsExactly("IPv4");
    assertThat(v.acquired()).isEqualTo(T.minusSeconds(60));
    assertThat(v.ineligible()).isNull();
    assertThat(v.serves("IPv4")).isTrue();
    assertThat(v.serves("IPv6")).isFalse();
  }

  @Test
  void aQuickRestartKeepsTheTenureASlowOneStartsANewOne() {
    Lease l =
        LeaseCodec.render(
            "ns",
            "d1",
            Duration.ofSeconds(3),
            T.minusSeconds(600),
            T,
            Set.of(),
            Set.of(),
            Set.of(),
            null);
    assertThat(LeaseCodec.tenure(l, "d1", Duration.ofSeconds(3), T.plusSeconds(2)))
        .isEqualTo(T.minusSeconds(600));
    assertThat(LeaseCodec.tenure(l, "d1", Duration.ofSeconds(3), T.plusSeconds(4)))
        .isEqualTo(T.plusSeconds(4));
    assertThat(LeaseCodec.tenure(l, "other", Duration.ofSeconds(3), T.plusSeconds(1)))
        .isEqualTo(T.plusSeconds(1));
    assertThat(LeaseCodec.tenure(null, "d1", Duration.ofSeconds(3), T)).isEqualTo(T);
  }

  @Test
  void aLeaseWithoutHolderIsNoDirectorLease() {
    assertThat(LeaseCodec.read(new Lease())).isEmpty();
  }

  @Test
  void lifetimesEndBeforeTheLeaseDoes() {
    long s = 1_000_000_000L;
    // Right after a renewal sent at 0 with a 3 s lease: 2 s, gone by 2.3 s at the latest.
    assertThat(LeaseElector.lifetimeSeconds(3 * s, s / 100)).isEqualTo(2);
    assertThat(LeaseElector.lifetimeSeconds(3 * s, 3 * s / 2)).isEqualTo(1);
    assertThat(LeaseElector.lifetimeSeconds(3 * s, 2 * s)).isZero();
    assertThat(LeaseElector.lifetimeSeconds(3 * s, 4 * s)).isZero();
  }
}
