package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnedSysctl;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.state.Problem;
import dev.lvs.agent.sysctl.Sysctls;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17 item 2: the agent is killed in the middle of an apply, after some kernel objects were
 * created and before the ownership record was written. The next process must own them, not report
 * them as held by something else.
 */
class WriteAheadOwnershipTest {
  static final String VIP = "172.16.58.1";

  @TempDir Path stateDir;

  final FakeIpvsClient ipvs = new FakeIpvsClient();
  final FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.2");
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source =
      new StaticSource().set(List.of(web()), SyncerTest.SERVERS, SyncerTest.NODES);

  /** What SIGKILL does to the JVM: nothing after it runs, no catch block sees it. */
  static final class Killed extends Error {
    Killed() {
      super("killed");
    }
  }

  /** {@code delegate}, except that a call of {@code method} matching {@code when} is the last. */
  @SuppressWarnings("unchecked")
  static <T> T killAfter(Class<T> type, T delegate, String method, Predicate<Object[]> when) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              Object r;
              try {
                r = m.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (m.getName().equals(method) && when.test(args)) {
                throw new Killed();
              }
              return r;
            });
  }

  Syncer syncer(String node, IpvsClient ipvs, AddressClient addrs, Sysctls sysctls)
      throws IOException {
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

  Syncer restarted() throws IOException {
    return syncer("lb1", ipvs, addrs, sysctls);
  }

  static List<Problem> conflicts(SyncResult r) {
    return r.problems().stream().filter(p -> p.kind() == Problem.Kind.CONFLICT).toList();
  }

  Ownership owned() throws IOException {
    return OwnershipStore.open(stateDir).current();
  }

  @Test
  void killedAfterTheIpvsObjectsWereCreatedTheNextProcessOwnsThem() throws IOException {
    // expire_nodest_conn goes after the service and its destinations, before the VIP.
    Sysctls dying =
        killAfter(
            Sysctls.class, sysctls, "write", a -> a[0].equals("net/ipv4/vs/expire_nodest_conn"));
    Syncer first = syncer("lb1", ipvs, addrs, dying);
    assertThatThrownBy(first::sync).isInstanceOf(Killed.class);
    assertThat(ipvs.services()).containsOnlyKeys(SyncerTest.KEY);
    assertThat(ipvs.destinations(SyncerTest.KEY)).hasSize(2);

    SyncResult after = restarted().sync();

    assertThat(conflicts(after)).isEmpty();
    assertThat(after.applyOk()).isTrue();
    Ownership o = owned();
    assertThat(o.services()).containsExactly(SyncerTest.KEY);
    assertThat(o.destinations(SyncerTest.KEY))
        .containsExactlyInAnyOrder(
            new DestinationKey(Ips.literal("172.16.58.7"), 80),
            new DestinationKey(Ips.literal("172.16.58.8"), 80));
    assertThat(o.sysctl("net/ipv4/vs/expire_nodest_conn")).contains(new OwnedSysctl("0", "1"));
    assertThat(o.intents().isEmpty()).isTrue();
    assertThat(addrs.all()).contains(new IfAddress(2, Ips.literal(VIP), 32, "eth0:lvs"));
    assertThat(restarted().sync().plan().isEmpty()).isTrue();

    // Owned, so it can be removed: the VirtualService goes, and so does everything.
    source.set(List.of(), SyncerTest.SERVERS, SyncerTest.NODES);
    assertThat(restarted().sync().applyOk()).isTrue();
    assertThat(ipvs.services()).isEmpty();
    assertThat(sysctls.get("net/ipv4/vs/expire_nodest_conn")).isEqualTo("0");
    assertThat(owned().isEmpty()).isTrue();
  }

  @Test
  void killedAfterTheVipWasAddedTheNextProcessOwnsIt() throws IOException {
    AddressClient dying = killAfter(AddressClient.class, addrs, "addAddress", a -> true);
    assertThatThrownBy(syncer("lb1", ipvs, dying, sysctls)::sync).isInstanceOf(Killed.class);
    assertThat(addrs.all()).contains(new IfAddress(2, Ips.literal(VIP), 32, "eth0:lvs"));

    SyncResult after = restarted().sync();

    assertThat(conflicts(after)).isEmpty();
    assertThat(after.plan().isEmpty()).isTrue();
    assertThat(owned().addresses()).containsKey(new OwnedAddress.Key(2, Ips.literal(VIP)));
    assertThat(owned().services()).containsExactly(SyncerTest.KEY);
  }

  @Test
  void aRealServerKilledAfterItsVipWentOnLoRestoresItsSysctlsLater() throws IOException {
    FakeAddressClient rsAddrs = FakeAddressClient.withEth0("172.16.58.7");
    AddressClient dying = killAfter(AddressClient.class, rsAddrs, "addAddress", a -> true);
    assertThatThrownBy(syncer("rs1", ipvs, dying, sysctls)::sync).isInstanceOf(Killed.class);
    assertThat(sysctls.get("net/ipv4/conf/all/arp_ignore")).isEqualTo("1");

    SyncResult after = syncer("rs1", ipvs, rsAddrs, sysctls).sync();
    assertThat(conflicts(after)).isEmpty();
    assertThat(owned().sysctl("net/ipv4/conf/all/arp_ignore")).contains(new OwnedSysctl("0", "1"));
    assertThat(owned().addresses()).containsKey(new OwnedAddress.Key(1, Ips.literal(VIP)));

    source.set(List.of(), SyncerTest.SERVERS, SyncerTest.NODES);
    assertThat(syncer("rs1", ipvs, rsAddrs, sysctls).sync().applyOk()).isTrue();
    assertThat(rsAddrs.all()).extracting(IfAddress::address).doesNotContain(Ips.literal(VIP));
    assertThat(sysctls.get("net/ipv4/conf/all/arp_ignore")).isEqualTo("0");
    assertThat(owned().isEmpty()).isTrue();
  }

  @Test
  void anIntendedServiceTheDumpMissedIsAdoptedOnEexist() throws IOException {
    IpvsClient dying = killAfter(IpvsClient.class, ipvs, "addService", a -> true);
    assertThatThrownBy(syncer("lb1", dying, addrs, sysctls)::sync).isInstanceOf(Killed.class);
    assertThat(ipvs.services()).containsOnlyKeys(SyncerTest.KEY);

    ipvs.omitFromNextDump(SyncerTest.KEY); // a racing dump skips it: the add gets EEXIST
    SyncResult after = restarted().sync();

    assertThat(conflicts(after)).isEmpty();
    assertThat(owned().services()).containsExactly(SyncerTest.KEY);
    assertThat(ipvs.destinations(SyncerTest.KEY)).hasSize(2);
    assertThat(owned().destinations(SyncerTest.KEY)).hasSize(2);
    assertThat(restarted().sync().plan().isEmpty()).isTrue();
  }

  @Test
  void anIntendedServiceThatSomeoneChangedMeanwhileIsNotAdopted() throws IOException {
    IpvsClient dying = killAfter(IpvsClient.class, ipvs, "addService", a -> true);
    assertThatThrownBy(syncer("lb1", dying, addrs, sysctls)::sync).isInstanceOf(Killed.class);
    IpvsService ours = ipvs.services().get(SyncerTest.KEY);
    // Someone else deletes it and creates their own, with another scheduler.
    ipvs.deleteService(SyncerTest.KEY);
    ipvs.addService(new IpvsService(SyncerTest.KEY, "sh", 0, 0, ours.netmask()));

    SyncResult after = restarted().sync();

    assertThat(conflicts(after))
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.message()).contains("held by something else"))
        .anySatisfy(p -> assertThat(p.message()).contains("was not created by this agent"));
    assertThat(owned().services()).isEmpty();
    assertThat(owned().intents().isEmpty()).isTrue();
  }

  @Test
  void theIntentIsOnDiskBeforeTheFirstObjectIsCreated() throws IOException {
    IpvsClient dying = killAfter(IpvsClient.class, ipvs, "addService", a -> true);
    assertThatThrownBy(syncer("lb1", dying, addrs, sysctls)::sync).isInstanceOf(Killed.class);
    Ownership onDisk = owned();
    assertThat(onDisk.services()).isEmpty();
    assertThat(onDisk.intents().services()).containsOnlyKeys(SyncerTest.KEY);
    assertThat(onDisk.intents().destinations().get(SyncerTest.KEY)).hasSize(2);
    assertThat(onDisk.intents().addresses()).hasSize(1);
  }

  @Test
  void aStateDirectoryThatCannotBeWrittenStopsTheSyncBeforeAnythingIsCreated() throws IOException {
    // Once open, the state directory becomes a file: every write fails, as on a full or read-only
    // disk.
    Path dir = stateDir.resolve("sub");
    OwnershipStore store = OwnershipStore.open(dir);
    java.nio.file.Files.writeString(dir, "");
    Syncer s =
        new Syncer(
            "lb1",
            AgentSettings.COMMAND_LINE,
            source,
            new KernelReader(ipvs, addrs, sysctls),
            new Applier(ipvs, addrs, sysctls),
            store,
            r -> {},
            new SyncMetrics(),
            new Object(),
            Clock.systemUTC());
    assertThatThrownBy(s::sync).isInstanceOf(IOException.class);
    assertThat(ipvs.services()).isEmpty();
    assertThat(addrs.all()).extracting(IfAddress::address).doesNotContain(Ips.literal(VIP));
  }
}
