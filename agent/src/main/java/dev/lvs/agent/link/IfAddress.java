package dev.lvs.agent.link;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An interface address (RTM_NEWADDR / RTM_GETADDR). The agent marks the IPv4 addresses it owns with
 * an IFA_LABEL such as {@code lo:lvs}. IPv6 has no labels, so IPv6 ownership is proven by the
 * agent's state file alone.
 *
 * @param label IFA_LABEL (IPv4 only), or null
 */
public record IfAddress(int linkIndex, InetAddress address, int prefixLength, String label) {
  public IfAddress {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet6Address ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range for " + address);
    }
    if (label != null && label.length() > 15) {
      throw new IllegalArgumentException("IFA_LABEL longer than 15 bytes: " + label);
    }
  }

  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /** A host route's worth: /32 or /128. */
  public static IfAddress host(int linkIndex, InetAddress address, String label) {
    return new IfAddress(linkIndex, address, address instanceof Inet6Address ? 128 : 32, label);
  }
}
