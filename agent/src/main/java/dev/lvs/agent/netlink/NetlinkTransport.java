package dev.lvs.agent.netlink;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The socket boundary: requests go out as one datagram each, replies come back as datagrams that
 * may hold several netlink messages. {@link NetlinkSocket} is the real one; tests use a scripted
 * fake kernel.
 */
public interface NetlinkTransport extends AutoCloseable {

  /** Sends one datagram (from position to limit) to the kernel. */
  void send(ByteBuffer datagram) throws IOException;

  /**
   * Receives one datagram from the kernel, as a buffer positioned at 0 in native byte order.
   *
   * @throws NetlinkException EAGAIN when nothing arrives within the receive timeout, ENOBUFS when
   *     the kernel dropped messages because the receive buffer overflowed (re-list)
   */
  ByteBuffer receive() throws IOException;

  @Override
  void close();
}
