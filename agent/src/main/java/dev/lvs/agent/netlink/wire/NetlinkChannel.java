package dev.lvs.agent.netlink.wire;

import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.NetlinkTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Request/response over a {@link NetlinkTransport}: numbers requests, waits for the reply with the
 * same sequence number (stale replies of an earlier, timed-out request are skipped), turns
 * NLMSG_ERROR into {@link NetlinkException}s carrying the errno and the operation, collects
 * multipart dumps until NLMSG_DONE and retries dumps the kernel marked NLM_F_DUMP_INTR.
 *
 * <p>Calls are serialised: one conversation at a time.
 */
public final class NetlinkChannel implements AutoCloseable {
  /** How many times a dump marked NLM_F_DUMP_INTR is tried before giving up. */
  public static final int MAX_DUMP_ATTEMPTS = 5;

  private final NetlinkTransport transport;
  private int seq;

  public NetlinkChannel(NetlinkTransport transport) {
    this(transport, (int) (System.nanoTime() & 0x3fffffff) | 1);
  }

  public NetlinkChannel(NetlinkTransport transport, int firstSeq) {
    this.transport = transport;
    this.seq = firstSeq;
  }

  public NetlinkTransport transport() {
    return transport;
  }

  private int nextSeq() {
    int s = seq++;
    if (seq == 0) {
      seq = 1;
    }
    return s;
  }

  /**
   * Sends a request with NLM_F_REQUEST|NLM_F_ACK and returns the messages that came before the
   * kernel's ack (none for a NEW/SET/DEL, the reply for a GET).
   */
  public synchronized List<NetlinkMessage> execute(MessageBuilder request, String operation)
      throws IOException {
    request.addFlags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
    int s = nextSeq();
    send(request.build(s, 0), operation);
    List<NetlinkMessage> replies = new ArrayList<>();
    while (true) {
      for (NetlinkMessage m : receive(operation)) {
        if (m.seq() != s) {
          continue;
        }
        switch (m.type()) {
          case Netlink.NLMSG_NOOP:
            break;
          case Netlink.NLMSG_ERROR:
            checkError(m, operation);
            return replies;
          case Netlink.NLMSG_DONE:
            checkDone(m, operation);
            return replies;
          case Netlink.NLMSG_OVERRUN:
            throw overrun(operation);
          default:
            replies.add(m);
        }
      }
    }
  }

  /**
   * Sends a dump request (NLM_F_REQUEST|NLM_F_DUMP) and returns every message up to NLMSG_DONE. A
   * dump the kernel marks NLM_F_DUMP_INTR (the table changed under it) is restarted, at most {@link
   * #MAX_DUMP_ATTEMPTS} times.
   */
  public synchronized List<NetlinkMessage> dump(MessageBuilder request, String operation)
      throws IOException {
    request.addFlags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
    for (int attempt = 1; attempt <= MAX_DUMP_ATTEMPTS; attempt++) {
      int s = nextSeq();
      send(request.build(s, 0), operation);
      List<NetlinkMessage> replies = new ArrayList<>();
      boolean interrupted = false;
      boolean done = false;
      while (!done) {
        for (NetlinkMessage m : receive(operation)) {
          if (m.seq() != s || done) {
            continue;
          }
          if (m.hasFlag(Netlink.NLM_F_DUMP_INTR)) {
            interrupted = true;
          }
          switch (m.type()) {
            case Netlink.NLMSG_NOOP:
              break;
            case Netlink.NLMSG_DONE:
              checkDone(m, operation);
              done = true;
              break;
            case Netlink.NLMSG_ERROR:
              checkError(m, operation);
              done = true;
              break;
            case Netlink.NLMSG_OVERRUN:
              throw overrun(operation);
            default:
              replies.add(m);
          }
        }
      }
      if (!interrupted) {
        return replies;
      }
    }
    throw new NetlinkException(
        operation,
        NetlinkException.EINTR,
        "dump interrupted (NLM_F_DUMP_INTR) "
            + MAX_DUMP_ATTEMPTS
            + " times in a row: the table keeps changing");
  }

  private void send(ByteBuffer datagram, String operation) throws IOException {
    try {
      transport.send(datagram);
    } catch (NetlinkException e) {
      throw e.withOperation(operation);
    }
  }

  private List<NetlinkMessage> receive(String operation) throws IOException {
    ByteBuffer datagram;
    try {
      datagram = transport.receive();
    } catch (NetlinkProtocolException e) {
      throw e;
    } catch (NetlinkException e) {
      throw e.withOperation(operation);
    }
    return NetlinkMessage.parseAll(datagram);
  }

  private static NetlinkException overrun(String operation) {
    return new NetlinkException(
        operation, NetlinkException.ENOBUFS, "NLMSG_OVERRUN: data lost; re-list");
  }

  /** NLMSG_ERROR: error 0 is an ack, a negative error is the kernel's refusal. */
  static void checkError(NetlinkMessage m, String operation) throws NetlinkException {
    ByteBuffer p = m.body();
    if (p.remaining() < 4) {
      throw new NetlinkProtocolException(
          "NLMSG_ERROR with a " + p.remaining() + "-byte payload (needs at least 4)");
    }
    int error = p.getInt(0);
    if (error == 0) {
      return;
    }
    if (error > 0 || error < -4095) {
      throw new NetlinkProtocolException("NLMSG_ERROR with error " + error + " (not an -errno)");
    }
    String detail = null;
    if (m.hasFlag(Netlink.NLM_F_ACK_TLVS) && p.remaining() >= 4 + Netlink.NLMSG_HDRLEN) {
      int origLen = p.getInt(4);
      int offset = 4 + Netlink.NLMSG_HDRLEN;
      if (!m.hasFlag(Netlink.NLM_F_CAPPED) && origLen > Netlink.NLMSG_HDRLEN) {
        offset += Netlink.align(origLen - Netlink.NLMSG_HDRLEN);
      }
      detail = extAckMessage(p, offset);
    }
    throw new NetlinkException(operation, -error, detail);
  }

  /** NLMSG_DONE of a dump may carry an int error (and extended-ack TLVs after it). */
  static void checkDone(NetlinkMessage m, String operation) throws NetlinkException {
    ByteBuffer p = m.body();
    if (p.remaining() < 4) {
      return; // very old kernels send an empty DONE
    }
    int error = p.getInt(0);
    if (error == 0) {
      return;
    }
    if (error > 0 || error < -4095) {
      throw new NetlinkProtocolException("NLMSG_DONE with error " + error + " (not an -errno)");
    }
    String detail = m.hasFlag(Netlink.NLM_F_ACK_TLVS) ? extAckMessage(p, 4) : null;
    throw new NetlinkException(operation, -error, detail);
  }

  /** The NLMSGERR_ATTR_MSG string, or null: a garbled ext-ack must not hide the errno. */
  private static String extAckMessage(ByteBuffer p, int offset) {
    if (offset < 0 || offset > p.limit()) {
      return null;
    }
    try {
      ByteBuffer tlvs = p.duplicate().position(offset);
      return AttributeReader.parse(tlvs, "extended ack")
          .optString(Netlink.NLMSGERR_ATTR_MSG)
          .orElse(null);
    } catch (NetlinkProtocolException e) {
      return null;
    }
  }

  @Override
  public void close() {
    transport.close();
  }
}
