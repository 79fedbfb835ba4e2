package dev.lvs.agent.netlink.genl;

import static dev.lvs.agent.netlink.FakeKernel.ack;
import static dev.lvs.agent.netlink.FakeKernel.datagram;
import static dev.lvs.agent.netlink.FakeKernel.error;
import static dev.lvs.agent.netlink.FakeKernel.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.ScriptedTransport;
import dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient;
import dev.lvs.agent.netlink.wire.AttributeReader;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.NetlinkChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

public class GenericNetlinkTest {
  private final ScriptedTransport kernel = new ScriptedTransport();

  /** The controller's CTRL_CMD_NEWFAMILY answer. */
  public static MessageBuilder family(int id, String name, int version, int maxAttr) {
    return GenlMessage.request(Genl.GENL_ID_CTRL, Genl.CTRL_CMD_NEWFAMILY, 2)
        .putString(Genl.CTRL_ATTR_FAMILY_NAME, name)
        .putU16(Genl.CTRL_ATTR_FAMILY_ID, id)
        .putU32(Genl.CTRL_ATTR_VERSION, version)
        .putU32(Genl.CTRL_ATTR_HDRSIZE, 0)
        .putU32(Genl.CTRL_ATTR_MAXATTR, maxAttr);
  }

  @Test
  void resolvesAFamilyByName() throws Exception {
    kernel.then(req -> List.of(datagram(reply(req, family(0x21, "IPVS", 1, 6), 0), ack(req))));
    GenlFamily f = GenericNetlink.resolve(new NetlinkChannel(kernel), "IPVS", "hint");
    assertThat(f).isEqualTo(new GenlFamily(0x21, "IPVS", 1, 0, 6));

    var sent = kernel.lastSent();
    assertThat(sent.type()).isEqualTo(Genl.GENL_ID_CTRL);
    GenlMessage g = GenlMessage.parse(sent, "request");
    assertThat(g.cmd()).isEqualTo(Genl.CTRL_CMD_GETFAMILY);
    assertThat(g.attributes().string(Genl.CTRL_ATTR_FAMILY_NAME)).isEqualTo("IPVS");
  }

  @Test
  void missingFamilyIsAClearNotFound() {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.ENOENT, null))));
    assertThatThrownBy(() -> new NetlinkIpvsClient(kernel))
        .isInstanceOfSatisfying(
            GenlFamilyNotFoundException.class,
            e -> {
              assertThat(e.family()).isEqualTo("IPVS");
              assertThat(e.errno()).isEqualTo(NetlinkException.ENOENT);
              assertThat(e.getMessage())
                  .contains("resolve generic netlink family IPVS")
                  .contains("IPVS is not available")
                  .contains("modprobe ip_vs");
            });
  }

  @Test
  void otherErrorsStayWhatTheyAre() {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EPERM, null))));
    assertThatThrownBy(() -> new NetlinkIpvsClient(kernel))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e).isNotInstanceOf(GenlFamilyNotFoundException.class);
              assertThat(e.isPermissionDenied()).isTrue();
            });
  }

  @Test
  void aReplyWithoutAnIdIsAProtocolError() {
    kernel.then(
        req ->
            List.of(
                datagram(
                    reply(
                        req,
                        GenlMessage.request(Genl.GENL_ID_CTRL, Genl.CTRL_CMD_NEWFAMILY, 2)
                            .putString(Genl.CTRL_ATTR_FAMILY_NAME, "IPVS"),
                        0),
                    ack(req))));
    assertThatThrownBy(() -> GenericNetlink.resolve(new NetlinkChannel(kernel), "IPVS", "h"))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("attribute 1 missing");
  }

  @Test
  void ackWithoutReplyIsAProtocolError() {
    kernel.then(req -> List.of(datagram(ack(req))));
    assertThatThrownBy(() -> GenericNetlink.resolve(new NetlinkChannel(kernel), "IPVS", "h"))
        .isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void genlHeaderIsDecoded() throws Exception {
    var m =
        dev.lvs.agent.netlink.wire.NetlinkMessage.parseAll(
                GenlMessage.request(0x30, 7, 1).putU32(1, 9).build(1, 0))
            .get(0);
    GenlMessage g = GenlMessage.parse(m, "x");
    assertThat(g.familyId()).isEqualTo(0x30);
    assertThat(g.cmd()).isEqualTo(7);
    assertThat(g.version()).isEqualTo(1);
    AttributeReader a = g.attributes();
    assertThat(a.u32(1)).isEqualTo(9);
  }
}
