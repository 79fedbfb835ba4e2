package dev.lvs.agent.netlink;

import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/** struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid, nl_groups; } */
final class SockAddrNl extends Struct {
  final Unsigned16 family = new Unsigned16();
  final Unsigned16 pad = new Unsigned16();
  final Unsigned32 pid = new Unsigned32();
  final Unsigned32 groups = new Unsigned32();

  SockAddrNl(Runtime runtime) {
    super(runtime);
  }

  static SockAddrNl kernel(Runtime runtime) {
    SockAddrNl a = new SockAddrNl(runtime);
    a.family.set(Native.AF_NETLINK);
    a.pid.set(0);
    a.groups.set(0);
    return a;
  }

  static int size(SockAddrNl a) {
    return Struct.size(a);
  }
}
