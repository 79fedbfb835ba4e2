package dev.lvs.agent.state;

import java.net.InetAddress;

/** An address on a named interface. */
public record AddressKey(String interfaceName, InetAddress address) {
  @Override
  public String toString() {
    return address.getHostAddress() + " on " + interfaceName;
  }
}
