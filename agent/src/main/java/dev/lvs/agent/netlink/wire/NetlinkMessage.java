package dev.lvs.agent.netlink.wire;

import dev.lvs.agent.netlink.NetlinkProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded netlink message: the nlmsghdr fields and its payload (everything after the header, as
 * a read-only native-order view).
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  /** A fresh view of the payload, positioned at 0. */
  public ByteBuffer body() {
    return payload.duplicate().order(ByteOrder.nativeOrder()).position(0);
  }

  /**
   * Splits a datagram into its messages. Every length is checked: a header that claims fewer than
   * 16 bytes or more than what is left is a protocol error, never an exception from the buffer.
   */
  public static List<NetlinkMessage> parseAll(ByteBuffer datagram) throws NetlinkProtocolException {
    ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
    List<NetlinkMessage> out = new ArrayList<>();
    int pos = b.position();
    int limit = b.limit();
    while (limit - pos >= Netlink.NLMSG_HDRLEN) {
      int len = b.getInt(pos);
      if (len < Netlink.NLMSG_HDRLEN || len > limit - pos) {
        throw new NetlinkProtocolException(
            "nlmsg_len "
                + Integer.toUnsignedString(len)
                + " at offset "
                + pos
                + " of a "
                + (limit - b.position())
                + "-byte datagram");
      }
      int type = b.getShort(pos + 4) & 0xffff;
      int flags = b.getShort(pos + 6) & 0xffff;
      int seq = b.getInt(pos + 8);
      int pid = b.getInt(pos + 12);
      ByteBuffer payload =
          b.slice(pos + Netlink.NLMSG_HDRLEN, len - Netlink.NLMSG_HDRLEN)
              .asReadOnlyBuffer()
              .order(ByteOrder.nativeOrder());
      out.add(new NetlinkMessage(type, flags, seq, pid, payload));
      pos += Math.min(Netlink.align(len), limit - pos);
    }
    if (pos != limit) {
      throw new NetlinkProtocolException(
          (limit - pos) + " trailing bytes after the last message (too short for a header)");
    }
    return out;
  }

  @Override
  public String toString() {
    return "NetlinkMessage[type="
        + type
        + ", flags=0x"
        + Integer.toHexString(flags)
        + ", seq="
        + seq
        + ", pid="
        + pid
        + ", "
        + payload.remaining()
        + " bytes]";
  }
}
