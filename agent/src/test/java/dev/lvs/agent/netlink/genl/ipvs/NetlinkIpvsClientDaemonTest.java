package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.FakeKernel.ack;
import static dev.lvs.agent.netlink.FakeKernel.datagram;
import static dev.lvs.agent.netlink.FakeKernel.error;
import static dev.lvs.agent.netlink.FakeKernel.reply;
import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.ipvs.SyncDaemon;
import dev.lvs.agent.netlink.FakeKernel;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.ScriptedTransport;
import dev.lvs.agent.netlink.genl.GenericNetlinkTest;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.wire.Netlink;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sync daemon calls against a scripted kernel: commands, dump, errors named and explained. */
class NetlinkIpvsClientDaemonTest {
  static final int ID = 0x23;
  final ScriptedTransport kernel = new ScriptedTransport();
  NetlinkIpvsClient ipvs;

  @BeforeEach
  void resolve() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(reply(req, GenericNetlinkTest.family(ID, "IPVS", 1, 6), 0), ack(req))));
    ipvs = new NetlinkIpvsClient(kernel);
  }

  @Test
  void startAndStopSendTheDaemonCommands() throws Exception {
    kernel.then(req -> List.of(datagram(ack(req))));
    kernel.then(req -> List.of(datagram(ack(req))));
    SyncDaemon d = SyncDaemon.of(SyncDaemon.State.BACKUP, "eth0", 9);
    ipvs.startDaemon(d);
    GenlMessage sent = GenlMessage.parse(kernel.lastSent(), "sent");
    assertThat(sent.cmd()).isEqualTo(IPVS_CMD_NEW_DAEMON);
    assertThat(kernel.lastSent().flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
    assertThat(SyncDaemonCodec.decodeDaemon(kernel.lastSent())).isEqualTo(d);
    ipvs.stopDaemon(SyncDaemon.State.BACKUP);
    sent = GenlMessage.parse(kernel.lastSent(), "sent");
    assertThat(sent.cmd()).isEqualTo(IPVS_CMD_DEL_DAEMON);
    assertThat(sent.attributes().nested(IPVS_CMD_ATTR_DAEMON).u32(IPVS_DAEMON_ATTR_STATE))
        .isEqualTo(2);
  }

  @Test
  void listsBothDaemonsOfTheDump() throws Exception {
    byte[] g = InetAddress.getByName("224.0.0.81").getAddress();
    kernel.then(
        FakeKernel.dumpOf(
            req ->
                List.of(
                    List.of(
                        SyncDaemonCodecTest.kernelDaemon(1, "eth0", 3, g),
                        SyncDaemonCodecTest.kernelDaemon(2, "eth0", 3, g)))));
    List<SyncDaemon> all = ipvs.daemons();
    assertThat(kernel.lastSent().flags() & Netlink.NLM_F_DUMP).isEqualTo(Netlink.NLM_F_DUMP);
    assertThat(all)
        .extracting(SyncDaemon::state)
        .containsExactly(SyncDaemon.State.MASTER, SyncDaemon.State.BACKUP);
    assertThat(all).allSatisfy(d -> assertThat(d.port()).isEqualTo(8848));
  }

  @Test
  void errorsNameTheDaemonAndSayWhatTheErrnoMeans() throws Exception {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EEXIST, null))));
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.ENODEV, null))));
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.ESRCH, null))));
    assertThatThrownBy(() -> ipvs.startDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "eth0", 5)))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST);
              assertThat(e.operation()).isEqualTo("IPVS NEW_DAEMON master on eth0 syncid 5");
              assertThat(e.getMessage()).contains("a master sync daemon already runs");
            });
    assertThatThrownBy(() -> ipvs.startDaemon(SyncDaemon.of(SyncDaemon.State.BACKUP, "eth9", 5)))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.ENODEV);
              assertThat(e.getMessage())
                  .contains("IPVS NEW_DAEMON backup on eth9")
                  .contains("no interface eth9 in this network namespace");
            });
    assertThatThrownBy(() -> ipvs.stopDaemon(SyncDaemon.State.BACKUP))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.ESRCH);
              assertThat(e.getMessage())
                  .startsWith("IPVS DEL_DAEMON backup: ESRCH")
                  .contains("no backup sync daemon runs");
            });
  }
}
