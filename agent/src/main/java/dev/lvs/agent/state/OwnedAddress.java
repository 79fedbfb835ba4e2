package dev.lvs.agent.state;

import java.net.InetAddress;

/** An address the agent added, as recorded in its state file. */
public record OwnedAddress(
    int linkIndex, String interfaceName, InetAddress address, int prefixLength, String label) {

  public Key key() {
    return new Key(linkIndex, address);
  }

  /** An address's identity in the kernel: the link it is on and the address itself. */
  public record Key(int linkIndex, InetAddress address) {}
}
