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
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnershipStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift between resyncs (issue #17 item 9): an address notification makes the next triggered sync
 * read the addresses again, and the sysctl check sees a reset value, so neither waits for the
 * periodic full resync.
 */
class ExternalDriftTest {
  static final String VIP = "172.16.58.1";

  @TempDir Path stateDir;

  final FakeIpvsClient ipvs = new FakeIpvsClient();
  final FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.7");
  final FakeSysctls sysctls = new FakeSysctls();
  final StaticSource source =
      new StaticSource()
          .set(
              List.of(web()),
              List.of(rs("rs1", "172.16.58.7", "rs1", 2)),
              List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7")));

  Syncer syncer() throws IOException {
    return new Syncer(
        "rs1",
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

  IfAddress loVip() {
    return addrs.all().stream()
        .filter(a -> a.address().equals(Ips.literal(VIP)))
        .findFirst()
        .orElse(null);
  }

  @Test
  void anAddressNotificationMakesTheTriggeredSyncReadTheAddresses() throws IOException {
    Syncer s = syncer();
    assertThat(s.sync(true).applyOk()).isTrue();
    IfAddress vip = loVip();
    assertThat(vip).isNotNull();
    addrs.deleteAddress(vip); // NetworkManager, say

    assertThat(s.sync(false).plan().isEmpty()).as("the cached view still has it").isTrue();

    s.interfacesChanged();
    SyncResult repaired = s.sync(false);
    assertThat(repaired.plan().steps()).anyMatch(st -> st instanceof Step.AddAddress);
    assertThat(loVip()).isNotNull();
    assertThat(s.lastSyncReadKernel()).as("only the addresses were read").isFalse();
  }

  @Test
  void aResetArpSysctlIsSeenByTheCheckAndRepaired() throws IOException {
    Syncer s = syncer();
    assertThat(s.sync(true).applyOk()).isTrue();
    String path = "net/ipv4/conf/all/arp_ignore";
    assertThat(sysctls.get(path)).isEqualTo("1");
    assertThat(s.sysctlsDrifted(sysctls)).isFalse();

    sysctls.write(path, "0"); // sysctl --system

    assertThat(s.sysctlsDrifted(sysctls)).isTrue();
    s.sync(false);
    assertThat(sysctls.get(path)).isEqualTo("1");
    assertThat(s.sysctlsDrifted(sysctls)).isFalse();
  }
}
