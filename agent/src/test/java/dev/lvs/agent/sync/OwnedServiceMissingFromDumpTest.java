package dev.lvs.agent.sync;

import static dev.lvs.agent.sync.SyncerTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.OwnershipStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17 item 3: an IPVS service dump may skip one of the agent's services (the kernel resumes a
 * dump by index, and another IPVS user deleting a service meanwhile shifts the rest). Absence is
 * confirmed with a GET before the agent forgets or re-creates anything.
 */
class OwnedServiceMissingFromDumpTest {
  @TempDir Path stateDir;

  final FakeIpvsClient ipvs = new FakeIpvsClient();
  final FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.2");
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source =
      new StaticSource()
          .set(List.of(dev.lvs.agent.fake.TestObjects.web()), SyncerTest.SERVERS, SyncerTest.NODES);

  Syncer syncer() throws IOException {
    return new Syncer(
        "lb1",
        AgentSettings.COMMAND_LINE,
        source,
        new KernelReader(ipvs, addrs, sysctls),
        new Applier(ipvs, addrs, sysctls),
        OwnershipStore.open(stateDir),
        r -> {},
        new SyncMetrics(),
        new Object(),
        Clock.systemUTC());
  }

  DesiredState desired(KernelReader.Interfaces i) {
    var snap = source.snapshot();
    return DesiredState.compute(
        snap.virtualServices(),
        snap.realServers(),
        snap.nodes(),
        "lb1",
        AgentSettings.COMMAND_LINE,
        HostInterfaces.from(i.links(), i.addresses()));
  }

  @Test
  void readerConfirmsAnOwnedServiceMissingFromTheDumpAndListsItsDestinations() throws IOException {
    syncer().sync();
    Ownership owned = OwnershipStore.open(stateDir).current();
    KernelReader reader = new KernelReader(ipvs, addrs, sysctls);
    KernelReader.Interfaces i = reader.interfaces();

    ipvs.omitFromNextDump(KEY);
    ActualState actual = reader.read(i, desired(i), owned);

    assertThat(actual.services()).containsKey(KEY);
    assertThat(actual.destinationsOf(KEY)).hasSize(2);
  }

  @Test
  void aSyncWhoseDumpMissesAnOwnedServiceChangesNothing() throws IOException {
    Syncer s = syncer();
    s.sync();
    Set<DestinationKey> ownedBefore = OwnershipStore.open(stateDir).current().destinations(KEY);
    ipvs.calls().clear();

    ipvs.omitFromNextDump(KEY);
    SyncResult r = s.sync();

    assertThat(r.plan().isEmpty()).isTrue();
    assertThat(ipvs.calls()).isEmpty();
    assertThat(OwnershipStore.open(stateDir).current().destinations(KEY))
        .hasSize(2)
        .isEqualTo(ownedBefore);
  }

  @Test
  void addServiceRefusedWithEexistForAnOwnedKeyKeepsItAndItsDestinationsOurs() throws IOException {
    syncer().sync();
    Ownership owned = OwnershipStore.open(stateDir).current();
    KernelReader reader = new KernelReader(ipvs, addrs, sysctls);
    KernelReader.Interfaces i = reader.interfaces();
    ActualState real = reader.read(i, desired(i), owned);
    // A view of the kernel that lacks the service (as a racing dump gave before the fix).
    ActualState stale =
        new ActualState(Map.of(), Map.of(), real.links(), real.addresses(), real.sysctls());

    Plan plan = Planner.diff(desired(i), stale, owned);
    ApplyResult r = new Applier(ipvs, addrs, sysctls).apply(plan, owned);

    assertThat(r.ownership().ownsService(KEY)).isTrue();
    assertThat(r.ownership().destinations(KEY)).isEqualTo(owned.destinations(KEY)).hasSize(2);
    assertThat(r.failures())
        .filteredOn(f -> f.step() instanceof Step.AddService)
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("EEXIST", "kept as ours"));
    assertThat(ipvs.destinations(KEY)).hasSize(2);
  }
}
