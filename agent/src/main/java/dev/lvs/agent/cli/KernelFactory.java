package dev.lvs.agent.cli;

import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.sysctl.Sysctls;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;

/**
 * Opens the kernel-facing implementations: generic netlink IPVS, rtnetlink addresses and /proc/sys.
 *
 * <p>TODO(lead): the netlink implementations live on the {@code netlink} branch and do not exist on
 * this one, hence the reflection. After merging both branches, replace the three lookups with
 * direct calls: {@code NetlinkIpvsClient.open()}, {@code RtnlAddressClient.open()} and {@code new
 * ProcSysctls()}, and delete {@link #call}.
 */
final class KernelFactory {
  static final String IPVS_CLIENT = "dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient";
  static final String ADDRESS_CLIENT = "dev.lvs.agent.netlink.rtnl.RtnlAddressClient";
  static final String SYSCTLS = "dev.lvs.agent.sysctl.ProcSysctls";

  private KernelFactory() {}

  /** IPVS, opened on first use: real-server-only nodes never need the ip_vs module. */
  static IpvsClient ipvs() {
    return new LazyIpvsClient(() -> call(IPVS_CLIENT, "open", IpvsClient.class));
  }

  static AddressClient addresses() throws IOException {
    return call(ADDRESS_CLIENT, "open", AddressClient.class);
  }

  static Sysctls sysctls() throws IOException {
    return call(SYSCTLS, null, Sysctls.class);
  }

  /** Calls the static factory {@code method} of {@code className}, or its no-arg constructor. */
  private static <T> T call(String className, String method, Class<T> type) throws IOException {
    try {
      Class<?> c = Class.forName(className);
      Object o =
          method == null ? c.getConstructor().newInstance() : c.getMethod(method).invoke(null);
      return type.cast(o);
    } catch (ClassNotFoundException e) {
      throw new IOException(
          className + " is not in this build: the agent was built without its netlink layer", e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("opening " + className + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot open " + className + ": " + e, e);
    }
  }
}
