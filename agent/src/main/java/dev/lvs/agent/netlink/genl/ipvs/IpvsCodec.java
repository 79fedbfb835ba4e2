package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsInfo;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsStats;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.wire.AttributeReader;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Encodes IPVS requests and decodes IPVS replies (the attribute layouts of
 * include/uapi/linux/ip_vs.h and net/netfilter/ipvs/ip_vs_ctl.c).
 *
 * <p>Byte order: ports are big-endian (be16); the IPv4 persistence netmask is big-endian (be32, the
 * mask as it is applied to addresses) while the IPv6 one is the prefix length in host order,
 * because the kernel reads the same __be32 field with a {@code (__force __u32)} cast for IPv6;
 * addresses are raw bytes, 16 of them, IPv4 in the first 4; everything else is host order.
 */
public final class IpvsCodec {
  private IpvsCodec() {}

  /** Every bit of FLAGS is set from our value (the kernel keeps HASHED to itself). */
  public static final int FLAGS_MASK_ALL = 0xffffffff;

  // ---------------------------------------------------------------- encoding

  public static MessageBuilder request(int familyId, int cmd) {
    return GenlMessage.request(familyId, cmd, IPVS_GENL_VERSION);
  }

  static byte[] ipvsAddress(InetAddress address) {
    byte[] raw = address.getAddress();
    byte[] out = new byte[IPVS_ADDR_LEN];
    System.arraycopy(raw, 0, out, 0, raw.length);
    return out;
  }

  private static void putKeyAttrs(MessageBuilder b, ServiceKey key) {
    b.putU16(IPVS_SVC_ATTR_AF, key.family());
    if (key.fwmark() != 0) {
      b.putU32(IPVS_SVC_ATTR_FWMARK, key.fwmark());
    } else {
      b.putU16(IPVS_SVC_ATTR_PROTOCOL, key.protocol());
      b.putBytes(IPVS_SVC_ATTR_ADDR, ipvsAddress(key.address()));
      b.putBe16(IPVS_SVC_ATTR_PORT, key.port());
    }
  }

  /** IPVS_CMD_ATTR_SERVICE with the identity only (DEL_SERVICE, *_DEST, GET_DEST). */
  public static void putServiceKey(MessageBuilder b, ServiceKey key) {
    int nest = b.beginNested(IPVS_CMD_ATTR_SERVICE);
    putKeyAttrs(b, key);
    b.endNested(nest);
  }

  /** IPVS_CMD_ATTR_SERVICE with everything NEW/SET_SERVICE require. */
  public static void putService(MessageBuilder b, IpvsService s) {
    byte[] sched = s.scheduler().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (sched.length == 0 || sched.length >= IP_VS_SCHEDNAME_MAXLEN) {
      throw new IllegalArgumentException(
          "scheduler name must be 1.." + (IP_VS_SCHEDNAME_MAXLEN - 1) + " bytes: " + s.scheduler());
    }
    int nest = b.beginNested(IPVS_CMD_ATTR_SERVICE);
    putKeyAttrs(b, s.key());
    b.putString(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler());
    b.putBytes(IPVS_SVC_ATTR_FLAGS, flags(s.flags(), FLAGS_MASK_ALL));
    b.putU32(IPVS_SVC_ATTR_TIMEOUT, s.timeoutSeconds());
    putNetmask(b, s.key().family(), s.netmask());
    b.endNested(nest);
  }

  private static void putNetmask(MessageBuilder b, int family, int netmask) {
    if (family == ServiceKey.AF_INET6) {
      b.putU32(IPVS_SVC_ATTR_NETMASK, netmask);
    } else {
      b.putBe32(IPVS_SVC_ATTR_NETMASK, netmask);
    }
  }

  /** struct ip_vs_flags { __u32 flags; __u32 mask; } in host order. */
  static byte[] flags(int flags, int mask) {
    java.nio.ByteBuffer bb =
        java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
    bb.putInt(flags).putInt(mask);
    return bb.array();
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** IPVS_CMD_ATTR_DEST with everything NEW/SET_DEST require. */
  public static void putDestination(MessageBuilder b, IpvsDestination d) {
    checkPort(d.port());
    int nest = b.beginNested(IPVS_CMD_ATTR_DEST);
    b.putU16(IPVS_DEST_ATTR_ADDR_FAMILY, ServiceKey.familyOf(d.address()));
    b.putBytes(IPVS_DEST_ATTR_ADDR, ipvsAddress(d.address()));
    b.putBe16(IPVS_DEST_ATTR_PORT, d.port());
    b.putU32(IPVS_DEST_ATTR_FWD_METHOD, d.forward().code());
    b.putU32(IPVS_DEST_ATTR_WEIGHT, d.weight());
    b.putU32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold());
    b.putU32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold());
    b.endNested(nest);
  }

  /** IPVS_CMD_ATTR_DEST with the identity only (DEL_DEST). */
  public static void putDestinationKey(MessageBuilder b, IpvsDestination.DestinationKey k) {
    checkPort(k.port());
    int nest = b.beginNested(IPVS_CMD_ATTR_DEST);
    b.putU16(IPVS_DEST_ATTR_ADDR_FAMILY, ServiceKey.familyOf(k.address()));
    b.putBytes(IPVS_DEST_ATTR_ADDR, ipvsAddress(k.address()));
    b.putBe16(IPVS_DEST_ATTR_PORT, k.port());
    b.endNested(nest);
  }

  public static MessageBuilder newService(int familyId, IpvsService s) {
    MessageBuilder b = request(familyId, IPVS_CMD_NEW_SERVICE);
    putService(b, s);
    return b;
  }

  public static MessageBuilder setService(int familyId, IpvsService s) {
    MessageBuilder b = request(familyId, IPVS_CMD_SET_SERVICE);
    putService(b, s);
    return b;
  }

  public static MessageBuilder delService(int familyId, ServiceKey key) {
    MessageBuilder b = request(familyId, IPVS_CMD_DEL_SERVICE);
    putServiceKey(b, key);
    return b;
  }

  public static MessageBuilder getServices(int familyId) {
    return request(familyId, IPVS_CMD_GET_SERVICE);
  }

  /** GET_SERVICE of one service (sent without NLM_F_DUMP): the identity only. */
  public static MessageBuilder getService(int familyId, ServiceKey key) {
    MessageBuilder b = request(familyId, IPVS_CMD_GET_SERVICE);
    putServiceKey(b, key);
    return b;
  }

  public static MessageBuilder getDestinations(int familyId, ServiceKey key) {
    MessageBuilder b = request(familyId, IPVS_CMD_GET_DEST);
    putServiceKey(b, key);
    return b;
  }

  public static MessageBuilder newDestination(int familyId, ServiceKey key, IpvsDestination d) {
    MessageBuilder b = request(familyId, IPVS_CMD_NEW_DEST);
    putServiceKey(b, key);
    putDestination(b, d);
    return b;
  }

  public static MessageBuilder setDestination(int familyId, ServiceKey key, IpvsDestination d) {
    MessageBuilder b = request(familyId, IPVS_CMD_SET_DEST);
    putServiceKey(b, key);
    putDestination(b, d);
    return b;
  }

  public static MessageBuilder delDestination(
      int familyId, ServiceKey key, IpvsDestination.DestinationKey d) {
    MessageBuilder b = request(familyId, IPVS_CMD_DEL_DEST);
    putServiceKey(b, key);
    putDestinationKey(b, d);
    return b;
  }

  public static MessageBuilder getInfo(int familyId) {
    return request(familyId, IPVS_CMD_GET_INFO);
  }

  public static MessageBuilder getConfig(int familyId) {
    return request(familyId, IPVS_CMD_GET_CONFIG);
  }

  /** SET_CONFIG: a 0 leaves that timeout as it is (the kernel's rule). */
  public static MessageBuilder setConfig(int familyId, IpvsTimeouts t) {
    if (t.tcp() < 0 || t.tcpFin() < 0 || t.udp() < 0) {
      throw new IllegalArgumentException("timeouts must not be negative: " + t);
    }
    return request(familyId, IPVS_CMD_SET_CONFIG)
        .putU32(IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp())
        .putU32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin())
        .putU32(IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp());
  }

  // ---------------------------------------------------------------- decoding

  private static int checkFamily(int af, String context) throws NetlinkProtocolException {
    if (af != ServiceKey.AF_INET && af != ServiceKey.AF_INET6) {
      throw new NetlinkProtocolException(context + ": unknown address family " + af);
    }
    return af;
  }

  private static int addrLen(int af) {
    return af == ServiceKey.AF_INET6 ? 16 : 4;
  }

  /** A service as GET_SERVICE lists it (the IPVS_CMD_ATTR_SERVICE nest of one message). */
  public static ServiceEntry decodeService(NetlinkMessage m) throws NetlinkProtocolException {
    AttributeReader top = GenlMessage.parse(m, "IPVS service message").attributes();
    return decodeService(top.nested(IPVS_CMD_ATTR_SERVICE));
  }

  public static ServiceEntry decodeService(AttributeReader a) throws NetlinkProtocolException {
    int af = checkFamily(a.u16(IPVS_SVC_ATTR_AF), a.context());
    int fwmark = a.optU32(IPVS_SVC_ATTR_FWMARK).orElse(0);
    try {
      ServiceKey key;
      if (fwmark != 0) {
        key = ServiceKey.fwmark(af, fwmark);
      } else {
        key =
            new ServiceKey(
                af,
                a.u16(IPVS_SVC_ATTR_PROTOCOL),
                a.address(IPVS_SVC_ATTR_ADDR, addrLen(af)),
                a.be16(IPVS_SVC_ATTR_PORT),
                0);
      }
      ByteBuffer flags = a.raw(IPVS_SVC_ATTR_FLAGS).orElse(null);
      if (flags == null || flags.remaining() < 4) {
        throw new NetlinkProtocolException(a.context() + ": FLAGS missing or short");
      }
      int netmask =
          af == ServiceKey.AF_INET6 ? a.u32(IPVS_SVC_ATTR_NETMASK) : a.be32(IPVS_SVC_ATTR_NETMASK);
      IpvsService service =
          new IpvsService(
              key,
              a.string(IPVS_SVC_ATTR_SCHED_NAME),
              flags.getInt(0),
              a.u32(IPVS_SVC_ATTR_TIMEOUT),
              netmask);
      return new ServiceEntry(service, decodeStats(a, IPVS_SVC_ATTR_STATS64, IPVS_SVC_ATTR_STATS));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new NetlinkProtocolException(a.context() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A destination as GET_DEST lists it. A missing ADDR_FAMILY (kernels before 4.x) means the
   * service's family.
   */
  public static DestinationEntry decodeDestination(NetlinkMessage m, int serviceFamily)
      throws NetlinkProtocolException {
    AttributeReader top = GenlMessage.parse(m, "IPVS destination message").attributes();
    return decodeDestination(top.nested(IPVS_CMD_ATTR_DEST), serviceFamily);
  }

  public static DestinationEntry decodeDestination(AttributeReader a, int serviceFamily)
      throws NetlinkProtocolException {
    int af = checkFamily(a.optU16(IPVS_DEST_ATTR_ADDR_FAMILY).orElse(serviceFamily), a.context());
    try {
      int weight = a.u32(IPVS_DEST_ATTR_WEIGHT);
      if (weight < 0) {
        throw new NetlinkProtocolException(
            a.context() + ": weight " + Integer.toUnsignedString(weight) + " above 2^31-1");
      }
      IpvsDestination d =
          new IpvsDestination(
              a.address(IPVS_DEST_ATTR_ADDR, addrLen(af)),
              a.be16(IPVS_DEST_ATTR_PORT),
              ForwardMethod.fromCode(a.u32(IPVS_DEST_ATTR_FWD_METHOD)),
              weight,
              a.u32(IPVS_DEST_ATTR_U_THRESH),
              a.u32(IPVS_DEST_ATTR_L_THRESH));
      return new DestinationEntry(
          d,
          a.optU32(IPVS_DEST_ATTR_ACTIVE_CONNS).orElse(0),
          a.optU32(IPVS_DEST_ATTR_INACT_CONNS).orElse(0),
          a.optU32(IPVS_DEST_ATTR_PERSIST_CONNS).orElse(0),
          decodeStats(a, IPVS_DEST_ATTR_STATS64, IPVS_DEST_ATTR_STATS));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new NetlinkProtocolException(a.context() + ": " + e.getMessage(), e);
    }
  }

  /** STATS64 (all u64) when present, else STATS (u32 counters, u64 bytes), else zeros. */
  static IpvsStats decodeStats(AttributeReader parent, int stats64, int stats32)
      throws NetlinkProtocolException {
    Optional<AttributeReader> nest = parent.optNested(stats64);
    if (nest.isEmpty()) {
      nest = parent.optNested(stats32);
    }
    if (nest.isEmpty()) {
      return IpvsStats.ZERO;
    }
    AttributeReader s = nest.get();
    return new IpvsStats(
        s.optCounter(IPVS_STATS_ATTR_CONNS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_INPKTS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_OUTPKTS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_INBYTES).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_OUTBYTES).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_CPS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_INPPS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_OUTPPS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_INBPS).orElse(0),
        s.optCounter(IPVS_STATS_ATTR_OUTBPS).orElse(0));
  }

  public static IpvsInfo decodeInfo(NetlinkMessage m) throws NetlinkProtocolException {
    AttributeReader a = GenlMessage.parse(m, "IPVS info").attributes();
    return new IpvsInfo(a.u32(IPVS_INFO_ATTR_VERSION), a.u32(IPVS_INFO_ATTR_CONN_TAB_SIZE));
  }

  public static IpvsTimeouts decodeTimeouts(NetlinkMessage m) throws NetlinkProtocolException {
    AttributeReader a = GenlMessage.parse(m, "IPVS config").attributes();
    return new IpvsTimeouts(
        a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP),
        a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN),
        a.u32(IPVS_CMD_ATTR_TIMEOUT_UDP));
  }

  /** "TCP 10.0.0.1:80" / "TCP [2001:db8::1]:80" for a destination, as for a service. */
  public static String describe(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }
}
