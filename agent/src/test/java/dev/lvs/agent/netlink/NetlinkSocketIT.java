package dev.lvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jnr-ffi socket itself against the real kernel. */
class NetlinkSocketIT {
  @BeforeEach
  void sandbox() {
    NetnsSandbox.assumeSandbox();
  }

  @Test
  void bindsToAKernelAssignedPortId() throws Exception {
    try (NetlinkSocket a = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
        NetlinkSocket b = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
        NetlinkSocket g = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC)) {
      // Port ids are unique per netlink protocol.
      assertThat(a.portId()).isNotZero();
      assertThat(b.portId()).isNotZero().isNotEqualTo(a.portId());
      assertThat(g.portId()).isNotZero();
      assertThat(g.protocol()).isEqualTo(NetlinkSocket.NETLINK_GENERIC);
    }
  }

  @Test
  void receiveTimesOutWithEAGAINInsteadOfHanging() throws Exception {
    NetlinkSocket.Options opts =
        NetlinkSocket.Options.defaults().withReceiveTimeout(Duration.ofMillis(300));
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, opts)) {
      long t0 = System.nanoTime();
      assertThatThrownBy(s::receive)
          .isInstanceOfSatisfying(
              NetlinkException.class,
              e -> {
                assertThat(e.errno()).isEqualTo(NetlinkException.EAGAIN);
                assertThat(e.getMessage()).contains("no reply from the kernel within 300 ms");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
    }
  }

  @Test
  void closedSocketRefusesWork() throws Exception {
    NetlinkSocket s = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
    s.close();
    s.close();
    assertThatThrownBy(s::receive)
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(NetlinkException.EBADF));
  }
}
