package dev.lvs.agent.netlink;

import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A fake kernel at the socket boundary: each request sent is answered by the next scripted
 * responder, whose datagrams are then handed out by {@link #receive()}. An empty queue behaves like
 * SO_RCVTIMEO expiring (EAGAIN).
 */
public final class ScriptedTransport implements NetlinkTransport {

  /** Answers one request with zero or more datagrams (or throws, like a failing recvfrom). */
  @FunctionalInterface
  public interface Responder {
    List<ByteBuffer> respond(NetlinkMessage request) throws IOException;
  }

  private final Deque<Responder> responders = new ArrayDeque<>();
  private final Deque<Object> pending = new ArrayDeque<>();
  private final List<NetlinkMessage> sent = new ArrayList<>();
  private final List<ByteBuffer> sentBytes = new ArrayList<>();
  private boolean closed;

  public ScriptedTransport then(Responder r) {
    responders.add(r);
    return this;
  }

  /** Queues a datagram that arrives before the replies to the next request (e.g. stale ones). */
  public ScriptedTransport inject(ByteBuffer datagram) {
    pending.add(datagram);
    return this;
  }

  /** Queues a receive failure. */
  public ScriptedTransport injectFailure(NetlinkException e) {
    pending.add(e);
    return this;
  }

  public List<NetlinkMessage> sent() {
    return sent;
  }

  public List<ByteBuffer> sentBytes() {
    return sentBytes;
  }

  public NetlinkMessage lastSent() {
    return sent.get(sent.size() - 1);
  }

  public boolean isClosed() {
    return closed;
  }

  public int unusedResponders() {
    return responders.size();
  }

  @Override
  public void send(ByteBuffer datagram) throws IOException {
    ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).order(ByteOrder.nativeOrder());
    copy.put(datagram.duplicate()).flip();
    sentBytes.add(copy);
    List<NetlinkMessage> msgs = NetlinkMessage.parseAll(copy);
    if (msgs.size() != 1) {
      throw new AssertionError("a request datagram must hold one message, got " + msgs.size());
    }
    NetlinkMessage request = msgs.get(0);
    sent.add(request);
    Responder r = responders.poll();
    if (r == null) {
      throw new AssertionError("unexpected request: " + request);
    }
    try {
      pending.addAll(r.respond(request));
    } catch (NetlinkException e) {
      pending.add(e);
    }
  }

  @Override
  public ByteBuffer receive() throws IOException {
    Object next = pending.poll();
    if (next == null) {
      throw new NetlinkException(
          "netlink receive", NetlinkException.EAGAIN, "no reply from the kernel within 15000 ms");
    }
    if (next instanceof NetlinkException e) {
      throw e;
    }
    return ((ByteBuffer) next).duplicate().order(ByteOrder.nativeOrder());
  }

  @Override
  public void close() {
    closed = true;
  }
}
