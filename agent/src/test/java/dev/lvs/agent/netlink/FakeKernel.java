package dev.lvs.agent.netlink;

import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Function;

/** Builds the kernel's side of a conversation: acks, errors, dump parts, NLMSG_DONE. */
public final class FakeKernel {
  private FakeKernel() {}

  public static final int PORT_ID = 4242;

  /** Concatenates messages into one datagram. */
  public static ByteBuffer datagram(ByteBuffer... messages) {
    int len = 0;
    for (ByteBuffer m : messages) {
      len += Netlink.align(m.remaining());
    }
    ByteBuffer out = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
    for (ByteBuffer m : messages) {
      int start = out.position();
      out.put(m.duplicate());
      out.position(start + Netlink.align(m.remaining()));
    }
    return out.flip();
  }

  /** A message answering {@code request} (same seq), with extra header flags. */
  public static ByteBuffer reply(NetlinkMessage request, MessageBuilder body, int flags) {
    return body.addFlags(flags).build(request.seq(), PORT_ID);
  }

  /** NLMSG_ERROR with error 0. */
  public static ByteBuffer ack(NetlinkMessage request) {
    return error(request, 0, null);
  }

  /** NLMSG_ERROR with -errno, echoing the request header (capped) and an ext-ack message. */
  public static ByteBuffer error(NetlinkMessage request, int errno, String extAck) {
    return error(request.seq(), request.type(), errno, extAck);
  }

  public static ByteBuffer error(int seq, int requestType, int errno, String extAck) {
    MessageBuilder b =
        new MessageBuilder(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED)
            .u32(-errno)
            // the echoed nlmsghdr of the request (capped: no payload)
            .u32(Netlink.NLMSG_HDRLEN)
            .u16(requestType)
            .u16(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK)
            .u32(seq)
            .u32(0);
    if (extAck != null) {
      b.addFlags(Netlink.NLM_F_ACK_TLVS).putString(Netlink.NLMSGERR_ATTR_MSG, extAck);
    }
    return b.build(seq, PORT_ID);
  }

  public static ByteBuffer done(NetlinkMessage request) {
    return new MessageBuilder(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI)
        .u32(0)
        .build(request.seq(), PORT_ID);
  }

  public static ByteBuffer doneWithError(NetlinkMessage request, int errno, String extAck) {
    MessageBuilder b = new MessageBuilder(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI).u32(-errno);
    if (extAck != null) {
      b.addFlags(Netlink.NLM_F_ACK_TLVS).putString(Netlink.NLMSGERR_ATTR_MSG, extAck);
    }
    return b.build(request.seq(), PORT_ID);
  }

  /** A dump answer: one datagram per part, each message flagged NLM_F_MULTI, then DONE. */
  public static ScriptedTransport.Responder dumpOf(
      Function<NetlinkMessage, List<List<MessageBuilder>>> parts) {
    return request -> {
      List<List<MessageBuilder>> p = parts.apply(request);
      java.util.ArrayList<ByteBuffer> out = new java.util.ArrayList<>();
      for (int i = 0; i < p.size(); i++) {
        List<MessageBuilder> part = p.get(i);
        ByteBuffer[] msgs = new ByteBuffer[part.size() + (i == p.size() - 1 ? 1 : 0)];
        for (int j = 0; j < part.size(); j++) {
          msgs[j] = reply(request, part.get(j), Netlink.NLM_F_MULTI);
        }
        if (i == p.size() - 1) {
          msgs[part.size()] = done(request);
        }
        out.add(datagram(msgs));
      }
      if (p.isEmpty()) {
        out.add(datagram(done(request)));
      }
      return out;
    };
  }
}
