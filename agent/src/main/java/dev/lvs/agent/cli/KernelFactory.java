package dev.lvs.agent.cli;

import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient;
import dev.lvs.agent.netlink.rtnl.RtnlAddressClient;
import dev.lvs.agent.sysctl.ProcSysctls;
import dev.lvs.agent.sysctl.Sysctls;
import java.io.IOException;

/**
 * Opens the kernel-facing implementations: generic netlink IPVS, rtnetlink addresses and /proc/sys.
 */
final class KernelFactory {
  private KernelFactory() {}

  /** IPVS, opened on first use: real-server-only nodes never need the ip_vs module. */
  static IpvsClient ipvs() {
    return new LazyIpvsClient(NetlinkIpvsClient::open);
  }

  static AddressClient addresses() throws IOException {
    return RtnlAddressClient.open();
  }

  static Sysctls sysctls() {
    return new ProcSysctls();
  }
}
