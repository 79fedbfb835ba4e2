package dev.lvs.agent.netlink.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.Hex;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtnlCodecTest {
  static final int REQ_ACK = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;

  static NetlinkMessage message(MessageBuilder b) throws Exception {
    return NetlinkMessage.parseAll(b.build(1, 0)).get(0);
  }

  /** RTM_NEWADDR as the kernel sends it in a dump: same layout as the request. */
  static NetlinkMessage asKernelAddress(MessageBuilder request) throws Exception {
    var m = message(request);
    return new NetlinkMessage(Rtnl.RTM_NEWADDR, Netlink.NLM_F_MULTI, 1, 1, m.payload());
  }

  static MessageBuilder kernelLink(int index, String name, int flags, int mtu) {
    return new MessageBuilder(Rtnl.RTM_NEWLINK, Netlink.NLM_F_MULTI)
        .u8(0)
        .u8(0)
        .u16(772)
        .u32(index)
        .u32(flags)
        .u32(0)
        .putString(Rtnl.IFLA_IFNAME, name)
        .putU32(Rtnl.IFLA_MTU, mtu)
        .putBytes(Rtnl.IFLA_ADDRESS, new byte[6]);
  }

  @Test
  void goldenNewAddressWithLabel() throws Exception {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    IfAddress a = IfAddress.host(1, InetAddress.getByName("172.16.58.1"), "lo:lvs");
    assertThat(Hex.of(RtnlCodec.newAddress(a).addFlags(REQ_ACK).build(1, 0)))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    // len 52, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE (0x605), seq 1, pid 0
                    "34000000 1400 0506 01000000 00000000"
                        // ifaddrmsg: AF_INET, /32, flags 0, scope universe, index 1
                        + "| 02 20 00 00 01000000"
                        + "| 0800 0200 ac103a01" // IFA_LOCAL
                        + "| 0800 0100 ac103a01" // IFA_ADDRESS
                        + "| 0b00 0300 6c6f3a6c767300 00"))); // IFA_LABEL "lo:lvs\0"
  }

  @Test
  void goldenIpv6AddressIsNodadWithoutLabel() throws Exception {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    IfAddress a = IfAddress.host(1, InetAddress.getByName("2001:db8::1"), "ignored");
    assertThat(Hex.of(RtnlCodec.newAddress(a).build(1, 0)))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    "40000000 1400 0006 01000000 00000000"
                        + "| 0a 80 02 00 01000000"
                        + "| 1400 0200 20010db8 00000000 00000000 00000001"
                        + "| 1400 0100 20010db8 00000000 00000000 00000001")));
  }

  @Test
  void goldenDeleteAndDumps() throws Exception {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    IfAddress a = IfAddress.host(3, InetAddress.getByName("10.0.0.1"), null);
    assertThat(Hex.of(RtnlCodec.deleteAddress(a).build(1, 0)))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    "28000000 1500 0000 01000000 00000000 | 02 20 00 00 03000000"
                        + "| 0800 0200 0a000001 | 0800 0100 0a000001")));
    assertThat(Hex.of(RtnlCodec.getAddresses().build(1, 0)))
        .isEqualTo("18 00 00 00 16 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    assertThat(RtnlCodec.getLinks().build(1, 0).remaining()).isEqualTo(32);
    assertThat(Hex.of(RtnlCodec.getLink("lo").build(1, 0))).endsWith("07 00 03 00 6c 6f 00 00");
  }

  @Test
  void addressesRoundTripBothFamilies() throws Exception {
    Random r = new Random(32);
    for (int i = 0; i < 5000; i++) {
      boolean v6 = r.nextBoolean();
      byte[] b = new byte[v6 ? 16 : 4];
      r.nextBytes(b);
      InetAddress addr = v6 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
      String label = v6 || r.nextBoolean() ? null : "lo:" + r.nextInt(100000);
      IfAddress a = new IfAddress(1 + r.nextInt(10000), addr, r.nextInt(v6 ? 129 : 33), label);
      assertThat(RtnlCodec.decodeAddress(asKernelAddress(RtnlCodec.newAddress(a)))).isEqualTo(a);
    }
  }

  @Test
  void localIsPreferredOverAddressForPointToPoint() throws Exception {
    MessageBuilder b =
        new MessageBuilder(Rtnl.RTM_NEWADDR, 0)
            .u8(Rtnl.AF_INET)
            .u8(32)
            .u8(0)
            .u8(0)
            .u32(5)
            .putBytes(Rtnl.IFA_ADDRESS, new byte[] {10, 0, 0, 2})
            .putBytes(Rtnl.IFA_LOCAL, new byte[] {10, 0, 0, 1})
            .putString(Rtnl.IFA_LABEL, "tun0");
    IfAddress a = RtnlCodec.decodeAddress(message(b));
    assertThat(a).isEqualTo(new IfAddress(5, InetAddress.getByName("10.0.0.1"), 32, "tun0"));
  }

  @Test
  void otherFamiliesAreSkippedAndBadAddressesRefused() throws Exception {
    assertThat(
            RtnlCodec.decodeAddress(
                message(new MessageBuilder(Rtnl.RTM_NEWADDR, 0).u8(7).u8(0).u8(0).u8(0).u32(1))))
        .isNull();
    MessageBuilder bad =
        new MessageBuilder(Rtnl.RTM_NEWADDR, 0)
            .u8(Rtnl.AF_INET)
            .u8(40)
            .u8(0)
            .u8(0)
            .u32(1)
            .putBytes(Rtnl.IFA_LOCAL, new byte[] {10, 0, 0, 1});
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(message(bad)))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("prefix length 40");
    MessageBuilder shortAddr =
        new MessageBuilder(Rtnl.RTM_NEWADDR, 0)
            .u8(Rtnl.AF_INET6)
            .u8(64)
            .u8(0)
            .u8(0)
            .u32(1)
            .putBytes(Rtnl.IFA_ADDRESS, new byte[] {10, 0, 0, 1});
    assertThatThrownBy(() -> RtnlCodec.decodeAddress(message(shortAddr)))
        .isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void linksDecode() throws Exception {
    Link lo = RtnlCodec.decodeLink(message(kernelLink(1, "lo", 0x49, 65536)));
    assertThat(lo).isEqualTo(new Link(1, "lo", 0x49, 65536));
    assertThat(lo.isLoopback()).isTrue();
    assertThat(lo.isUp()).isTrue();
    assertThatThrownBy(
            () ->
                RtnlCodec.decodeLink(
                    message(new MessageBuilder(Rtnl.RTM_NEWLINK, 0).u32(0).u32(1).u32(0).u32(0))))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("attribute 3 missing");
  }

  @Test
  void requestsRefuseWhatTheKernelWouldRefuse() throws Exception {
    assertThatThrownBy(
            () -> RtnlCodec.newAddress(IfAddress.host(0, InetAddress.getByName("10.0.0.1"), null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RtnlCodec.getLink("a-name-that-is-too-long"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
