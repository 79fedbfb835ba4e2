package dev.lvs.agent.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AssignmentTest {
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  static final Duration REBALANCE = Duration.ofMinutes(10);
  static final Map<String, Instant> OLD = new HashMap<>();

  static List<String> vips(int n) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add("10.0." + (i / 250) + "." + (i % 250 + 1));
    }
    return v;
  }

  static Map<String, String> assign(List<String> vips, List<String> nodes) {
    Map<String, String> m = new HashMap<>();
    for (String v : vips) {
      m.put(v, Assignment.activeFor(v, nodes, OLD, NOW, REBALANCE).orElseThrow());
    }
    return m;
  }

  @Test
  void theSameWhateverTheOrderOfTheNodes() {
    List<String> nodes = new ArrayList<>(List.of("d1", "d2", "d3", "d4"));
    Map<String, String> first = assign(vips(500), nodes);
    Random r = new Random(7);
    for (int i = 0; i < 10; i++) {
      Collections.shuffle(nodes, r);
      assertThat(assign(vips(500), nodes)).isEqualTo(first);
    }
  }

  @Test
  void spreadsVipsOverTheDirectors() {
    Map<String, String> a = assign(vips(1000), List.of("d1", "d2", "d3", "d4"));
    Map<String, Long> perNode = new HashMap<>();
    a.values().forEach(n -> perNode.merge(n, 1L, Long::sum));
    assertThat(perNode).hasSize(4);
    // 250 each on average; rendezvous hashing keeps each well within +-25%.
    assertThat(perNode.values()).allSatisfy(c -> assertThat(c).isBetween(190L, 310L));
  }

  @Test
  void aDirectorLeavingMovesOnlyItsOwnVips() {
    List<String> vips = vips(1000);
    Map<String, String> before = assign(vips, List.of("d1", "d2", "d3", "d4"));
    Map<String, String> after = assign(vips, List.of("d1", "d2", "d4"));
    for (String v : vips) {
      if (!before.get(v).equals("d3")) {
        assertThat(after.get(v)).as(v).isEqualTo(before.get(v));
      } else {
        assertThat(after.get(v)).isNotEqualTo("d3");
      }
    }
  }

  @Test
  void aDirectorJoiningTakesOnlyAboutItsShare() {
    List<String> vips = vips(1000);
    Map<String, String> before = assign(vips, List.of("d1", "d2", "d3"));
    Map<String, String> after = assign(vips, List.of("d1", "d2", "d3", "d4"));
    long moved = vips.stream().filter(v -> !before.get(v).equals(after.get(v))).count();
    assertThat(vips.stream().filter(v -> !before.get(v).equals(after.get(v))))
        .allSatisfy(v -> assertThat(after.get(v)).isEqualTo("d4"));
    assertThat(moved).isBetween(190L, 310L);
  }

  @Test
  void theHolderKeepsAVipUntilThePreferredDirectorHasBeenUpLongEnough() {
    // A VIP that d2 wins on hashing alone.
    String vip =
        vips(100).stream()
            .filter(
                v ->
                    Assignment.activeFor(v, List.of("d1", "d2"), OLD, NOW, REBALANCE)
                        .orElseThrow()
                        .equals("d2"))
            .findFirst()
            .orElseThrow();
    Map<String, Instant> acquired = new HashMap<>();
    acquired.put("d1", NOW.minus(Duration.ofHours(1)));
    acquired.put("d2", NOW.minus(Duration.ofMinutes(1))); // just came back
    List<String> both = List.of("d1", "d2");
    // d1 took it over while d2 was away: it keeps it (no preemption).
    assertThat(Assignment.activeFor(vip, both, List.of("d1"), acquired, NOW, REBALANCE))
        .contains("d1");
    // Once d2 has held its Lease for rebalanceAfter, the VIP moves back: the rebalance.
    assertThat(
            Assignment.activeFor(
                vip, both, List.of("d1"), acquired, NOW.plus(Duration.ofMinutes(9)), REBALANCE))
        .contains("d2");
    // With rebalanceAfter 0 it preempts at once.
    assertThat(Assignment.activeFor(vip, both, List.of("d1"), acquired, NOW, Duration.ZERO))
        .contains("d2");
    // Nobody holds it (a fresh cluster, or the holder is gone): the preferred one, young or not.
    assertThat(Assignment.activeFor(vip, both, List.of(), acquired, NOW, REBALANCE)).contains("d2");
    // A holder that is no longer eligible does not count.
    assertThat(Assignment.activeFor(vip, List.of("d2"), List.of("d1"), acquired, NOW, REBALANCE))
        .contains("d2");
  }

  @Test
  void noEligibleDirectorIsNoChoice() {
    assertThat(Assignment.activeFor("10.0.0.1", List.of(), OLD, NOW, REBALANCE)).isEmpty();
  }
}
