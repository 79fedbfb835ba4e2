package dev.lvs.agent.watch;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.netlink.NetnsSandbox;
import dev.lvs.agent.netlink.rtnl.RtnlAddressClient;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.sync.Applier;
import dev.lvs.agent.sync.KernelReader;
import dev.lvs.agent.sync.SyncRunner;
import dev.lvs.agent.sync.Syncer;
import dev.lvs.agent.sysctl.ProcSysctls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In netns-java's fresh network namespace: a real-server node's lo VIP removed behind the agent's
 * back comes back within seconds through the rtnetlink address notification, with a resync period
 * of an hour (issue #17 item 9).
 */
class AddressWatcherIT {
  static final String IFACE = "aw0";
  static final String RIP = "172.16.58.7";
  static final String VIP = "172.16.58.1";

  @TempDir Path stateDir;

  @Test
  void aRemovedOwnedVipTriggersASyncThatRestoresIt() throws Exception {
    NetnsSandbox.assumeSandbox();
    ip("link", "add", IFACE, "type", "veth", "peer", "name", IFACE + "p");
    ip("addr", "add", RIP + "/24", "dev", IFACE);
    ip("link", "set", IFACE, "up");
    ProcSysctls sysctls = new ProcSysctls();
    Map<String, String> before = new java.util.LinkedHashMap<>();
    for (String p :
        List.of(
            "net/ipv4/conf/all/arp_ignore",
            "net/ipv4/conf/all/arp_announce",
            "net/ipv4/conf/lo/arp_ignore",
            "net/ipv4/conf/lo/arp_announce")) {
      before.put(p, sysctls.read(p).orElseThrow());
    }
    StaticSource source =
        new StaticSource()
            .set(
                List.of(web()),
                List.of(rs("rs1", RIP, "rs1", 2)),
                List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), RIP)));
    try (RtnlAddressClient addresses = RtnlAddressClient.open()) {
      FakeIpvsClient ipvs = new FakeIpvsClient();
      Syncer syncer =
          new Syncer(
              "rs1",
              AgentSettings.COMMAND_LINE,
              source,
              new KernelReader(ipvs, addresses, sysctls),
              new Applier(ipvs, addresses, sysctls),
              OwnershipStore.open(stateDir),
              r -> {},
              new SyncMetrics(),
              new Object(),
              Clock.systemUTC());
      SyncRunner runner =
          new SyncRunner(
              (SyncRunner.ResyncAwareAction) syncer::sync,
              Duration.ofMillis(200),
              Duration.ofHours(1));
      AddressWatcher watcher =
          AddressWatcher.start(
              () -> {
                syncer.interfacesChanged();
                runner.trigger();
              });
      try {
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> hasVip(addresses));
        long runs = runner.runs();

        ip("addr", "del", VIP + "/32", "dev", "lo");

        await("the VIP restored by a triggered sync")
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> hasVip(addresses));
        assertThat(runner.runs()).isGreaterThan(runs);
      } finally {
        watcher.close();
        runner.close();
        for (var a : addresses.addresses()) {
          if (a.address().equals(Ips.literal(VIP))) {
            addresses.deleteAddress(a);
          }
        }
        ip("link", "del", IFACE);
        for (Map.Entry<String, String> e : before.entrySet()) {
          sysctls.write(e.getKey(), e.getValue());
        }
      }
    }
  }

  private static boolean hasVip(RtnlAddressClient addresses) throws Exception {
    return addresses.addresses().stream().anyMatch(a -> a.address().equals(Ips.literal(VIP)));
  }

  private static void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
  }
}
