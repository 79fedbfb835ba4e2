package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.state.Problem;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop (compute, read, diff, apply, store) against the in-memory kernel fakes. */
class SyncerTest {
  static final ServiceKey KEY = ServiceKey.of(6, Ips.literal("172.16.58.1"), 80);
  static final List<Node> NODES =
      List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7"));
  static final List<RealServer> SERVERS =
      List.of(rs("rs1", "172.16.58.7", "rs1", 2), rs("rs2", "172.16.58.8", null, 1));

  @TempDir Path stateDir;

  final FakeIpvsClient ipvs = new FakeIpvsClient();
  final FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.2");
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source = new StaticSource().set(List.of(web()), SERVERS, NODES);
  final List<SyncResult> reported = new ArrayList<>();

  Syncer syncer(String nodeName) throws IOException {
    return new Syncer(
        nodeName,
        AgentSettings.COMMAND_LINE,
        source,
        new KernelReader(ipvs, addrs, sysctls),
        new Applier(ipvs, addrs, sysctls),
        OwnershipStore.open(stateDir),
        reported::add,
        new SyncMetrics(),
        new Object(),
        Clock.systemUTC());
  }

  @Test
  void directorProgramsEverythingAndASecondSyncPlansNothing() throws IOException {
    Syncer s = syncer("lb1");
    SyncResult first = s.sync();
    assertThat(first.applyOk()).isTrue();
    assertThat(ipvs.services()).containsOnlyKeys(KEY);
    assertThat(ipvs.destinations(KEY).values())
        .extracting(d -> d.address().getHostAddress(), IpvsDestination::weight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("172.16.58.7", 2),
            org.assertj.core.groups.Tuple.tuple("172.16.58.8", 1));
    assertThat(addrs.all()).contains(new IfAddress(2, Ips.literal("172.16.58.1"), 32, "eth0:lvs"));
    assertThat(sysctls.get("net/ipv4/vs/expire_nodest_conn")).isEqualTo("1");
    assertThat(s.isReady()).isTrue();
    assertThat(reported).hasSize(1);

    SyncResult second = s.sync();
    assertThat(second.plan().isEmpty()).isTrue();
    assertThat(second.plan().problems()).isEmpty();
  }

  @Test
  void realServerGetsVipOnLoAndArpSysctlsThenIsIdempotent() throws IOException {
    FakeAddressClient rsAddrs = FakeAddressClient.withEth0("172.16.58.7");
    Syncer s =
        new Syncer(
            "rs1",
            AgentSettings.COMMAND_LINE,
            source,
            new KernelReader(ipvs, rsAddrs, sysctls),
            new Applier(ipvs, rsAddrs, sysctls),
            OwnershipStore.open(stateDir),
            r -> {},
            new SyncMetrics(),
            new Object(),
            Clock.systemUTC());
    assertThat(s.sync().applyOk()).isTrue();
    assertThat(rsAddrs.all()).contains(new IfAddress(1, Ips.literal("172.16.58.1"), 32, "lo:lvs"));
    assertThat(sysctls.get("net/ipv4/conf/all/arp_ignore")).isEqualTo("1");
    assertThat(sysctls.get("net/ipv4/conf/eth0/arp_announce")).isEqualTo("2");
    assertThat(ipvs.calls()).isEmpty();
    assertThat(s.sync().plan().isEmpty()).isTrue();
  }

  @Test
  void stateFileSurvivesRestartAndWhatWasDeletedWhileDownIsRemoved() throws IOException {
    syncer("lb1").sync();
    assertThat(Files.readString(stateDir.resolve(OwnershipStore.FILE_NAME)))
        .contains("172.16.58.1", "eth0:lvs", "expire_nodest_conn");

    // The agent is down; the VirtualService is deleted; a new agent process starts.
    source.set(List.of(), SERVERS, NODES);
    SyncResult afterRestart = syncer("lb1").sync();

    assertThat(afterRestart.applyOk()).isTrue();
    assertThat(ipvs.services()).isEmpty();
    assertThat(addrs.all())
        .extracting(IfAddress::address)
        .doesNotContain(Ips.literal("172.16.58.1"));
    assertThat(sysctls.get("net/ipv4/vs/expire_nodest_conn")).isEqualTo("0");
    assertThat(OwnershipStore.open(stateDir).current().isEmpty()).isTrue();
  }

  @Test
  void nothingIsPrunedBeforeSourcesHaveLoaded() throws IOException {
    syncer("lb1").sync();
    source.set(List.of(), List.of(), NODES).synced(false);
    Syncer restarted = syncer("lb1");

    SyncResult partial = restarted.sync();
    assertThat(partial.plan().steps()).isEmpty();
    assertThat(ipvs.services()).containsOnlyKeys(KEY);
    assertThat(restarted.isReady()).isFalse();
    assertThat(reported).hasSize(1); // only the first agent's loaded sync reported

    source.synced(true);
    restarted.sync();
    assertThat(ipvs.services()).isEmpty();
    assertThat(restarted.isReady()).isTrue();
  }

  @Test
  void aFailingStepDoesNotStopTheOthersAndTheNextSyncRetries() throws IOException {
    ipvs.failWhen(c -> c.contains("addDestination") && c.endsWith("172.16.58.7"));
    Syncer s = syncer("lb1");
    SyncResult r = s.sync();

    assertThat(r.applied().failures()).hasSize(1);
    assertThat(ipvs.destinations(KEY)).hasSize(1);
    assertThat(addrs.all()).extracting(IfAddress::address).contains(Ips.literal("172.16.58.1"));
    assertThat(r.problemsOf(new ObjectRef("default", "web")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.FAILED);
              assertThat(p.message()).contains("172.16.58.7", "EINVAL");
            });

    ipvs.failWhen(c -> false);
    SyncResult retry = s.sync();
    assertThat(retry.applied().applied()).singleElement().isInstanceOf(Step.AddDestination.class);
    assertThat(ipvs.destinations(KEY)).hasSize(2);
  }

  @Test
  void driftAfterIpvsadmClearIsRepaired() throws IOException {
    Syncer s = syncer("lb1");
    s.sync();
    ipvs.flush();
    SyncResult repair = s.sync();
    assertThat(repair.applyOk()).isTrue();
    assertThat(ipvs.services()).containsOnlyKeys(KEY);
    assertThat(ipvs.destinations(KEY)).hasSize(2);
    assertThat(s.sync().plan().isEmpty()).isTrue();
  }

  @Test
  void specChangeEditsInPlaceWithoutDeleting() throws IOException {
    Syncer s = syncer("lb1");
    s.sync();
    ipvs.calls().clear();
    source.set(
        List.of(
            dev.lvs.agent.fake.TestObjects.vs(
                "web", "172.16.58.1", 80, v -> v.setScheduler(Scheduler.RR))),
        List.of(rs("rs1", "172.16.58.7", "rs1", 5), rs("rs2", "172.16.58.8", null, 1)),
        NODES);
    s.sync();
    assertThat(ipvs.calls())
        .containsExactly(
            "updateService TCP 172.16.58.1:80", "updateDestination TCP 172.16.58.1:80 172.16.58.7");
    assertThat(ipvs.services().get(KEY).scheduler()).isEqualTo("rr");
  }

  @Test
  void handMadeServiceAndDestinationsAreNeverTouched() throws IOException {
    ServiceKey other = ServiceKey.of(6, Ips.literal("10.9.9.9"), 53);
    ipvs.addService(new IpvsService(other, "rr", 0, 0, 0xffffffff));
    Syncer s = syncer("lb1");
    s.sync();
    IpvsDestination byHand =
        new IpvsDestination(Ips.literal("172.16.58.99"), 80, ForwardMethod.DIRECT_ROUTE, 1, 0, 0);
    ipvs.addDestination(KEY, byHand);
    ipvs.calls().clear();

    s.sync();
    source.set(List.of(web()), List.of(rs("rs1", "172.16.58.7", "rs1", 2)), NODES);
    s.sync();

    assertThat(ipvs.calls()).containsExactly("deleteDestination TCP 172.16.58.1:80 172.16.58.8");
    assertThat(ipvs.services()).containsKey(other);
    assertThat(ipvs.destinations(KEY)).containsKey(byHand.key());
  }

  @Test
  void vipAlreadyOnTheNodeIsRefusedAndItsServiceIsNotProgrammed() throws IOException {
    // Someone else's address on this host (keepalived's VIP, a gateway address): an IPVS service
    // on it would take the host's own traffic, so the VIP gate refuses it before the planner.
    addrs.addByHand(new IfAddress(2, Ips.literal("172.16.58.1"), 32, "eth0"));
    SyncResult r = syncer("lb1").sync();
    assertThat(addrs.calls()).isEmpty();
    assertThat(ipvs.services()).isEmpty();
    assertThat(r.problemsOf(new ObjectRef("default", "web")))
        .anySatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.REFUSED);
              assertThat(p.message())
                  .contains("172.16.58.1 is the address of interface eth0 of this node");
            });
  }

  @Test
  void ourOwnVipOnTheInterfaceIsNotRefusedOnTheNextSync() throws IOException {
    syncer("lb1").sync();
    SyncResult again = syncer("lb1").sync();
    assertThat(again.problemsOf(new ObjectRef("default", "web"))).isEmpty();
    assertThat(ipvs.services()).hasSize(1);
  }

  @Test
  void cleanupIsADiffAgainstNothingAndLeavesForeignThingsAlone() throws IOException {
    syncer("lb1").sync();
    addrs.addByHand(new IfAddress(2, Ips.literal("10.1.1.1"), 32, "eth0"));
    OwnershipStore store = OwnershipStore.open(stateDir);
    KernelReader reader = new KernelReader(ipvs, addrs, sysctls);
    Plan plan =
        Planner.diff(
            DesiredState.EMPTY,
            reader.read(reader.interfaces(), DesiredState.EMPTY, store.current()),
            store.current());
    ApplyResult r = new Applier(ipvs, addrs, sysctls).apply(plan, store.current());
    assertThat(r.failures()).isEmpty();
    assertThat(r.ownership().isEmpty()).isTrue();
    assertThat(ipvs.services()).isEmpty();
    assertThat(addrs.all())
        .extracting(IfAddress::address)
        .contains(Ips.literal("10.1.1.1"), Ips.literal("172.16.58.2"));
    assertThat(sysctls.get("net/ipv4/vs/expire_nodest_conn")).isEqualTo("0");
  }
}
