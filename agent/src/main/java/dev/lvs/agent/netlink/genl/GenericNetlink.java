package dev.lvs.agent.netlink.genl;

import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.wire.AttributeReader;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.NetlinkChannel;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.io.IOException;
import java.util.List;

/** The generic netlink controller ("nlctrl"): resolves family names to their dynamic ids. */
public final class GenericNetlink {
  private GenericNetlink() {}

  /** CTRL_CMD_GETFAMILY by CTRL_ATTR_FAMILY_NAME. */
  public static MessageBuilder getFamilyRequest(String name) {
    return GenlMessage.request(Genl.GENL_ID_CTRL, Genl.CTRL_CMD_GETFAMILY, Genl.CTRL_VERSION)
        .putString(Genl.CTRL_ATTR_FAMILY_NAME, name);
  }

  /**
   * Resolves a family.
   *
   * @throws GenlFamilyNotFoundException when the kernel does not know it (module not loaded)
   */
  public static GenlFamily resolve(NetlinkChannel channel, String name, String missingHint)
      throws IOException {
    String op = "resolve generic netlink family " + name;
    List<NetlinkMessage> replies;
    try {
      replies = channel.execute(getFamilyRequest(name), op);
    } catch (NetlinkException e) {
      if (e.errno() == NetlinkException.ENOENT && !(e instanceof NetlinkProtocolException)) {
        GenlFamilyNotFoundException nf = new GenlFamilyNotFoundException(op, name, missingHint);
        nf.initCause(e);
        throw nf;
      }
      throw e;
    }
    if (replies.isEmpty()) {
      throw new NetlinkProtocolException(op + ": the controller sent no family description");
    }
    return parseFamily(replies.get(0));
  }

  /** Decodes a CTRL_CMD_NEWFAMILY reply. */
  public static GenlFamily parseFamily(NetlinkMessage m) throws NetlinkProtocolException {
    GenlMessage g = GenlMessage.parse(m, "genl family");
    AttributeReader a = g.attributes();
    int id = a.u16(Genl.CTRL_ATTR_FAMILY_ID);
    String name = a.string(Genl.CTRL_ATTR_FAMILY_NAME);
    int version = a.optU32(Genl.CTRL_ATTR_VERSION).orElse(0);
    int hdr = a.optU32(Genl.CTRL_ATTR_HDRSIZE).orElse(0);
    int max = a.optU32(Genl.CTRL_ATTR_MAXATTR).orElse(0);
    return new GenlFamily(id, name, version, hdr, max);
  }
}
