package dev.lvs.agent.state;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A VIP the node wants on an interface: on a director's main interface (answering ARP), or on
 * {@code lo} on a real server (silent).
 *
 * @param label the IPv4 IFA_LABEL ending in {@code :lvs}; null for IPv6
 * @param role why: "director VIP" or "real-server VIP"
 */
public record DesiredAddress(
    String interfaceName,
    InetAddress address,
    int prefixLength,
    String label,
    Set<ObjectRef> wantedBy,
    String role) {
  public static final String DIRECTOR_VIP = "director VIP";
  public static final String REAL_SERVER_VIP = "real-server VIP";

  /** The interface real-server VIPs go on. */
  public static final String LOOPBACK = "lo";

  public DesiredAddress {
    wantedBy = Collections.unmodifiableSet(new TreeSet<>(wantedBy));
  }

  public boolean isDirectorVip() {
    return DIRECTOR_VIP.equals(role);
  }

  public AddressKey key() {
    return new AddressKey(interfaceName, address);
  }
}
