package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsStats;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.netlink.Hex;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IpvsCodecTest {
  static final int FAMILY = 0x20;
  static final int REQ_ACK = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static NetlinkMessage message(MessageBuilder b) throws Exception {
    return NetlinkMessage.parseAll(b.build(1, 0)).get(0);
  }

  static void assumeLittleEndian() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are x86/arm64");
  }

  @Test
  void goldenNewServiceTcpWlc() throws Exception {
    assumeLittleEndian();
    IpvsService svc =
        new IpvsService(
            ServiceKey.of(ServiceKey.IPPROTO_TCP, ip("172.16.58.1"), 80), "wlc", 0, 0, 0xffffffff);
    ByteBuffer got = IpvsCodec.newService(FAMILY, svc).addFlags(REQ_ACK).build(1, 0);
    byte[] want =
        Hex.bytes(
            // nlmsghdr: len 104, type 0x20 (IPVS), flags REQUEST|ACK, seq 1, pid 0
            "68000000 2000 0500 01000000 00000000"
                // genlmsghdr: cmd NEW_SERVICE, version 1
                + "| 01 01 0000"
                // IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, 84 bytes
                + "| 5400 0180"
                + "| 0600 0100 0200 0000" // AF u16 = AF_INET
                + "| 0600 0200 0600 0000" // PROTOCOL u16 = TCP
                + "| 1400 0300 ac103a01 00000000 00000000 00000000" // ADDR, 16 bytes
                + "| 0600 0400 0050 0000" // PORT be16 = 80
                + "| 0800 0600 776c6300" // SCHED_NAME "wlc\0"
                + "| 0c00 0700 00000000 ffffffff" // FLAGS {flags 0, mask ~0}
                + "| 0800 0800 00000000" // TIMEOUT u32 = 0
                + "| 0800 0900 ffffffff"); // NETMASK be32 = 255.255.255.255
    assertThat(Hex.of(got)).isEqualTo(Hex.of(want));
  }

  @Test
  void goldenNewDestWeightIsU32() throws Exception {
    assumeLittleEndian();
    ServiceKey key = ServiceKey.of(ServiceKey.IPPROTO_TCP, ip("172.16.58.1"), 80);
    IpvsDestination d =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 70000, 0, 0);
    ByteBuffer got = IpvsCodec.newDestination(FAMILY, key, d).addFlags(REQ_ACK).build(1, 0);
    byte[] want =
        Hex.bytes(
            "8c000000 2000 0500 01000000 00000000"
                + "| 05 01 0000" // NEW_DEST, version 1
                + "| 3000 0180" // SERVICE nest: identity only
                + "| 0600 0100 0200 0000"
                + "| 0600 0200 0600 0000"
                + "| 1400 0300 ac103a01 00000000 00000000 00000000"
                + "| 0600 0400 0050 0000"
                + "| 4800 0280" // DEST nest
                + "| 0600 0b00 0200 0000" // ADDR_FAMILY u16 = AF_INET
                + "| 1400 0100 ac103a07 00000000 00000000 00000000" // ADDR
                + "| 0600 0200 0050 0000" // PORT be16 = 80
                + "| 0800 0300 03000000" // FWD_METHOD = DROUTE
                + "| 0800 0400 70110100" // WEIGHT u32 = 70000 (0x11170)
                + "| 0800 0500 00000000" // U_THRESH
                + "| 0800 0600 00000000"); // L_THRESH
    assertThat(Hex.of(got)).isEqualTo(Hex.of(want));
  }

  @Test
  void goldenDelDestAndGetDestCarryOnlyIdentities() throws Exception {
    assumeLittleEndian();
    ServiceKey key = ServiceKey.fwmark(ServiceKey.AF_INET, 7);
    ByteBuffer del =
        IpvsCodec.delDestination(FAMILY, key, new IpvsDestination.DestinationKey(ip("10.0.0.2"), 0))
            .build(1, 0);
    assertThat(Hex.of(del))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    "50000000 2000 0000 01000000 00000000 | 07 01 0000"
                        + "| 1400 0180 | 0600 0100 0200 0000 | 0800 0500 07000000"
                        + "| 2800 0280 | 0600 0b00 0200 0000"
                        + "| 1400 0100 0a000002 00000000 00000000 00000000"
                        + "| 0600 0200 0000 0000")));
  }

  @Test
  void ipv6NetmaskIsThePrefixLengthInHostOrder() throws Exception {
    assumeLittleEndian();
    IpvsService svc =
        new IpvsService(
            ServiceKey.of(ServiceKey.IPPROTO_UDP, ip("2001:db8::1"), 53),
            "rr",
            IpvsService.F_PERSISTENT,
            300,
            64);
    String hex = Hex.of(IpvsCodec.newService(FAMILY, svc).build(1, 0));
    assertThat(hex).endsWith("08 00 08 00 2c 01 00 00 08 00 09 00 40 00 00 00");
    assertThat(hex).contains("06 00 01 00 0a 00 00 00"); // AF_INET6
    assertThat(hex).contains("14 00 03 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01");
  }

  @Test
  void setConfigAndTheGets() throws Exception {
    assumeLittleEndian();
    assertThat(Hex.of(IpvsCodec.setConfig(FAMILY, new IpvsTimeouts(900, 120, 300)).build(1, 0)))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    "2c000000 2000 0000 01000000 00000000 | 0c 01 0000"
                        + "| 0800 0400 84030000 | 0800 0500 78000000 | 0800 0600 2c010000")));
    assertThat(Hex.of(IpvsCodec.getInfo(FAMILY).build(1, 0)))
        .isEqualTo("14 00 00 00 20 00 00 00 01 00 00 00 00 00 00 00 0f 01 00 00");
    assertThat(Hex.of(IpvsCodec.getConfig(FAMILY).build(1, 0))).endsWith("0d 01 00 00");
    assertThat(Hex.of(IpvsCodec.getServices(FAMILY).build(1, 0))).endsWith("04 01 00 00");
  }

  @Test
  void refusesWhatTheKernelWouldRefuse() throws Exception {
    ServiceKey key = ServiceKey.of(ServiceKey.IPPROTO_TCP, ip("10.0.0.1"), 80);
    assertThatThrownBy(() -> IpvsCodec.newService(FAMILY, new IpvsService(key, "", 0, 0, -1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                IpvsCodec.newService(
                    FAMILY, new IpvsService(key, "a-very-long-scheduler", 0, 0, -1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                IpvsCodec.newDestination(
                    FAMILY,
                    key,
                    new IpvsDestination(ip("10.0.0.2"), 70000, ForwardMethod.MASQUERADE, 1, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpvsCodec.setConfig(FAMILY, new IpvsTimeouts(-1, 0, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------ round trips

  static InetAddress randomAddress(Random r, boolean v6) throws Exception {
    byte[] b = new byte[v6 ? 16 : 4];
    r.nextBytes(b);
    return v6 ? java.net.Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
  }

  static IpvsService randomService(Random r) throws Exception {
    boolean v6 = r.nextBoolean();
    int family = v6 ? ServiceKey.AF_INET6 : ServiceKey.AF_INET;
    ServiceKey key =
        r.nextInt(5) == 0
            ? ServiceKey.fwmark(family, r.nextInt(Integer.MAX_VALUE) + 1)
            : new ServiceKey(
                family,
                new int[] {6, 17, 132}[r.nextInt(3)],
                randomAddress(r, v6),
                r.nextInt(65536),
                0);
    String[] scheds = {"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh"};
    return new IpvsService(
        key,
        scheds[r.nextInt(scheds.length)],
        r.nextInt(64),
        r.nextInt(),
        v6 ? 1 + r.nextInt(128) : r.nextInt());
  }

  static IpvsDestination randomDestination(Random r, boolean v6) throws Exception {
    return new IpvsDestination(
        randomAddress(r, v6),
        r.nextInt(65536),
        ForwardMethod.values()[r.nextInt(4)],
        r.nextInt(Integer.MAX_VALUE),
        r.nextInt(),
        r.nextInt());
  }

  @Test
  void servicesRoundTrip() throws Exception {
    Random r = new Random(58);
    for (int i = 0; i < 5000; i++) {
      IpvsService svc = randomService(r);
      ServiceEntry e = IpvsCodec.decodeService(message(IpvsCodec.newService(FAMILY, svc)));
      assertThat(e.service()).isEqualTo(svc);
      assertThat(e.stats()).isEqualTo(IpvsStats.ZERO);
    }
  }

  @Test
  void destinationsRoundTripBothFamilies() throws Exception {
    Random r = new Random(70000);
    ServiceKey key = ServiceKey.of(ServiceKey.IPPROTO_TCP, ip("10.0.0.1"), 80);
    for (int i = 0; i < 5000; i++) {
      IpvsDestination d = randomDestination(r, r.nextBoolean());
      DestinationEntry e =
          IpvsCodec.decodeDestination(
              message(IpvsCodec.newDestination(FAMILY, key, d)), ServiceKey.AF_INET);
      assertThat(e.destination()).isEqualTo(d);
    }
  }

  /** What the kernel sends for a GET_DEST dump, optionally without ADDR_FAMILY (kernels < 4.x). */
  static MessageBuilder kernelDest(
      IpvsDestination d, boolean withFamily, boolean stats64, long[] counters) {
    MessageBuilder b = IpvsCodec.request(FAMILY, IPVS_CMD_NEW_DEST);
    int n = b.beginNested(IPVS_CMD_ATTR_DEST);
    b.putBytes(IPVS_DEST_ATTR_ADDR, IpvsCodec.ipvsAddress(d.address()))
        .putBe16(IPVS_DEST_ATTR_PORT, d.port())
        .putU32(IPVS_DEST_ATTR_FWD_METHOD, d.forward().code())
        .putU32(IPVS_DEST_ATTR_WEIGHT, d.weight())
        .putU8(IPVS_DEST_ATTR_TUN_TYPE, 0)
        .putBe16(IPVS_DEST_ATTR_TUN_PORT, 0)
        .putU16(IPVS_DEST_ATTR_TUN_FLAGS, 0)
        .putU32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold())
        .putU32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold())
        .putU32(IPVS_DEST_ATTR_ACTIVE_CONNS, 11)
        .putU32(IPVS_DEST_ATTR_INACT_CONNS, 12)
        .putU32(IPVS_DEST_ATTR_PERSIST_CONNS, 13);
    if (withFamily) {
      b.putU16(IPVS_DEST_ATTR_ADDR_FAMILY, ServiceKey.familyOf(d.address()));
    }
    putStats(b, IPVS_DEST_ATTR_STATS, false, counters);
    if (stats64) {
      putStats(b, IPVS_DEST_ATTR_STATS64, true, counters);
    }
    b.endNested(n);
    return b;
  }

  /** The kernel's stats nests: STATS has u32 counters but u64 bytes; STATS64 is all u64. */
  static void putStats(MessageBuilder b, int type, boolean all64, long[] c) {
    int n = b.beginNested(type);
    for (int i = 0; i < 10; i++) {
      int attr = i + 1;
      boolean bytes = attr == IPVS_STATS_ATTR_INBYTES || attr == IPVS_STATS_ATTR_OUTBYTES;
      if (all64 || bytes) {
        b.putU64(attr, all64 ? c[i] : c[i]);
      } else {
        b.putU32(attr, (int) c[i]);
      }
    }
    b.endNested(n);
  }

  @Test
  void destinationWithoutAddrFamilyTakesTheServicesFamily() throws Exception {
    long[] c = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    IpvsDestination v4 =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 5, 0, 0);
    DestinationEntry e4 =
        IpvsCodec.decodeDestination(message(kernelDest(v4, false, false, c)), ServiceKey.AF_INET);
    assertThat(e4.destination()).isEqualTo(v4);
    assertThat(e4.activeConnections()).isEqualTo(11);
    assertThat(e4.inactiveConnections()).isEqualTo(12);
    assertThat(e4.persistentConnections()).isEqualTo(13);
    assertThat(e4.stats()).isEqualTo(new IpvsStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

    IpvsDestination v6 =
        new IpvsDestination(ip("2001:db8::7"), 80, ForwardMethod.DIRECT_ROUTE, 5, 0, 0);
    assertThat(
            IpvsCodec.decodeDestination(
                    message(kernelDest(v6, false, false, c)), ServiceKey.AF_INET6)
                .destination())
        .isEqualTo(v6);
    // With ADDR_FAMILY the destination's own family wins (cloudflare/ipvs#10: never guess).
    assertThat(
            IpvsCodec.decodeDestination(
                    message(kernelDest(v4, true, false, c)), ServiceKey.AF_INET6)
                .destination())
        .isEqualTo(v4);
  }

  @Test
  void stats64IsPreferredOverStats() throws Exception {
    long big = 1L << 40;
    long[] c = {big, big + 1, big + 2, big + 3, big + 4, 6, 7, 8, 9, 10};
    IpvsDestination d =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 5, 0, 0);
    IpvsStats s =
        IpvsCodec.decodeDestination(message(kernelDest(d, true, true, c)), ServiceKey.AF_INET)
            .stats();
    assertThat(s).isEqualTo(new IpvsStats(big, big + 1, big + 2, big + 3, big + 4, 6, 7, 8, 9, 10));
    // Only the 32-bit nest: counters truncated to u32, bytes still u64.
    IpvsStats s32 =
        IpvsCodec.decodeDestination(message(kernelDest(d, true, false, c)), ServiceKey.AF_INET)
            .stats();
    assertThat(s32.connections()).isEqualTo(0);
    assertThat(s32.inBytes()).isEqualTo(big + 3);
  }

  @Test
  void serviceDecodingMasksHashedAndReadsStats() throws Exception {
    MessageBuilder b = IpvsCodec.request(FAMILY, IPVS_CMD_NEW_SERVICE);
    int n = b.beginNested(IPVS_CMD_ATTR_SERVICE);
    b.putU16(IPVS_SVC_ATTR_AF, 2)
        .putU16(IPVS_SVC_ATTR_PROTOCOL, 6)
        .putBytes(IPVS_SVC_ATTR_ADDR, IpvsCodec.ipvsAddress(ip("172.16.58.1")))
        .putBe16(IPVS_SVC_ATTR_PORT, 80)
        .putString(IPVS_SVC_ATTR_SCHED_NAME, "wlc")
        .putBytes(IPVS_SVC_ATTR_FLAGS, IpvsCodec.flags(IP_VS_SVC_F_HASHED | 1, -1))
        .putU32(IPVS_SVC_ATTR_TIMEOUT, 300)
        .putBe32(IPVS_SVC_ATTR_NETMASK, 0xffffff00);
    putStats(b, IPVS_SVC_ATTR_STATS64, true, new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    b.endNested(n);
    ServiceEntry e = IpvsCodec.decodeService(message(b));
    assertThat(e.service())
        .isEqualTo(
            new IpvsService(ServiceKey.of(6, ip("172.16.58.1"), 80), "wlc", 1, 300, 0xffffff00));
    assertThat(e.stats().outBps()).isEqualTo(10);
  }

  @Test
  void badValuesAreProtocolErrors() throws Exception {
    IpvsDestination d =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 5, 0, 0);
    long[] c = new long[10];
    // unknown family
    assertThatThrownBy(
            () -> IpvsCodec.decodeDestination(message(kernelDest(d, false, false, c)), 7))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("unknown address family 7");
    // forwarding method 5 and a weight above 2^31-1
    MessageBuilder b = IpvsCodec.request(FAMILY, IPVS_CMD_NEW_DEST);
    int n = b.beginNested(IPVS_CMD_ATTR_DEST);
    b.putBytes(IPVS_DEST_ATTR_ADDR, new byte[16])
        .putBe16(IPVS_DEST_ATTR_PORT, 1)
        .putU32(IPVS_DEST_ATTR_FWD_METHOD, 5)
        .putU32(IPVS_DEST_ATTR_WEIGHT, 1)
        .putU32(IPVS_DEST_ATTR_U_THRESH, 0)
        .putU32(IPVS_DEST_ATTR_L_THRESH, 0);
    b.endNested(n);
    assertThatThrownBy(() -> IpvsCodec.decodeDestination(message(b), 2))
        .isInstanceOf(NetlinkProtocolException.class);
    // a service message without the service nest
    assertThatThrownBy(
            () -> IpvsCodec.decodeService(message(IpvsCodec.request(FAMILY, IPVS_CMD_NEW_SERVICE))))
        .isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void infoAndTimeoutsDecode() throws Exception {
    MessageBuilder info =
        GenlMessage.request(FAMILY, IPVS_CMD_SET_INFO, 1)
            .putU32(IPVS_INFO_ATTR_VERSION, 0x010201)
            .putU32(IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
    var i = IpvsCodec.decodeInfo(message(info));
    assertThat(i.versionString()).isEqualTo("1.2.1");
    assertThat(i.connectionTableSize()).isEqualTo(4096);
    MessageBuilder cfg =
        GenlMessage.request(FAMILY, IPVS_CMD_SET_CONFIG, 1)
            .putU32(IPVS_CMD_ATTR_TIMEOUT_TCP, 900)
            .putU32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 120)
            .putU32(IPVS_CMD_ATTR_TIMEOUT_UDP, 300);
    assertThat(IpvsCodec.decodeTimeouts(message(cfg))).isEqualTo(new IpvsTimeouts(900, 120, 300));
    assertThat(
            IpvsCodec.decodeTimeouts(
                message(IpvsCodec.setConfig(FAMILY, new IpvsTimeouts(1, 2, 3)))))
        .isEqualTo(new IpvsTimeouts(1, 2, 3));
  }
}
