package dev.lvs.agent.netlink.genl;

import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.wire.AttributeReader;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.nio.ByteBuffer;

/** A generic netlink message: genlmsghdr (cmd, version) then attributes. */
public record GenlMessage(int familyId, int cmd, int version, AttributeReader attributes) {

  /** A request for {@code familyId}: the nlmsghdr flags are added by the channel. */
  public static MessageBuilder request(int familyId, int cmd, int version) {
    return new MessageBuilder(familyId, 0).u8(cmd).u8(version).u16(0);
  }

  /** Decodes a message of a family with no family header (hdrsize 0, as IPVS and the ctrl). */
  public static GenlMessage parse(NetlinkMessage m, String context)
      throws NetlinkProtocolException {
    ByteBuffer p = m.body();
    if (p.remaining() < Genl.GENL_HDRLEN) {
      throw new NetlinkProtocolException(
          context + ": " + p.remaining() + "-byte payload has no genlmsghdr");
    }
    int cmd = p.get(0) & 0xff;
    int version = p.get(1) & 0xff;
    return new GenlMessage(
        m.type(), cmd, version, AttributeReader.parse(p, Genl.GENL_HDRLEN, context));
  }
}
