package dev.lvs.agent.netlink.rtnl;

import static dev.lvs.agent.netlink.FakeKernel.ack;
import static dev.lvs.agent.netlink.FakeKernel.datagram;
import static dev.lvs.agent.netlink.FakeKernel.error;
import static dev.lvs.agent.netlink.FakeKernel.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.FakeKernel;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.ScriptedTransport;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtnlAddressClientTest {
  final ScriptedTransport kernel = new ScriptedTransport();
  final RtnlAddressClient client = new RtnlAddressClient(kernel);

  @Test
  void linksFromADump() throws Exception {
    kernel.then(
        FakeKernel.dumpOf(
            req ->
                List.of(
                    List.of(RtnlCodecTest.kernelLink(1, "lo", 0x49, 65536)),
                    List.of(RtnlCodecTest.kernelLink(2, "eth0", 0x1003, 1500)))));
    assertThat(client.links())
        .containsExactly(new Link(1, "lo", 0x49, 65536), new Link(2, "eth0", 0x1003, 1500));
    assertThat(kernel.lastSent().type()).isEqualTo(Rtnl.RTM_GETLINK);
    assertThat(kernel.lastSent().flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
  }

  @Test
  void linkLookupsMapENODEVToEmpty() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(reply(req, RtnlCodecTest.kernelLink(1, "lo", 0x49, 65536), 0), ack(req))));
    assertThat(client.link("lo")).contains(new Link(1, "lo", 0x49, 65536));
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.ENODEV, null))));
    assertThat(client.link(42)).isEmpty();
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EPERM, null))));
    assertThatThrownBy(() -> client.link("eth0"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.operation()).isEqualTo("RTM_GETLINK eth0"));
  }

  @Test
  void addressesOfBothFamiliesSkippingOthers() throws Exception {
    IfAddress v4 = IfAddress.host(1, InetAddress.getByName("172.16.58.1"), "lo:lvs");
    IfAddress v6 = IfAddress.host(1, InetAddress.getByName("2001:db8::1"), null);
    kernel.then(
        FakeKernel.dumpOf(
            req ->
                List.of(
                    List.of(
                        retype(RtnlCodec.newAddress(v4)),
                        new MessageBuilder(Rtnl.RTM_NEWADDR, 0).u8(99).u8(0).u8(0).u8(0).u32(1)),
                    List.of(retype(RtnlCodec.newAddress(v6))))));
    assertThat(client.addresses()).containsExactly(v4, v6);
  }

  /** A request's body under the kernel's dump header. */
  private static MessageBuilder retype(MessageBuilder request) {
    var body = request.build(0, 0).position(Netlink.NLMSG_HDRLEN);
    byte[] b = new byte[body.remaining()];
    body.get(b);
    return new MessageBuilder(Rtnl.RTM_NEWADDR, 0).raw(b);
  }

  @Test
  void addAndDeleteMapTheKernelsErrors() throws Exception {
    IfAddress vip = IfAddress.host(1, InetAddress.getByName("172.16.58.1"), "lo:lvs");
    kernel.then(req -> List.of(datagram(ack(req))));
    client.addAddress(vip);
    assertThat(kernel.lastSent().flags())
        .isEqualTo(
            Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EEXIST, null))));
    assertThatThrownBy(() -> client.addAddress(vip))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.isExists()).isTrue();
              assertThat(e.operation()).isEqualTo("RTM_NEWADDR 172.16.58.1/32 dev #1 label lo:lvs");
            });
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EADDRNOTAVAIL, null))));
    assertThatThrownBy(() -> client.deleteAddress(vip))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.operation()).startsWith("RTM_DELADDR 172.16.58.1/32");
            });
    assertThat(kernel.lastSent().type()).isEqualTo(Rtnl.RTM_DELADDR);
  }
}
