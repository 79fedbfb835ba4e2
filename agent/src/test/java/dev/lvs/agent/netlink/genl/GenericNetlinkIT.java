package dev.lvs.agent.netlink.genl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lvs.agent.netlink.NetlinkSocket;
import dev.lvs.agent.netlink.NetnsSandbox;
import dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient;
import dev.lvs.agent.netlink.wire.NetlinkChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Generic netlink on the real kernel: the controller resolves itself; IPVS may be missing. */
class GenericNetlinkIT {
  @Test
  void controllerResolvesItself() throws Exception {
    NetnsSandbox.assumeSandbox();
    try (NetlinkChannel ch =
        new NetlinkChannel(NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC))) {
      GenlFamily ctrl = GenericNetlink.resolve(ch, "nlctrl", "");
      assertThat(ctrl.id()).isEqualTo(Genl.GENL_ID_CTRL);
      assertThat(ctrl.name()).isEqualTo("nlctrl");
      assertThat(ctrl.version()).isPositive();
    }
  }

  @Test
  void ipvsMissingFromTheKernelIsReportedClearly() {
    NetnsSandbox.assumeSandbox();
    assumeTrue(!Files.exists(Path.of("/proc/net/ip_vs")), "this kernel has IPVS loaded");
    assertThatThrownBy(NetlinkIpvsClient::open)
        .isInstanceOf(GenlFamilyNotFoundException.class)
        .hasMessageContaining("IPVS is not available");
  }
}
