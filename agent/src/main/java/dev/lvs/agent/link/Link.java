package dev.lvs.agent.link;

/** A network interface as rtnetlink lists it (RTM_GETLINK). */
public record Link(int index, String name, int flags, int mtu) {
  public static final int IFF_UP = 0x1;
  public static final int IFF_LOOPBACK = 0x8;

  public boolean isUp() {
    return (flags & IFF_UP) != 0;
  }

  public boolean isLoopback() {
    return (flags & IFF_LOOPBACK) != 0;
  }
}
