package dev.lvs.agent.election;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.withReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.election.DirectorRoles.Role;
import dev.lvs.agent.election.DirectorRoles.VipRole;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The election's state machine, without a cluster: one decision per call. */
class ElectionTest {
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  static final Instant OLD = NOW.minus(Duration.ofHours(1));
  static final String VIP = "172.16.58.1";
  static final List<Node> NODES =
      List.of(director("d1", "172.16.58.2"), director("d2", "172.16.58.3"));
  static final List<VirtualService> WEB = List.of(vs("web", VIP, 80, s -> {}));

  static LeaseView lease(String node, String... held) {
    return new LeaseView(node, Set.of("IPv4"), Set.of(held), OLD, null);
  }

  /** Who hashing picks for VIP among d1 and d2 (so the tests do not depend on the hash). */
  static final String CHOSEN =
      Assignment.activeFor(VIP, List.of("d1", "d2"), Map.of(), NOW, Duration.ZERO).orElseThrow();

  static final String OTHER = CHOSEN.equals("d1") ? "d2" : "d1";

  static VipRole decide(
      String self,
      List<VirtualService> services,
      List<Node> nodes,
      Map<String, LeaseView> leases,
      Set<String> live,
      boolean warm,
      Set<String> holding) {
    DirectorRoles r =
        Election.decide(
            new Election.Input(
                self,
                services,
                nodes,
                leases,
                live,
                warm,
                holding,
                Set.of(),
                NOW,
                Duration.ofMinutes(10)));
    return r.of(VIP).orElse(null);
  }

  static Map<String, LeaseView> both(String[] chosenHeld, String[] otherHeld) {
    Map<String, LeaseView> m = new HashMap<>();
    m.put(CHOSEN, lease(CHOSEN, chosenHeld));
    m.put(OTHER, lease(OTHER, otherHeld));
    return m;
  }

  static final String[] NONE = {};
  static final String[] HELD = {VIP};

  @Test
  void exactlyOneOfTwoDirectorsIsActive() {
    Map<String, LeaseView> leases = both(NONE, NONE);
    Set<String> live = Set.of("d1", "d2");
    VipRole chosen = decide(CHOSEN, WEB, NODES, leases, live, true, Set.of());
    VipRole other = decide(OTHER, WEB, NODES, leases, live, true, Set.of());
    assertThat(chosen.role()).isEqualTo(Role.ACTIVE);
    assertThat(other.role()).isEqualTo(Role.STANDBY);
    assertThat(chosen.active()).isEqualTo(CHOSEN).isEqualTo(other.active());
    assertThat(chosen.standbys()).containsExactly(OTHER);
  }

  @Test
  void theChosenDirectorWaitsUntilTheOldHolderReleasesTheVip() {
    // OTHER held the VIP (it was chosen while CHOSEN was away) and has not yet said it let go.
    Map<String, LeaseView> leases = both(NONE, HELD);
    Map<String, Instant> none = Map.of();
    VipRole r =
        Election.decide(
                new Election.Input(
                    CHOSEN,
                    WEB,
                    NODES,
                    leases,
                    Set.of("d1", "d2"),
                    true,
                    Set.of(),
                    Set.of(),
                    NOW,
                    Duration.ZERO))
            .of(VIP)
            .orElseThrow();
    assertThat(r.role()).isEqualTo(Role.WAITING);
    assertThat(r.reason()).contains("waiting for " + OTHER);
    // The old holder, no longer chosen, gives it up.
    VipRole old =
        Election.decide(
                new Election.Input(
                    OTHER,
                    WEB,
                    NODES,
                    leases,
                    Set.of("d1", "d2"),
                    true,
                    Set.of(VIP),
                    Set.of(),
                    NOW,
                    Duration.ZERO))
            .of(VIP)
            .orElseThrow();
    assertThat(old.role()).isEqualTo(Role.STANDBY);
    assertThat(none).isEmpty();
  }

  @Test
  void aLapsedHoldersListingNoLongerCounts() {
    Map<String, LeaseView> leases = both(NONE, HELD);
    VipRole r = decide(CHOSEN, WEB, NODES, leases, Set.of(CHOSEN), true, Set.of());
    assertThat(r.role()).isEqualTo(Role.ACTIVE);
  }

  @Test
  void aStandbyTakesOverWhenTheActivesLeaseLapses() {
    Map<String, LeaseView> leases = both(HELD, NONE);
    assertThat(decide(OTHER, WEB, NODES, leases, Set.of("d1", "d2"), true, Set.of()).role())
        .isEqualTo(Role.STANDBY);
    VipRole after = decide(OTHER, WEB, NODES, leases, Set.of(OTHER), true, Set.of());
    assertThat(after.role()).isEqualTo(Role.ACTIVE);
    assertThat(after.standbys()).isEmpty();
  }

  @Test
  void aNotReadyActiveNodeGivesUpItsVips() {
    List<Node> nodes =
        List.of(
            withReady(director(CHOSEN, "172.16.58.2"), "False"), director(OTHER, "172.16.58.3"));
    Map<String, LeaseView> leases = both(HELD, NONE);
    VipRole self = decide(CHOSEN, WEB, nodes, leases, Set.of("d1", "d2"), true, Set.of(VIP));
    assertThat(self.role()).isEqualTo(Role.STANDBY);
    assertThat(self.reason()).contains("not Ready");
    // The other waits for the release, which the old holder's Lease will show.
    assertThat(decide(OTHER, WEB, nodes, leases, Set.of("d1", "d2"), true, Set.of()).role())
        .isEqualTo(Role.WAITING);
    assertThat(decide(OTHER, WEB, nodes, both(NONE, NONE), Set.of("d1", "d2"), true, Set.of()))
        .extracting(VipRole::role)
        .isEqualTo(Role.ACTIVE);
  }

  @Test
  void duringTheWarmUpADirectorKeepsExactlyWhatItHolds() {
    Map<String, LeaseView> leases = both(NONE, NONE);
    Set<String> live = Set.of("d1", "d2");
    assertThat(decide(CHOSEN, WEB, NODES, leases, live, false, Set.of()).role())
        .isEqualTo(Role.STANDBY);
    assertThat(decide(OTHER, WEB, NODES, leases, live, false, Set.of(VIP)).role())
        .isEqualTo(Role.ACTIVE);
  }

  @Test
  void aDirectorWithoutTheFamilyIsIneligible() {
    Map<String, LeaseView> leases = new HashMap<>();
    leases.put(CHOSEN, new LeaseView(CHOSEN, Set.of("IPv6"), Set.of(), OLD, null));
    leases.put(OTHER, lease(OTHER));
    VipRole self = decide(CHOSEN, WEB, NODES, leases, Set.of("d1", "d2"), true, Set.of());
    assertThat(self.role()).isEqualTo(Role.STANDBY);
    assertThat(self.active()).isEqualTo(OTHER);
    assertThat(self.reason()).contains("no interface with an IPv4 InternalIP");
  }

  @Test
  void servicesSharingAVipMoveTogetherOnTheDirectorsTheyShare() {
    // A second service on the same VIP selects only OTHER: CHOSEN can no longer hold the VIP.
    Node otherWithExtra =
        node(OTHER, Map.of("lvs.dev/director", "true", "tier", "edge"), "172.16.58.3");
    List<Node> nodes = List.of(director(CHOSEN, "172.16.58.2"), otherWithExtra);
    VirtualService edge =
        vs(
            "edge",
            VIP,
            443,
            s ->
                s.setDirectors(
                    new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "edge")).build()));
    List<VirtualService> services = List.of(WEB.get(0), edge);
    // CHOSEN is not a director of every service of the VIP: it has no role for it.
    assertThat(
            decide(CHOSEN, services, nodes, both(NONE, NONE), Set.of("d1", "d2"), true, Set.of()))
        .isNull();
    VipRole other =
        decide(OTHER, services, nodes, both(NONE, NONE), Set.of("d1", "d2"), true, Set.of());
    assertThat(other.role()).isEqualTo(Role.ACTIVE);
  }

  @Test
  void aDirectorWithoutItsOwnLeaseHoldsNothing() {
    Map<String, LeaseView> leases = new HashMap<>(both(NONE, NONE));
    VipRole self = decide(CHOSEN, WEB, NODES, leases, Set.of(OTHER), true, Set.of(VIP));
    assertThat(self.role()).isEqualTo(Role.STANDBY);
    assertThat(self.reason()).contains("not renewed");
  }

  @Test
  void rolesStayTheSameForTheSameInput() {
    Map<String, LeaseView> leases = both(NONE, NONE);
    Set<String> roles = new TreeSet<>();
    for (int i = 0; i < 5; i++) {
      roles.add(decide(CHOSEN, WEB, NODES, leases, Set.of("d1", "d2"), true, Set.of()).toString());
    }
    assertThat(roles).hasSize(1);
  }

  @Test
  void aVipHeldWithoutALifetimeIsTakenOverOnlyOnceItsNodeIsNotReady() {
    Map<String, LeaseView> leases = new HashMap<>();
    leases.put(CHOSEN, lease(CHOSEN));
    leases.put(OTHER, new LeaseView(OTHER, Set.of("IPv4"), Set.of(), Set.of(VIP), OLD, null));
    // OTHER's agent is gone (its Lease lapsed) but its node is Ready: the VIP may still be there.
    VipRole r = decide(CHOSEN, WEB, NODES, leases, Set.of(CHOSEN), true, Set.of());
    assertThat(r.role()).isEqualTo(Role.WAITING);
    assertThat(r.reason()).contains("held without a lifetime");
    List<Node> otherDown =
        List.of(
            director(CHOSEN, "172.16.58.2"), withReady(director(OTHER, "172.16.58.3"), "Unknown"));
    assertThat(decide(CHOSEN, WEB, otherDown, leases, Set.of(CHOSEN), true, Set.of()).role())
        .isEqualTo(Role.ACTIVE);
  }

  @Test
  void aDirectorThatCannotRenewKeepsOnlyVipsHeldWithoutALifetime() {
    VipRole r =
        Election.decide(
                new Election.Input(
                    CHOSEN,
                    WEB,
                    NODES,
                    both(HELD, NONE),
                    Set.of(OTHER),
                    true,
                    Set.of(VIP),
                    Set.of(VIP),
                    NOW,
                    Duration.ofMinutes(10)))
            .of(VIP)
            .orElseThrow();
    assertThat(r.role()).isEqualTo(Role.ACTIVE);
    assertThat(r.reason()).contains("cannot be renewed");
  }

  @Test
  void aRecoveredDirectorDoesNotTakeBackAVipAnotherHolds() {
    // CHOSEN (preferred by hashing) came back a minute ago; OTHER holds the VIP since.
    Map<String, LeaseView> leases = new HashMap<>();
    leases.put(CHOSEN, new LeaseView(CHOSEN, Set.of("IPv4"), Set.of(), NOW.minusSeconds(60), null));
    leases.put(OTHER, lease(OTHER, VIP));
    VipRole recovered = decide(CHOSEN, WEB, NODES, leases, Set.of("d1", "d2"), true, Set.of());
    assertThat(recovered.role()).isEqualTo(Role.STANDBY);
    assertThat(recovered.active()).isEqualTo(OTHER);
    VipRole holder = decide(OTHER, WEB, NODES, leases, Set.of("d1", "d2"), true, Set.of(VIP));
    assertThat(holder.role()).isEqualTo(Role.ACTIVE);
  }
}
