package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static dev.lvs.agent.sync.SyncerTest.KEY;
import static dev.lvs.agent.sync.SyncerTest.NODES;
import static dev.lvs.agent.sync.SyncerTest.SERVERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnershipStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17 item 1: a step whose prerequisite failed (or was skipped) is skipped, not run: no VIP
 * on lo without its ARP sysctls, no director VIP without its IPVS service, no ARP restore while the
 * lo VIP is still there.
 */
class StepDependenciesTest {
  static final InetAddress VIP = Ips.literal("172.16.58.1");
  static final String ALL_IGNORE = "net/ipv4/conf/all/arp_ignore";

  @TempDir Path stateDir;

  final FakeIpvsClient ipvs = new FakeIpvsClient();
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source = new StaticSource().set(List.of(web()), SERVERS, NODES);

  Syncer syncer(String node, FakeAddressClient addrs) throws IOException {
    return new Syncer(
        node,
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

  static boolean holdsVip(FakeAddressClient addrs) {
    return addrs.all().stream().anyMatch(a -> a.address().equals(VIP));
  }

  static ApplyResult.StepFailure failureOf(SyncResult r, Class<? extends Step> type) {
    return r.applied().failures().stream()
        .filter(f -> type.isInstance(f.step()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no failed " + type.getSimpleName()));
  }

  @Test
  void realServerVipStaysOffLoWhenAnArpSysctlCannotBeSet() throws IOException {
    FakeAddressClient rs = FakeAddressClient.withEth0("172.16.58.7");
    sysctls.failWritesWhen(ALL_IGNORE::equals);

    SyncResult r = syncer("rs1", rs).sync();

    assertThat(holdsVip(rs)).as("VIP on lo while ARP is on").isFalse();
    assertThat(failureOf(r, Step.AddAddress.class).message())
        .isEqualTo("skipped: ARP sysctl " + ALL_IGNORE + " could not be set");
    assertThat(r.problemsOf(new dev.lvs.agent.state.ObjectRef("default", "web")))
        .anySatisfy(p -> assertThat(p.message()).contains("skipped: ARP sysctl"));

    sysctls.failWritesWhen(p -> false);
    assertThat(syncer("rs1", rs).sync().applyOk()).isTrue();
    assertThat(holdsVip(rs)).isTrue();
  }

  @Test
  void arpSysctlsAreNotRestoredWhileTheLoVipCouldNotBeRemoved() throws IOException {
    FakeAddressClient rs = FakeAddressClient.withEth0("172.16.58.7");
    syncer("rs1", rs).sync();
    assertThat(sysctls.get(ALL_IGNORE)).isEqualTo("1");

    source.set(List.of(), SERVERS, NODES);
    rs.failDeletesWhen(a -> a.address().equals(VIP));
    SyncResult r = syncer("rs1", rs).sync();

    assertThat(holdsVip(rs)).isTrue();
    assertThat(sysctls.get(ALL_IGNORE)).as("ARP back on with the VIP still on lo").isEqualTo("1");
    assertThat(failureOf(r, Step.RestoreSysctl.class).message())
        .startsWith("skipped: ")
        .contains("172.16.58.1", "lo");
    assertThat(OwnershipStore.open(stateDir).current().sysctl(ALL_IGNORE)).isPresent();

    rs.failDeletesWhen(a -> false);
    assertThat(syncer("rs1", rs).sync().applyOk()).isTrue();
    assertThat(sysctls.get(ALL_IGNORE)).isEqualTo("0");
  }

  @Test
  void directorVipStaysOffWhenItsServiceCannotBeCreated() throws IOException {
    FakeAddressClient lb = FakeAddressClient.withEth0("172.16.58.2");
    ipvs.failWhen(c -> c.startsWith("addService"));

    SyncResult r = syncer("lb1", lb).sync();

    assertThat(holdsVip(lb)).as("director VIP without a service").isFalse();
    assertThat(failureOf(r, Step.AddAddress.class).message())
        .startsWith("skipped: ")
        .contains("TCP 172.16.58.1:80", "could not be created");
    assertThat(failureOf(r, Step.AddDestination.class).message())
        .isEqualTo("skipped: its service could not be created");
  }

  @Test
  void directorVipGoesOnWhenAnotherServiceOfOursOnItIsThere() throws IOException {
    FakeAddressClient lb = FakeAddressClient.withEth0("172.16.58.2");
    ServiceKey tls = ServiceKey.of(6, VIP, 443);
    source.set(List.of(web(), vs("web-tls", "172.16.58.1", 443, s -> {})), SERVERS, NODES);
    syncer("lb1", lb).sync();
    // Both go, behind the agent's back; only the :80 service can be made again.
    lb.all().removeIf(a -> a.address().equals(VIP));
    ipvs.deleteService(KEY);
    ipvs.failWhen(c -> c.equals("addService " + KEY));

    SyncResult r = syncer("lb1", lb).sync();

    assertThat(ipvs.services()).containsOnlyKeys(tls);
    assertThat(holdsVip(lb)).isTrue();
    assertThat(r.applied().applied()).anyMatch(s -> s instanceof Step.AddAddress);
  }

  @Test
  void directorVipGoesOnWhenOneOfTheServicesBeingCreatedSucceeds() throws IOException {
    FakeAddressClient lb = FakeAddressClient.withEth0("172.16.58.2");
    source.set(List.of(web(), vs("web-tls", "172.16.58.1", 443, s -> {})), SERVERS, NODES);
    ipvs.failWhen(c -> c.equals("addService " + KEY));

    syncer("lb1", lb).sync();

    assertThat(holdsVip(lb)).isTrue();
  }
}
