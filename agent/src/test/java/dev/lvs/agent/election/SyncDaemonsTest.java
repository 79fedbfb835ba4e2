package dev.lvs.agent.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncDaemonsTest {
  static final SyncDaemonSettings ON =
      new SyncDaemonSettings(true, Optional.empty(), 7, Optional.empty(), 0);

  @Test
  void aDirectorRunsAMasterAndABackupAndKeepsThemRunning() throws Exception {
    FakeIpvsClient ipvs = new FakeIpvsClient();
    ElectionMetrics m = new ElectionMetrics();
    SyncDaemons d = new SyncDaemons(ipvs, ON, m);
    assertThat(d.reconcile(true, Optional.of("eth0"))).isEmpty();
    assertThat(ipvs.daemons())
        .extracting(SyncDaemon::state, SyncDaemon::interfaceName, SyncDaemon::syncId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(SyncDaemon.State.MASTER, "eth0", 7),
            org.assertj.core.groups.Tuple.tuple(SyncDaemon.State.BACKUP, "eth0", 7));
    assertThat(m.syncDaemons()).containsEntry("master", true).containsEntry("backup", true);
    // Stopped behind its back: started again by the next check.
    ipvs.stopDaemon(SyncDaemon.State.BACKUP);
    d.reconcile(true, Optional.of("eth0"));
    assertThat(ipvs.daemons()).hasSize(2);
    // Not a director any more: its own daemons stop.
    d.reconcile(false, Optional.of("eth0"));
    assertThat(ipvs.daemons()).isEmpty();
  }

  @Test
  void aDaemonWithOtherSettingsIsLeftAloneAndReported() throws Exception {
    FakeIpvsClient ipvs = new FakeIpvsClient();
    SyncDaemon foreign =
        new SyncDaemon(
            SyncDaemon.State.MASTER, "eth1", 9, InetAddress.getByName("224.0.0.81"), 8848, 1, 0);
    ipvs.startDaemon(foreign);
    SyncDaemons d = new SyncDaemons(ipvs, ON, new ElectionMetrics());
    assertThat(d.reconcile(true, Optional.of("eth0")))
        .singleElement()
        .asString()
        .contains("sync master runs on eth1 with syncid 9")
        .contains("left alone");
    assertThat(ipvs.daemons()).anyMatch(x -> x.interfaceName().equals("eth1") && x.syncId() == 9);
    d.reconcile(false, Optional.of("eth0"));
    assertThat(ipvs.daemons())
        .as("not ours: not stopped")
        .anyMatch(x -> x.interfaceName().equals("eth1") && x.syncId() == 9);
  }

  @Test
  void aNodeThatNeverDirectedLeavesIpvsAlone() {
    FakeIpvsClient ipvs = new FakeIpvsClient();
    SyncDaemons d = new SyncDaemons(ipvs, ON, new ElectionMetrics());
    assertThat(d.reconcile(false, Optional.of("eth0"))).isEmpty();
    assertThat(d.reconcile(true, Optional.empty()))
        .singleElement()
        .asString()
        .contains("--sync-interface");
  }
}
