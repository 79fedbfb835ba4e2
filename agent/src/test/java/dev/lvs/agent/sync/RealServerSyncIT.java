package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.cli.Agent;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.NetnsSandbox;
import dev.lvs.agent.netlink.rtnl.RtnlAddressClient;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.sysctl.ProcSysctls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Syncer on a real-server node of examples/dr-web.yaml, against the real kernel's
 * rtnetlink and /proc/sys, in the throw-away network namespace of netns-java (no IPVS there: a pure
 * real-server node never opens it, so the IPVS client is the in-memory fake, which must stay
 * untouched). The node's main interface is a veth {@code rs0} holding its InternalIP.
 */
class RealServerSyncIT {
  static final String IFACE = "rs0";
  static final String RIP = "172.16.58.7";
  static final String VIP = "172.16.58.1";
  static final List<String> ARP_SYSCTLS =
      List.of("all", "lo", IFACE).stream()
          .flatMap(
              d ->
                  List.of(
                      "net/ipv4/conf/" + d + "/arp_ignore", "net/ipv4/conf/" + d + "/arp_announce")
                      .stream())
          .toList();

  @TempDir Path stateDir;

  private RtnlAddressClient addresses;
  private final ProcSysctls sysctls = new ProcSysctls();
  private final FakeIpvsClient ipvs = new FakeIpvsClient();
  private final StaticSource source =
      new StaticSource()
          .set(
              List.of(web()),
              List.of(rs("rs1", RIP, "rs1", 2), rs("rs2", "172.16.58.8", "rs2", 1)),
              List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), RIP)));
  private Map<String, String> originals;
  private Map<String, String> beforeTest;

  @BeforeEach
  void setUp() throws Exception {
    NetnsSandbox.assumeSandbox();
    ip("link", "add", IFACE, "type", "veth", "peer", "name", IFACE + "p");
    ip("addr", "add", RIP + "/24", "dev", IFACE);
    ip("link", "set", IFACE, "up");
    addresses = RtnlAddressClient.open();
    beforeTest = arpSysctls();
    // Other ITs in this JVM may have left lo's values changed: start from the kernel defaults,
    // so that every sysctl is really changed and must be restored.
    for (String path : ARP_SYSCTLS) {
      sysctls.write(path, "0");
    }
    originals = arpSysctls();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (addresses == null) {
      return;
    }
    for (IfAddress a : addresses.addresses()) {
      if (a.linkIndex() == lo().index() && !a.address().isLoopbackAddress()) {
        addresses.deleteAddress(a);
      }
    }
    addresses.close();
    ip("link", "del", IFACE);
    // Leave the namespace's all/lo values as this test found them, for the other ITs.
    for (Map.Entry<String, String> e : beforeTest.entrySet()) {
      if (!e.getKey().contains("/" + IFACE + "/")) {
        sysctls.write(e.getKey(), e.getValue());
      }
    }
  }

  @Test
  void putsTheVipOnLoAndSetsArpSysctlsThenASecondSyncChangesNothing() throws Exception {
    SyncResult first = syncer().sync();

    assertThat(first.applyOk()).as("%s", first.applied().failures()).isTrue();
    assertThat(addresses.addresses())
        .contains(new IfAddress(lo().index(), Ips.literal(VIP), 32, "lo:lvs"));
    for (String path : ARP_SYSCTLS) {
      String expected = path.endsWith("arp_ignore") ? "1" : "2";
      assertThat(sysctls.read(path)).as(path).contains(expected);
    }
    assertThat(ipvs.calls()).as("a real-server node never touches IPVS").isEmpty();

    List<IfAddress> addressesBefore = addresses.addresses();
    Map<String, String> sysctlsBefore = arpSysctls();
    SyncResult second = syncer().sync();
    assertThat(second.plan().isEmpty()).as("second plan: %s", second.plan()).isTrue();
    assertThat(second.applied().applied()).isEmpty();
    assertThat(addresses.addresses()).isEqualTo(addressesBefore);
    assertThat(arpSysctls()).isEqualTo(sysctlsBefore);
    assertThat(ipvs.calls()).isEmpty();
  }

  @Test
  void cleanupRemovesTheVipRestoresSysctlsAndLeavesHandMadeAddressesAlone() throws Exception {
    // Added by hand: one with the agent's own label, one without; neither is the agent's.
    IfAddress handLabelled = IfAddress.host(lo().index(), Ips.literal("172.16.58.50"), "lo:lvs");
    IfAddress handPlain = IfAddress.host(lo().index(), Ips.literal("10.99.0.1"), "lo");
    addresses.addAddress(handLabelled);
    addresses.addAddress(handPlain);

    assertThat(syncer().sync().applyOk()).isTrue();
    assertThat(syncer().sync().plan().isEmpty()).isTrue();
    assertThat(addresses.addresses()).contains(handLabelled, handPlain);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Agent.cleanup(stateDir, new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(addresses.addresses())
        .noneMatch(a -> a.address().equals(Ips.literal(VIP)))
        .contains(handLabelled, handPlain);
    assertThat(arpSysctls()).isEqualTo(originals);
    assertThat(OwnershipStore.open(stateDir).current().isEmpty()).isTrue();
  }

  private Syncer syncer() throws IOException {
    return new Syncer(
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
  }

  private Link lo() throws IOException {
    return addresses.link("lo").orElseThrow();
  }

  private Map<String, String> arpSysctls() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String path : ARP_SYSCTLS) {
      values.put(path, sysctls.read(path).orElseThrow());
    }
    return values;
  }

  private static void ip(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
  }
}
