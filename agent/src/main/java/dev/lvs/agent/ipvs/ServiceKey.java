package dev.lvs.agent.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The identity of an IPVS virtual service: address family, protocol, address and port (or a
 * firewall mark, when {@code fwmark != 0}, with protocol/address/port unused).
 *
 * @param protocol IPPROTO_TCP 6, IPPROTO_UDP 17, IPPROTO_SCTP 132
 */
public record ServiceKey(int family, int protocol, InetAddress address, int port, int fwmark) {
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int IPPROTO_TCP = 6;
  public static final int IPPROTO_UDP = 17;
  public static final int IPPROTO_SCTP = 132;

  public ServiceKey {
    if (family != AF_INET && family != AF_INET6) {
      throw new IllegalArgumentException("address family must be AF_INET or AF_INET6: " + family);
    }
    if (fwmark == 0) {
      Objects.requireNonNull(address, "address");
      if ((address instanceof Inet6Address) != (family == AF_INET6)) {
        throw new IllegalArgumentException(address + " does not match family " + family);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
  }

  /** A service keyed by protocol, address and port; the family follows the address. */
  public static ServiceKey of(int protocol, InetAddress address, int port) {
    return new ServiceKey(familyOf(address), protocol, address, port, 0);
  }

  /**
   * A firewall-mark service, as the kernel lists it: protocol 0, no address, port 0 (the kernel
   * keeps no protocol/address/port for fwmark services).
   */
  public static ServiceKey fwmark(int family, int fwmark) {
    if (fwmark == 0) {
      throw new IllegalArgumentException("fwmark must not be 0");
    }
    return new ServiceKey(family, 0, null, 0, fwmark);
  }

  public static int familyOf(InetAddress address) {
    return address instanceof Inet6Address ? AF_INET6 : AF_INET;
  }

  public static String protocolName(int protocol) {
    return switch (protocol) {
      case IPPROTO_TCP -> "TCP";
      case IPPROTO_UDP -> "UDP";
      case IPPROTO_SCTP -> "SCTP";
      default -> "proto-" + protocol;
    };
  }

  @Override
  public String toString() {
    if (fwmark != 0) {
      return "FWM " + fwmark + (family == AF_INET6 ? " IPv6" : "");
    }
    String host = address.getHostAddress();
    return protocolName(protocol)
        + " "
        + (family == AF_INET6 ? "[" + host + "]" : host)
        + ":"
        + port;
  }
}
