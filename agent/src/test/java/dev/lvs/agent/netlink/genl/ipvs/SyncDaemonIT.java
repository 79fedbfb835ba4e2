package dev.lvs.agent.netlink.genl.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.ipvs.SyncDaemon;
import dev.lvs.agent.ipvs.SyncDaemon.State;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetnsSandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel's IPVS sync daemons through generic netlink: only in the qemu guest (the guest's
 * network namespace is new at each boot and no other test starts a daemon). The daemons get a veth
 * pair of their own, hasync0 with an IPv4 address (a master binds its socket to the interface's
 * address) and hasync1 without one; both are removed afterwards.
 */
@Tag("ipvs")
class SyncDaemonIT {
  private NetlinkIpvsClient ipvs;

  static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @BeforeEach
  void open() throws Exception {
    NetnsSandbox.assumeSandbox();
    sh("ip", "link", "add", "hasync0", "type", "veth", "peer", "name", "hasync1");
    sh("ip", "addr", "add", "10.58.12.1/24", "dev", "hasync0");
    sh("ip", "link", "set", "hasync0", "up");
    sh("ip", "link", "set", "hasync1", "up");
    ipvs = NetlinkIpvsClient.open();
    stopAll();
  }

  private void stopAll() throws IOException {
    for (SyncDaemon d : ipvs.daemons()) {
      ipvs.stopDaemon(d.state());
    }
  }

  @AfterEach
  void close() throws Exception {
    if (ipvs != null) {
      stopAll();
      ipvs.close();
    }
    new ProcessBuilder("ip", "link", "del", "hasync0").start().waitFor();
  }

  private static SyncDaemon find(List<SyncDaemon> all, State s) {
    return all.stream().filter(d -> d.state() == s).findFirst().orElseThrow();
  }

  @Test
  void masterAndBackupRunTogetherWithTheKernelsDefaultsAndStopOneByOne() throws Exception {
    assertThat(ipvs.daemons()).isEmpty();
    ipvs.startDaemon(SyncDaemon.of(State.MASTER, "hasync0", 58));
    ipvs.startDaemon(SyncDaemon.of(State.BACKUP, "hasync0", 58));

    List<SyncDaemon> all = ipvs.daemons();
    System.out.println("sync daemons read back: " + all);
    assertThat(all).extracting(SyncDaemon::state).containsExactly(State.MASTER, State.BACKUP);
    InetAddress group = InetAddress.getByName(SyncDaemon.DEFAULT_GROUP);
    // MTU 1500 less 28 bytes of IPv4 and UDP headers, for both (a backup's is the MTU clamped).
    assertThat(find(all, State.MASTER))
        .isEqualTo(new SyncDaemon(State.MASTER, "hasync0", 58, group, 8848, 1, 1472));
    assertThat(find(all, State.BACKUP))
        .isEqualTo(new SyncDaemon(State.BACKUP, "hasync0", 58, group, 8848, 1, 1472));

    ipvs.stopDaemon(State.MASTER);
    assertThat(ipvs.daemons()).extracting(SyncDaemon::state).containsExactly(State.BACKUP);
    ipvs.stopDaemon(State.BACKUP);
    assertThat(ipvs.daemons()).isEmpty();
  }

  @Test
  void everySettingIsAppliedAndReadBack() throws Exception {
    SyncDaemon master =
        SyncDaemon.of(State.MASTER, "hasync0", 0xfffffff0)
            .withGroup(InetAddress.getByName("239.58.12.3"), 9000, 3)
            .withMaxLen(1200);
    SyncDaemon backup =
        SyncDaemon.of(State.BACKUP, "hasync1", 7)
            .withGroup(InetAddress.getByName("239.58.12.4"), 9100, 2)
            .withMaxLen(1400);
    ipvs.startDaemon(master);
    ipvs.startDaemon(backup);
    List<SyncDaemon> all = ipvs.daemons();
    System.out.println("sync daemons read back: " + all);
    assertThat(find(all, State.MASTER)).isEqualTo(master);
    assertThat(find(all, State.BACKUP)).isEqualTo(backup);
    // The port is u16 in host order: ss shows the backup's socket bound to group:9100 on its
    // interface and the master's connected to its group:9000 (the base ports).
    Process ss = new ProcessBuilder("ss", "-uan").redirectErrorStream(true).start();
    String sockets = new String(ss.getInputStream().readAllBytes());
    ss.waitFor();
    System.out.println("ss -uan:\n" + sockets);
    assertThat(sockets).contains("239.58.12.4%hasync1:9100").contains("239.58.12.3:9000");
  }

  @Test
  void errorsAreNamedAndExplained() throws Exception {
    SyncDaemon master = SyncDaemon.of(State.MASTER, "hasync0", 1);
    ipvs.startDaemon(master);
    assertThatThrownBy(() -> ipvs.startDaemon(master.withMaxLen(1000)))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST);
              assertThat(e.getMessage())
                  .startsWith("IPVS NEW_DAEMON master on hasync0 syncid 1")
                  .contains("a master sync daemon already runs");
            });
    assertThatThrownBy(() -> ipvs.startDaemon(SyncDaemon.of(State.BACKUP, "nosuch0", 1)))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.ENODEV);
              assertThat(e.getMessage()).contains("no interface nosuch0");
            });
    ipvs.stopDaemon(State.MASTER);
    assertThatThrownBy(() -> ipvs.stopDaemon(State.MASTER))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.ESRCH);
              assertThat(e.getMessage()).contains("no master sync daemon runs");
            });
    assertThatThrownBy(() -> ipvs.stopDaemon(State.BACKUP))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(NetlinkException.ESRCH));
    assertThat(ipvs.daemons()).isEmpty();
  }
}
