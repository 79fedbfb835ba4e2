package dev.lvs.agent.state;

import dev.lvs.operator.api.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/** IP literals: parsed without ever asking DNS. */
public final class Ips {
  private Ips() {}

  /**
   * The address, or empty when {@code text} is not an IPv4 or IPv6 literal (a host name, a zone,
   * brackets, an IPv4-mapped IPv6 address: see {@link IpLiterals}). Never asks a resolver.
   */
  public static Optional<InetAddress> parse(String text) {
    return IpLiterals.tryParse(text);
  }

  /** Why {@code text} is not an IP literal ("is not an IP address (...)"), or empty. */
  public static Optional<String> problem(String text) {
    return IpLiterals.problem(text);
  }

  /** Like {@link #parse} for values known to be literals (tests, state file). */
  public static InetAddress literal(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not an IP: " + text));
  }

  public static boolean isIpv6(InetAddress a) {
    return a instanceof Inet6Address;
  }

  public static String family(InetAddress a) {
    return isIpv6(a) ? "IPv6" : "IPv4";
  }

  /** The address as text, IPv6 in brackets, for {@code addr:port} messages. */
  public static String hostPort(InetAddress a, int port) {
    return (isIpv6(a) ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port;
  }

  /** An IPv4 netmask as the int IPVS wants: prefix 32 is 0xffffffff. */
  public static int ipv4Mask(int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("IPv4 prefix length out of range: " + prefixLength);
    }
    return prefixLength == 0 ? 0 : (int) (0xffffffffL << (32 - prefixLength));
  }

  /** A dotted IPv4 netmask as an int; empty when it is not a contiguous netmask. */
  public static Optional<Integer> ipv4Mask(String dotted) {
    Optional<InetAddress> a = parse(dotted);
    if (a.isEmpty() || isIpv6(a.get())) {
      return Optional.empty();
    }
    byte[] b = a.get().getAddress();
    int mask = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    int inverted = ~mask;
    // Contiguous: the inverted mask is 2^k - 1.
    return (inverted & (inverted + 1)) == 0 ? Optional.of(mask) : Optional.empty();
  }
}
