package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.fake.TimedAddressClient;
import dev.lvs.agent.fake.TimedIpvsClient;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.operator.api.v1alpha1.RealServer;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syncs triggered by changes diff against the cached kernel view; full resyncs, startup and any
 * sync after a failure read the kernel.
 */
class SyncerCacheTest {
  static final ServiceKey KEY = ServiceKey.of(6, Ips.literal("172.16.58.1"), 80);
  static final List<Node> NODES =
      List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7"));

  static List<RealServer> servers(int weight) {
    return List.of(rs("rs1", "172.16.58.7", "rs1", weight), rs("rs2", "172.16.58.8", null, 1));
  }

  @TempDir Path stateDir;

  final FakeIpvsClient kernel = new FakeIpvsClient();
  final TimedIpvsClient ipvs = new TimedIpvsClient(kernel);
  final TimedAddressClient addrs =
      new TimedAddressClient(FakeAddressClient.withEth0("172.16.58.2"));
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source = new StaticSource().set(List.of(web()), servers(2), NODES);

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

  void resetCounts() {
    ipvs.reset();
    addrs.reset();
  }

  @Test
  void aChangeAfterAFullSyncListsNothingAndChangesOnlyWhatChanged() throws IOException {
    Syncer s = syncer();
    assertThat(s.sync(false).applyOk()).isTrue(); // no cache yet: reads the kernel
    assertThat(s.lastSyncReadKernel()).isTrue();
    resetCounts();

    source.set(List.of(web()), servers(7), NODES);
    SyncResult change = s.sync(false);

    assertThat(s.lastSyncReadKernel()).isFalse();
    assertThat(ipvs.lists()).isZero();
    assertThat(addrs.counts()).isEmpty();
    assertThat(ipvs.counts()).isEqualTo(Map.of("updateDestination", 1));
    assertThat(change.plan().steps()).singleElement().isInstanceOf(Step.UpdateDestination.class);
    assertThat(kernel.destinations(KEY).values())
        .anySatisfy(d -> assertThat(d.weight()).isEqualTo(7));

    resetCounts();
    assertThat(s.sync(false).plan().isEmpty()).isTrue();
    assertThat(ipvs.counts()).isEmpty();
  }

  @Test
  void aFullResyncListsTheKernelAndAgreesWithTheCache() throws IOException {
    Syncer s = syncer();
    s.sync(true);
    source.set(List.of(web()), servers(7), NODES);
    s.sync(false);
    resetCounts();

    SyncResult full = s.sync(true);

    assertThat(s.lastSyncReadKernel()).isTrue();
    assertThat(ipvs.count("listServices")).isEqualTo(1);
    assertThat(ipvs.count("listDestinations")).isEqualTo(1);
    assertThat(addrs.count("addresses")).isEqualTo(1);
    assertThat(full.plan().isEmpty()).isTrue();
  }

  @Test
  void driftIsNotSeenFromTheCacheButRepairedOnTheFullResync() throws IOException {
    Syncer s = syncer();
    s.sync(true);
    kernel.flush(); // ipvsadm -C behind the agent's back

    assertThat(s.sync(false).plan().isEmpty()).isTrue();
    assertThat(kernel.services()).isEmpty();

    SyncResult full = s.sync(true);
    assertThat(full.applyOk()).isTrue();
    assertThat(kernel.services()).containsOnlyKeys(KEY);
    assertThat(kernel.destinations(KEY)).hasSize(2);
  }

  @Test
  void aFailedStepDropsTheCacheSoTheNextTriggeredSyncReadsTheKernel() throws IOException {
    Syncer s = syncer();
    s.sync(true);
    kernel.failWhen(c -> c.startsWith("updateDestination"));
    source.set(List.of(web()), servers(7), NODES);
    assertThat(s.sync(false).applyOk()).isFalse();
    kernel.failWhen(c -> false);
    resetCounts();

    SyncResult retry = s.sync(false);

    assertThat(s.lastSyncReadKernel()).isTrue();
    assertThat(ipvs.lists()).isEqualTo(2);
    assertThat(retry.applyOk()).isTrue();
    assertThat(ipvs.count("updateDestination")).isEqualTo(1);
    resetCounts();
    s.sync(false);
    assertThat(s.lastSyncReadKernel()).isFalse();
    assertThat(ipvs.lists()).isZero();
  }

  @Test
  void aReadErrorDropsTheCache() throws IOException {
    Syncer s = syncer();
    s.sync(true);
    ipvs.failLists(true);
    assertThatThrownBy(() -> s.sync(true)).isInstanceOf(IOException.class);
    ipvs.failLists(false);
    resetCounts();

    s.sync(false);

    assertThat(s.lastSyncReadKernel()).isTrue();
    assertThat(ipvs.count("listServices")).isEqualTo(1);
  }

  @Test
  void addedAndRemovedServicesAreTrackedByTheCache() throws IOException {
    Syncer s = syncer();
    s.sync(true);
    ServiceKey second = ServiceKey.of(6, Ips.literal("172.16.58.3"), 443);
    source.set(List.of(web(), vs("tls", "172.16.58.3", 443, x -> {})), servers(2), NODES);
    assertThat(s.sync(false).applyOk()).isTrue();
    assertThat(kernel.services()).containsOnlyKeys(KEY, second);
    source.set(List.of(vs("tls", "172.16.58.3", 443, x -> {})), servers(3), NODES);
    resetCounts();

    assertThat(s.sync(false).applyOk()).isTrue();

    assertThat(ipvs.lists()).isZero();
    assertThat(kernel.services()).containsOnlyKeys(second);
    assertThat(addrs.count("deleteAddress")).isEqualTo(1);
    // The cache now says what a fresh read says: a full resync finds nothing to do.
    assertThat(s.sync(true).plan().isEmpty()).isTrue();
  }

  @Test
  void whatTheLastReadSkippedIsReadWhenNeeded() throws IOException {
    // Nothing wanted: the IPVS table is not listed, so the cache cannot answer for it.
    source.set(List.of(), servers(2), NODES);
    Syncer s = syncer();
    s.sync(true);
    assertThat(ipvs.lists()).isZero();
    source.set(List.of(web()), servers(2), NODES);

    assertThat(s.sync(false).applyOk()).isTrue();

    assertThat(s.lastSyncReadKernel()).isTrue();
    assertThat(ipvs.count("listServices")).isEqualTo(1);
    assertThat(kernel.services()).containsOnlyKeys(KEY);
  }
}
