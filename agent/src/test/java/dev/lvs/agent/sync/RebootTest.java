package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.state.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17 item 12: owned.json survives a reboot, the kernel objects it records do not. Under a
 * new boot id the records are dropped, so that what someone else creates with the same keys after
 * the reboot is not taken for ours.
 */
class RebootTest {
  @TempDir Path stateDir;

  FakeIpvsClient ipvs = new FakeIpvsClient();
  FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.2");
  FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source =
      new StaticSource().set(List.of(web()), SyncerTest.SERVERS, SyncerTest.NODES);

  Syncer syncer(String node, FakeAddressClient addrs, String bootId) throws IOException {
    return new Syncer(
        node,
        AgentSettings.COMMAND_LINE,
        source,
        new KernelReader(ipvs, addrs, sysctls),
        new Applier(ipvs, addrs, sysctls),
        OwnershipStore.open(stateDir, bootId),
        r -> {},
        new SyncMetrics(),
        new Object(),
        Clock.systemUTC());
  }

  /** A reboot: the kernel starts empty, with default sysctls. */
  void reboot() {
    ipvs = new FakeIpvsClient();
    addrs = FakeAddressClient.withEth0("172.16.58.2");
    sysctls = new FakeSysctls();
  }

  @Test
  void aServiceSomeoneElseCreatesAfterARebootIsNotTakenForOurs() throws IOException {
    syncer("lb1", addrs, "boot-1").sync();
    assertThat(Files.readString(stateDir.resolve(OwnershipStore.FILE_NAME))).contains("boot-1");
    reboot();
    // keepalived comes up first and creates the same virtual server.
    ipvs.addService(new IpvsService(SyncerTest.KEY, "wlc", 0, 0, 0xffffffff));

    SyncResult after = syncer("lb1", addrs, "boot-2").sync();

    assertThat(after.problems())
        .anySatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
              assertThat(p.message()).contains("was not created by this agent");
            });
    source.set(List.of(), SyncerTest.SERVERS, SyncerTest.NODES);
    syncer("lb1", addrs, "boot-2").sync();
    assertThat(ipvs.services()).containsKey(SyncerTest.KEY); // keepalived's: never deleted
    assertThat(ipvs.services().get(SyncerTest.KEY).scheduler()).isEqualTo("wlc");
  }

  @Test
  void anArpSysctlSetAtBootBySysctlDIsNotRestoredToTheValueOfTheLastBoot() throws IOException {
    FakeAddressClient rsAddrs = FakeAddressClient.withEth0("172.16.58.7");
    syncer("rs1", rsAddrs, "boot-1").sync();
    assertThat(sysctls.get("net/ipv4/conf/all/arp_ignore")).isEqualTo("1");
    reboot();
    rsAddrs = FakeAddressClient.withEth0("172.16.58.7");
    // The administrator's sysctl.d drop-in sets it at boot.
    sysctls.values().put("net/ipv4/conf/all/arp_ignore", "1");
    syncer("rs1", rsAddrs, "boot-2").sync();

    source.set(List.of(), SyncerTest.SERVERS, SyncerTest.NODES);
    syncer("rs1", rsAddrs, "boot-2").sync();

    assertThat(sysctls.get("net/ipv4/conf/all/arp_ignore")).isEqualTo("1");
    assertThat(rsAddrs.all())
        .extracting(IfAddress::address)
        .doesNotContain(Ips.literal("172.16.58.1"));
  }

  @Test
  void theSameBootKeepsTheRecordsAndAFileWithoutABootIdIsKept() throws IOException {
    syncer("lb1", addrs, "boot-1").sync();
    assertThat(OwnershipStore.open(stateDir, "boot-1").current().services())
        .containsExactly(SyncerTest.KEY);
    assertThat(OwnershipStore.open(stateDir, null).current().services())
        .containsExactly(SyncerTest.KEY);

    Path file = stateDir.resolve(OwnershipStore.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace("\"bootId\" : \"boot-1\",", ""));
    assertThat(Files.readString(file)).doesNotContain("boot-1");
    assertThat(OwnershipStore.open(stateDir, "boot-2").current().services())
        .containsExactly(SyncerTest.KEY);
  }

  @Test
  void aNewBootIdEmptiesTheFileAtOnce() throws IOException {
    syncer("lb1", addrs, "boot-1").sync();
    assertThat(OwnershipStore.open(stateDir, "boot-2").current().isEmpty()).isTrue();
    String file = Files.readString(stateDir.resolve(OwnershipStore.FILE_NAME));
    assertThat(file).contains("boot-2").doesNotContain("172.16.58.1");
    assertThat(OwnershipStore.open(stateDir, "boot-2").current().isEmpty()).isTrue();
  }

  @Test
  void theBootIdIsReadFromProc() {
    assertThat(OwnershipStore.readBootId(OwnershipStore.BOOT_ID))
        .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    assertThat(OwnershipStore.readBootId(stateDir.resolve("absent"))).isEmpty();
  }
}
