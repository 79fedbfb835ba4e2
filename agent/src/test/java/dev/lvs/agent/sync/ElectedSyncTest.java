package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.election.DirectorElection;
import dev.lvs.agent.election.DirectorRoles;
import dev.lvs.agent.election.DirectorRoles.Role;
import dev.lvs.agent.election.DirectorRoles.VipRole;
import dev.lvs.agent.election.HeldVips;
import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnershipStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync with an election: only the active director holds the VIP, with the lifetime given. */
class ElectedSyncTest {
  static final String VIP = "172.16.58.1";

  @TempDir Path stateDir;

  final FakeIpvsClient ipvs = new FakeIpvsClient();
  final FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.2");
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source =
      new StaticSource()
          .set(
              List.of(web()),
              List.of(rs("rs1", "172.16.58.7", null, 1)),
              List.of(director("lb1", "172.16.58.2")));

  /** An election whose role and lifetime the test sets. */
  static final class FixedElection implements DirectorElection {
    Role role = Role.ACTIVE;
    long lifetime = 2;
    final HeldVips held = new HeldVips();
    Collection<OwnedAddress> reported = List.of();

    @Override
    public DirectorRoles roles(Snapshot snapshot, Set<String> holding, Set<String> families) {
      return new DirectorRoles(
          true, Map.of(VIP, new VipRole(VIP, role, "lb1", List.of("lb2"), "test")));
    }

    @Override
    public void held(Collection<OwnedAddress> directorAddresses) {
      held.reconcile(directorAddresses);
      reported = directorAddresses;
    }

    @Override
    public long vipLifetimeSeconds(String vip) {
      return lifetime;
    }

    @Override
    public HeldVips heldVips() {
      return held;
    }
  }

  final FixedElection election = new FixedElection();

  Syncer syncer() throws IOException {
    return new Syncer(
        "lb1",
        AgentSettings.COMMAND_LINE,
        source,
        new KernelReader(ipvs, addrs, sysctls),
        new Applier(ipvs, addrs, sysctls).withElection(election),
        OwnershipStore.open(stateDir),
        r -> {},
        new SyncMetrics(),
        new Object(),
        Clock.systemUTC(),
        election);
  }

  @Test
  void theActiveDirectorHoldsTheVipWithTheLifetimeItWasGiven() throws IOException {
    SyncResult r = syncer().sync();
    assertThat(r.applyOk()).isTrue();
    assertThat(addrs.lifetimes).containsEntry(VIP, 2L);
    assertThat(election.held.bounded()).containsExactly(VIP);
    assertThat(election.reported)
        .extracting(a -> a.address().getHostAddress())
        .containsExactly(VIP);
  }

  @Test
  void aStandbyProgramsTheServiceButHoldsNoVip() throws IOException {
    election.role = Role.STANDBY;
    SyncResult r = syncer().sync();
    assertThat(r.applyOk()).isTrue();
    assertThat(ipvs.services()).hasSize(1);
    assertThat(addrs.all()).noneMatch(a -> a.address().getHostAddress().equals(VIP));
    // Becoming standby later removes the VIP, and the registry with it.
    election.role = Role.ACTIVE;
    Syncer s = syncer();
    s.sync();
    assertThat(election.held.bounded()).containsExactly(VIP);
    election.role = Role.STANDBY;
    s.sync();
    assertThat(addrs.all()).noneMatch(a -> a.address().getHostAddress().equals(VIP));
    assertThat(election.held.bounded()).isEmpty();
  }

  @Test
  void withoutALifetimeToGiveTheVipIsNotAddedAndTheSyncSaysWhy() throws IOException {
    election.lifetime = 0;
    SyncResult r = syncer().sync();
    assertThat(r.applyOk()).isFalse();
    assertThat(r.problems())
        .anySatisfy(p -> assertThat(p.message()).contains("Lease renewal is too old"));
    assertThat(addrs.all()).noneMatch(a -> a.address().getHostAddress().equals(VIP));
  }
}
