package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.FakeKernel.ack;
import static dev.lvs.agent.netlink.FakeKernel.datagram;
import static dev.lvs.agent.netlink.FakeKernel.error;
import static dev.lvs.agent.netlink.FakeKernel.reply;
import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.ScriptedTransport;
import dev.lvs.agent.netlink.genl.GenericNetlinkTest;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET_SERVICE of one service, without NLM_F_DUMP: one reply, or ESRCH. */
class NetlinkIpvsClientGetServiceTest {
  static final int ID = 0x23;
  final ScriptedTransport kernel = new ScriptedTransport();
  NetlinkIpvsClient ipvs;
  ServiceKey key;

  @BeforeEach
  void resolve() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(reply(req, GenericNetlinkTest.family(ID, "IPVS", 1, 6), 0), ack(req))));
    ipvs = new NetlinkIpvsClient(kernel);
    key = ServiceKey.of(ServiceKey.IPPROTO_TCP, InetAddress.getByName("172.16.58.1"), 80);
  }

  @Test
  void asksForOneServiceByItsKeyAndDecodesTheReply() throws Exception {
    IpvsService svc = new IpvsService(key, "wlc", 0, 0, 0xffffffff);
    // The kernel answers with IPVS_CMD_NEW_SERVICE carrying the service, then the ack.
    MessageBuilder answer = IpvsCodec.newService(ID, svc);
    kernel.then(req -> List.of(datagram(reply(req, answer, 0), ack(req))));

    assertThat(ipvs.getService(key)).contains(svc);

    GenlMessage sent = GenlMessage.parse(kernel.lastSent(), "sent");
    assertThat(sent.cmd()).isEqualTo(IPVS_CMD_GET_SERVICE);
    assertThat(kernel.lastSent().flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
    var nested = sent.attributes().nested(IPVS_CMD_ATTR_SERVICE);
    assertThat(nested.address(IPVS_SVC_ATTR_ADDR, 4)).isEqualTo(key.address());
    assertThat(nested.be16(IPVS_SVC_ATTR_PORT)).isEqualTo(80);
    assertThat(nested.has(IPVS_SVC_ATTR_SCHED_NAME)).isFalse();
  }

  @Test
  void noSuchServiceIsEmpty() throws Exception {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.ESRCH, null))));
    assertThat(ipvs.getService(key)).isEmpty();
  }

  /**
   * ENOENT is not "no such service" (the kernel says ESRCH): it is the controller's answer to a
   * stale family id after a module reload, and must reach the caller that re-opens the socket.
   */
  @Test
  void enoentIsAnErrorNotAMissingService() {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.ENOENT, null))));
    assertThatThrownBy(() -> ipvs.getService(key))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(NetlinkException.ENOENT));
  }

  @Test
  void otherErrorsNameTheCommand() {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EPERM, null))));
    assertThatThrownBy(() -> ipvs.getService(key))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> assertThat(e.operation()).isEqualTo("IPVS GET_SERVICE TCP 172.16.58.1:80"));
  }
}
