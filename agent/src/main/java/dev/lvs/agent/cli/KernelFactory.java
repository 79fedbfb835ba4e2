package dev.lvs.agent.cli;

import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient;
import dev.lvs.agent.netlink.rtnl.RtnlAddressClient;
import dev.lvs.agent.sysctl.ProcSysctls;
import dev.lvs.agent.sysctl.Sysctls;
import java.io.IOException;
import java.nio.file.Path;

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

  /**
   * The environment variable naming where the host's /proc/sys is mounted. The operator's DaemonSet
   * mounts it at /host/proc/sys, writable even when the agent runs with NET_ADMIN only (a
   * container's own /proc/sys is read-only unless privileged).
   */
  static final String PROC_SYS_ENV = "LVS_PROC_SYS";

  static Sysctls sysctls() {
    return new ProcSysctls(procSysRoot(System.getenv(PROC_SYS_ENV)));
  }

  static Path procSysRoot(String fromEnv) {
    return fromEnv == null || fromEnv.isBlank() ? ProcSysctls.DEFAULT_ROOT : Path.of(fromEnv);
  }
}
