package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.ipvs.SyncDaemon;
import dev.lvs.agent.netlink.Hex;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The sync daemon commands byte for byte, and the GET_DAEMON dump decoded. */
class SyncDaemonCodecTest {
  static final int FAMILY = IpvsCodecTest.FAMILY;
  static final int REQ_ACK = IpvsCodecTest.REQ_ACK;

  @Test
  void goldenNewDaemonWithKernelDefaultsSendsOnlyTheRequiredAttributes() throws Exception {
    IpvsCodecTest.assumeLittleEndian();
    SyncDaemon d = SyncDaemon.of(SyncDaemon.State.MASTER, "eth0", 5);
    ByteBuffer got = SyncDaemonCodec.newDaemon(FAMILY, d).addFlags(REQ_ACK).build(1, 0);
    byte[] want =
        Hex.bytes(
            "34000000 2000 0500 01000000 00000000" // nlmsghdr, 52 bytes
                + "| 09 01 0000" // NEW_DAEMON, version 1
                + "| 2000 0380" // IPVS_CMD_ATTR_DAEMON | NLA_F_NESTED, 32 bytes
                + "| 0800 0100 01000000" // STATE u32 = MASTER
                + "| 0900 0200 65746830 00000000" // MCAST_IFN "eth0\0" + padding
                + "| 0800 0300 05000000"); // SYNC_ID u32 = 5
    assertThat(Hex.of(got)).isEqualTo(Hex.of(want));
  }

  @Test
  void goldenNewDaemonWithEverySettingPortInHostOrderGroupInNetworkOrder() throws Exception {
    IpvsCodecTest.assumeLittleEndian();
    SyncDaemon d =
        SyncDaemon.of(SyncDaemon.State.BACKUP, "eth1", 0x01020304)
            .withGroup(InetAddress.getByName("239.1.2.3"), 9000, 2)
            .withMaxLen(1400);
    ByteBuffer got = SyncDaemonCodec.newDaemon(FAMILY, d).addFlags(REQ_ACK).build(7, 0);
    byte[] want =
        Hex.bytes(
            "54000000 2000 0500 07000000 00000000" // 84 bytes, seq 7
                + "| 09 01 0000"
                + "| 4000 0380" // 64-byte nest
                + "| 0800 0100 02000000" // STATE = BACKUP
                + "| 0900 0200 65746831 00000000" // "eth1"
                + "| 0800 0300 04030201" // SYNC_ID u32 host order
                + "| 0600 0400 7805 0000" // SYNC_MAXLEN u16 = 1400 (0x0578), host order
                + "| 0800 0500 ef010203" // MCAST_GROUP in_addr: 239.1.2.3 as is
                + "| 0600 0700 2823 0000" // MCAST_PORT u16 = 9000 (0x2328), host order
                + "| 0500 0800 02 000000"); // MCAST_TTL u8 = 2
    assertThat(Hex.of(got)).isEqualTo(Hex.of(want));
  }

  @Test
  void ipv6GroupGoesInMcastGroup6() throws Exception {
    SyncDaemon d =
        SyncDaemon.of(SyncDaemon.State.MASTER, "eth0", 1)
            .withGroup(InetAddress.getByName("ff02::1:81"), 0, 0);
    NetlinkMessage m = IpvsCodecTest.message(SyncDaemonCodec.newDaemon(FAMILY, d));
    var nest =
        dev.lvs.agent.netlink.genl.GenlMessage.parse(m, "t")
            .attributes()
            .nested(IPVS_CMD_ATTR_DAEMON);
    assertThat(nest.has(IPVS_DAEMON_ATTR_MCAST_GROUP)).isFalse();
    assertThat(nest.bytes(IPVS_DAEMON_ATTR_MCAST_GROUP6))
        .isEqualTo(InetAddress.getByName("ff02::1:81").getAddress());
    assertThat(nest.has(IPVS_DAEMON_ATTR_MCAST_PORT)).isFalse();
    assertThat(nest.has(IPVS_DAEMON_ATTR_MCAST_TTL)).isFalse();
    // What we send decodes to what we meant.
    assertThat(SyncDaemonCodec.decodeDaemon(m)).isEqualTo(d);
  }

  @Test
  void goldenDelDaemonCarriesTheStateOnly() throws Exception {
    IpvsCodecTest.assumeLittleEndian();
    ByteBuffer got =
        SyncDaemonCodec.delDaemon(FAMILY, SyncDaemon.State.BACKUP).addFlags(REQ_ACK).build(1, 0);
    byte[] want =
        Hex.bytes(
            "20000000 2000 0500 01000000 00000000"
                + "| 0a 01 0000" // DEL_DAEMON
                + "| 0c00 0380"
                + "| 0800 0100 02000000");
    assertThat(Hex.of(got)).isEqualTo(Hex.of(want));
    assertThat(Hex.of(SyncDaemonCodec.getDaemons(FAMILY).build(1, 0)))
        .isEqualTo(Hex.of(Hex.bytes("14000000 2000 0000 01000000 00000000 | 0b 01 0000")));
  }

  /** A dump message as ip_vs_genl_fill_daemon writes it (nest without NLA_F_NESTED). */
  static MessageBuilder kernelDaemon(int state, String ifn, int syncId, byte[] group4) {
    MessageBuilder b = IpvsCodec.request(FAMILY, IPVS_CMD_NEW_DAEMON);
    int nest = b.length();
    b.u16(0).u16(IPVS_CMD_ATTR_DAEMON); // nla_nest_start_noflag
    b.putU32(IPVS_DAEMON_ATTR_STATE, state)
        .putString(IPVS_DAEMON_ATTR_MCAST_IFN, ifn)
        .putU32(IPVS_DAEMON_ATTR_SYNC_ID, syncId)
        .putU16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, 1472)
        .putU16(IPVS_DAEMON_ATTR_MCAST_PORT, 8848)
        .putU8(IPVS_DAEMON_ATTR_MCAST_TTL, 1);
    if (group4 != null) {
      b.putBytes(IPVS_DAEMON_ATTR_MCAST_GROUP, group4);
    }
    return b.endNested(nest);
  }

  @Test
  void decodesTheKernelsDumpWithItsDefaultsFilledIn() throws Exception {
    NetlinkMessage m =
        IpvsCodecTest.message(kernelDaemon(2, "eth0", 7, new byte[] {(byte) 224, 0, 0, 81}));
    SyncDaemon d = SyncDaemonCodec.decodeDaemon(m);
    assertThat(d)
        .isEqualTo(
            new SyncDaemon(
                SyncDaemon.State.BACKUP,
                "eth0",
                7,
                InetAddress.getByName("224.0.0.81"),
                8848,
                1,
                1472));
  }

  @Test
  void decodesAnOldKernelsDumpWithoutTheOptionalAttributes() throws Exception {
    MessageBuilder b = IpvsCodec.request(FAMILY, IPVS_CMD_NEW_DAEMON);
    int nest = b.beginNested(IPVS_CMD_ATTR_DAEMON);
    b.putU32(IPVS_DAEMON_ATTR_STATE, 1)
        .putString(IPVS_DAEMON_ATTR_MCAST_IFN, "bond0")
        .putU32(IPVS_DAEMON_ATTR_SYNC_ID, 0);
    b.endNested(nest);
    assertThat(SyncDaemonCodec.decodeDaemon(IpvsCodecTest.message(b)))
        .isEqualTo(SyncDaemon.of(SyncDaemon.State.MASTER, "bond0", 0));
  }

  @Test
  void rejectsAnUnknownStateAndAShortGroup() {
    assertThatThrownBy(
            () ->
                SyncDaemonCodec.decodeDaemon(IpvsCodecTest.message(kernelDaemon(3, "e", 1, null))))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("unknown daemon state 3");
    assertThatThrownBy(
            () ->
                SyncDaemonCodec.decodeDaemon(
                    IpvsCodecTest.message(kernelDaemon(1, "e", 1, new byte[] {1, 2}))))
        .isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void recordRejectsWhatTheKernelWouldRefuse() throws Exception {
    assertThatThrownBy(() -> SyncDaemon.of(SyncDaemon.State.MASTER, "", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SyncDaemon.of(SyncDaemon.State.MASTER, "a-very-long-name0", 1))
        .hasMessageContaining("1..15 bytes");
    InetAddress unicast = InetAddress.getByName("10.0.0.1");
    assertThatThrownBy(
            () -> SyncDaemon.of(SyncDaemon.State.MASTER, "eth0", 1).withGroup(unicast, 0, 0))
        .hasMessageContaining("multicast");
    assertThatThrownBy(
            () -> SyncDaemon.of(SyncDaemon.State.MASTER, "eth0", 1).withGroup(null, 70000, 0))
        .hasMessageContaining("port");
    assertThatThrownBy(
            () -> SyncDaemon.of(SyncDaemon.State.MASTER, "eth0", 1).withGroup(null, 0, 256))
        .hasMessageContaining("ttl");
  }
}
