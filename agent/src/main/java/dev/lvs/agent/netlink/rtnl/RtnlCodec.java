package dev.lvs.agent.netlink.rtnl;

import static dev.lvs.agent.netlink.rtnl.Rtnl.*;

import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.wire.AttributeReader;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Encodes rtnetlink link/address requests and decodes the replies. */
public final class RtnlCodec {
  private RtnlCodec() {}

  private static MessageBuilder ifinfomsg(int type, int flags, int index) {
    return new MessageBuilder(type, flags).u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0);
  }

  /** RTM_GETLINK dump (the channel adds NLM_F_DUMP). */
  public static MessageBuilder getLinks() {
    return ifinfomsg(RTM_GETLINK, 0, 0);
  }

  /** RTM_GETLINK for one link by index. */
  public static MessageBuilder getLink(int index) {
    if (index <= 0) {
      throw new IllegalArgumentException("link index must be positive: " + index);
    }
    return ifinfomsg(RTM_GETLINK, 0, index);
  }

  /** RTM_GETLINK for one link by IFLA_IFNAME. */
  public static MessageBuilder getLink(String name) {
    checkName(name, "interface name");
    return ifinfomsg(RTM_GETLINK, 0, 0).putString(IFLA_IFNAME, name);
  }

  private static void checkName(String name, String what) {
    if (name.isEmpty()
        || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= IFNAMSIZ) {
      throw new IllegalArgumentException(
          what + " must be 1.." + (IFNAMSIZ - 1) + " bytes: " + name);
    }
  }

  /** RTM_GETADDR dump of both families. */
  public static MessageBuilder getAddresses() {
    return new MessageBuilder(RTM_GETADDR, 0).u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
  }

  private static int family(IfAddress a) {
    return a.isIpv6() ? AF_INET6 : AF_INET;
  }

  /**
   * RTM_NEWADDR as {@code ip addr add ADDR/LEN dev DEV label LABEL} sends it: NLM_F_CREATE|EXCL,
   * scope global, IFA_LOCAL and IFA_ADDRESS both the address, IFA_LABEL for IPv4 when given. IPv6
   * addresses get IFA_F_NODAD: a VIP must be usable at once, not tentative.
   */
  public static MessageBuilder newAddress(IfAddress a) {
    checkIndex(a);
    byte[] raw = a.address().getAddress();
    MessageBuilder b =
        new MessageBuilder(RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
            .u8(family(a))
            .u8(a.prefixLength())
            .u8(a.isIpv6() ? IFA_F_NODAD : 0)
            .u8(RT_SCOPE_UNIVERSE)
            .u32(a.linkIndex())
            .putBytes(IFA_LOCAL, raw)
            .putBytes(IFA_ADDRESS, raw);
    if (!a.isIpv6() && a.label() != null) {
      checkName(a.label(), "address label");
      b.putString(IFA_LABEL, a.label());
    }
    return b;
  }

  /**
   * RTM_NEWADDR with a finite lifetime: as {@link #newAddress} plus IFA_CACHEINFO (valid and
   * preferred lifetime {@code validSeconds}; 0xFFFFFFFF is forever). The kernel removes the address
   * when the valid lifetime runs out (devinet.c check_lifetime, addrconf.c addrconf_verify).
   */
  public static MessageBuilder newAddress(IfAddress a, long validSeconds) {
    return cacheInfo(newAddress(a), validSeconds);
  }

  /**
   * RTM_NEWADDR with NLM_F_REPLACE and IFA_CACHEINFO: sets the lifetime of an existing address (and
   * restarts its age). Both families CREATE the address when it is missing, whatever the flags say
   * (inet_rtm_newaddr, inet6_rtm_newaddr): callers must not race a removal with it.
   */
  public static MessageBuilder replaceLifetime(IfAddress a, long validSeconds) {
    MessageBuilder b = newAddress(a);
    b.clearFlags(Netlink.NLM_F_EXCL);
    b.addFlags(Netlink.NLM_F_REPLACE);
    return cacheInfo(b, validSeconds);
  }

  private static MessageBuilder cacheInfo(MessageBuilder b, long validSeconds) {
    if (validSeconds <= 0 || validSeconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("lifetime must be 1..0xFFFFFFFF s: " + validSeconds);
    }
    java.nio.ByteBuffer ci =
        java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
    ci.putInt((int) validSeconds); // ifa_prefered
    ci.putInt((int) validSeconds); // ifa_valid
    ci.putInt(0); // cstamp (ignored on input)
    ci.putInt(0); // tstamp
    return b.putBytes(IFA_CACHEINFO, ci.array());
  }

  /**
   * RTM_DELADDR. For IPv4 a label, when given, must match too, so only the address we labelled
   * goes.
   */
  public static MessageBuilder deleteAddress(IfAddress a) {
    checkIndex(a);
    byte[] raw = a.address().getAddress();
    MessageBuilder b =
        new MessageBuilder(RTM_DELADDR, 0)
            .u8(family(a))
            .u8(a.prefixLength())
            .u8(0)
            .u8(0)
            .u32(a.linkIndex())
            .putBytes(IFA_LOCAL, raw)
            .putBytes(IFA_ADDRESS, raw);
    if (!a.isIpv6() && a.label() != null) {
      checkName(a.label(), "address label");
      b.putString(IFA_LABEL, a.label());
    }
    return b;
  }

  private static void checkIndex(IfAddress a) {
    if (a.linkIndex() <= 0) {
      throw new IllegalArgumentException("link index must be positive: " + a);
    }
  }

  /** Decodes RTM_NEWLINK. */
  public static Link decodeLink(NetlinkMessage m) throws NetlinkProtocolException {
    if (m.type() != RTM_NEWLINK) {
      throw new NetlinkProtocolException("expected RTM_NEWLINK, got type " + m.type());
    }
    ByteBuffer p = m.body();
    AttributeReader a = AttributeReader.parse(p, IFINFOMSG_LEN, "RTM_NEWLINK");
    int index = p.getInt(4);
    int flags = p.getInt(8);
    String name = a.string(IFLA_IFNAME);
    int mtu = a.optU32(IFLA_MTU).orElse(0);
    return new Link(index, name, flags, mtu);
  }

  /** Decodes RTM_NEWADDR; null for a family other than IPv4/IPv6. */
  public static IfAddress decodeAddress(NetlinkMessage m) throws NetlinkProtocolException {
    if (m.type() != RTM_NEWADDR) {
      throw new NetlinkProtocolException("expected RTM_NEWADDR, got type " + m.type());
    }
    ByteBuffer p = m.body();
    AttributeReader a = AttributeReader.parse(p, IFADDRMSG_LEN, "RTM_NEWADDR");
    int family = p.get(0) & 0xff;
    if (family != AF_INET && family != AF_INET6) {
      return null;
    }
    int len = family == AF_INET6 ? 16 : 4;
    int prefix = p.get(1) & 0xff;
    int index = p.getInt(4);
    // IFA_LOCAL is the local address; IFA_ADDRESS is the peer on point-to-point links, and the
    // only one IPv6 sends otherwise.
    int which = a.has(IFA_LOCAL) ? IFA_LOCAL : IFA_ADDRESS;
    InetAddress address = a.exactAddress(which, len);
    String label = family == AF_INET ? a.optString(IFA_LABEL).orElse(null) : null;
    try {
      return new IfAddress(index, address, prefix, label);
    } catch (IllegalArgumentException e) {
      throw new NetlinkProtocolException("RTM_NEWADDR: " + e.getMessage(), e);
    }
  }
}
