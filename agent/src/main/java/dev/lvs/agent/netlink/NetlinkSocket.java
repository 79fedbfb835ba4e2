package dev.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import jnr.ffi.byref.IntByReference;

/**
 * A netlink socket (AF_NETLINK, SOCK_RAW) talking to the kernel: owns the file descriptor. Sized
 * buffers, a receive timeout (so a hung kernel conversation cannot hang the agent), extended acks
 * when the kernel has them, EINTR retried, ENOBUFS surfaced.
 *
 * <p>Not thread-safe: one conversation at a time (the clients above serialise their calls).
 */
public final class NetlinkSocket implements NetlinkTransport {
  public static final int NETLINK_ROUTE = 0;
  public static final int NETLINK_GENERIC = 16;

  /** Receive space for one datagram: the kernel never sends dump datagrams above 32 KiB. */
  private static final int MAX_DATAGRAM = 64 * 1024;

  /** Socket settings. */
  public record Options(
      int receiveBufferBytes, int sendBufferBytes, Duration receiveTimeout, boolean extendedAck) {
    public Options {
      Objects.requireNonNull(receiveTimeout, "receiveTimeout");
      if (receiveTimeout.isNegative() || receiveTimeout.isZero()) {
        throw new IllegalArgumentException("receive timeout must be positive: " + receiveTimeout);
      }
    }

    /** 1 MiB receive buffer, 256 KiB send buffer, 15 s receive timeout, extended acks on. */
    public static Options defaults() {
      return new Options(1 << 20, 256 << 10, Duration.ofSeconds(15), true);
    }

    public Options withReceiveTimeout(Duration timeout) {
      return new Options(receiveBufferBytes, sendBufferBytes, timeout, extendedAck);
    }
  }

  private final Native.LibC libc;
  private final int protocol;
  private final int fd;
  private final int portId;
  private final Options options;
  private final ByteBuffer receiveBuffer;
  private boolean closed;

  private NetlinkSocket(int protocol, int fd, int portId, Options options) {
    this.libc = Native.libc();
    this.protocol = protocol;
    this.fd = fd;
    this.portId = portId;
    this.options = options;
    this.receiveBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM).order(ByteOrder.nativeOrder());
  }

  public static NetlinkSocket open(int protocol) throws NetlinkException {
    return open(protocol, Options.defaults());
  }

  /** Opens and binds a socket of the given netlink protocol (NETLINK_ROUTE, NETLINK_GENERIC). */
  public static NetlinkSocket open(int protocol, Options options) throws NetlinkException {
    Native.LibC libc = Native.libc();
    int fd = libc.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol);
    if (fd < 0) {
      throw new NetlinkException(
          "open netlink socket (protocol " + protocol + ")", Native.errno(), "socket()");
    }
    try {
      setBuffer(libc, fd, Native.SO_RCVBUFFORCE, Native.SO_RCVBUF, options.receiveBufferBytes());
      setBuffer(libc, fd, Native.SO_SNDBUFFORCE, Native.SO_SNDBUF, options.sendBufferBytes());
      setTimeout(libc, fd, options.receiveTimeout());
      if (options.extendedAck()) {
        // Best effort: kernels before 4.12 lack them and then simply send no messages.
        setInt(libc, fd, Native.SOL_NETLINK, Native.NETLINK_EXT_ACK, 1);
        setInt(libc, fd, Native.SOL_NETLINK, Native.NETLINK_CAP_ACK, 1);
      }
      SockAddrNl local = SockAddrNl.kernel(Native.runtime());
      if (libc.bind(fd, local, SockAddrNl.size(local)) < 0) {
        throw new NetlinkException("bind netlink socket", Native.errno(), "bind()");
      }
      SockAddrNl bound = new SockAddrNl(Native.runtime());
      IntByReference len = new IntByReference(SockAddrNl.size(bound));
      if (libc.getsockname(fd, bound, len) < 0) {
        throw new NetlinkException("bind netlink socket", Native.errno(), "getsockname()");
      }
      return new NetlinkSocket(protocol, fd, (int) bound.pid.get(), options);
    } catch (NetlinkException | RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  private static void setBuffer(Native.LibC libc, int fd, int forced, int plain, int bytes)
      throws NetlinkException {
    if (bytes <= 0) {
      return;
    }
    // SO_*BUFFORCE passes rmem_max/wmem_max with CAP_NET_ADMIN; without it fall back to the capped
    // option.
    if (setInt(libc, fd, Native.SOL_SOCKET, forced, bytes)) {
      return;
    }
    if (!setInt(libc, fd, Native.SOL_SOCKET, plain, bytes)) {
      throw new NetlinkException("size netlink socket buffer", Native.errno(), "setsockopt()");
    }
  }

  private static boolean setInt(Native.LibC libc, int fd, int level, int name, int value) {
    ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    b.putInt(0, value);
    return libc.setsockopt(fd, level, name, b, 4) == 0;
  }

  private static void setTimeout(Native.LibC libc, int fd, Duration timeout)
      throws NetlinkException {
    // struct timeval { time_t tv_sec; suseconds_t tv_usec; }: two longs on LP64.
    boolean lp64 = Native.runtime().longSize() == 8;
    int size = lp64 ? 16 : 8;
    ByteBuffer tv = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    long sec = timeout.getSeconds();
    long usec = timeout.getNano() / 1000;
    if (lp64) {
      tv.putLong(0, sec).putLong(8, usec);
    } else {
      tv.putInt(0, (int) sec).putInt(4, (int) usec);
    }
    if (libc.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, tv, size) < 0) {
      throw new NetlinkException("set netlink receive timeout", Native.errno(), "setsockopt()");
    }
  }

  /**
   * Joins a multicast group (NETLINK_ADD_MEMBERSHIP), e.g. rtnetlink's RTNLGRP_IPV4_IFADDR: the
   * kernel then sends this socket the group's notifications.
   */
  public void joinGroup(int group) throws NetlinkException {
    ensureOpen();
    if (!setInt(libc, fd, Native.SOL_NETLINK, Native.NETLINK_ADD_MEMBERSHIP, group)) {
      throw new NetlinkException(
          "join netlink group " + group, Native.errno(), "setsockopt(NETLINK_ADD_MEMBERSHIP)");
    }
  }

  /** The port id the kernel assigned to this socket (nl_pid). */
  public int portId() {
    return portId;
  }

  public int protocol() {
    return protocol;
  }

  @Override
  public void send(ByteBuffer datagram) throws NetlinkException {
    ensureOpen();
    int len = datagram.remaining();
    ByteBuffer direct = ByteBuffer.allocateDirect(len);
    direct.put(datagram.duplicate()).flip();
    SockAddrNl kernel = SockAddrNl.kernel(Native.runtime());
    while (true) {
      long n = libc.sendto(fd, direct, len, 0, kernel, SockAddrNl.size(kernel));
      if (n >= 0) {
        if (n != len) {
          throw new NetlinkException(
              "netlink send", NetlinkException.EIO, "short send: " + n + " of " + len + " bytes");
        }
        return;
      }
      int errno = Native.errno();
      if (errno != NetlinkException.EINTR) {
        throw new NetlinkException("netlink send", errno, "sendto()");
      }
    }
  }

  @Override
  public ByteBuffer receive() throws NetlinkException {
    ensureOpen();
    SockAddrNl from = new SockAddrNl(Native.runtime());
    while (true) {
      receiveBuffer.clear();
      IntByReference fromLen = new IntByReference(SockAddrNl.size(from));
      long n = libc.recvfrom(fd, receiveBuffer, MAX_DATAGRAM, Native.MSG_TRUNC, from, fromLen);
      if (n < 0) {
        int errno = Native.errno();
        switch (errno) {
          case NetlinkException.EINTR:
            continue;
          case NetlinkException.EAGAIN:
            throw new NetlinkException(
                "netlink receive",
                errno,
                "no reply from the kernel within "
                    + options.receiveTimeout().toMillis()
                    + " ms (SO_RCVTIMEO)");
          case NetlinkException.ENOBUFS:
            throw new NetlinkException(
                "netlink receive",
                errno,
                "the kernel dropped messages: receive buffer overrun; re-list to resynchronise");
          default:
            throw new NetlinkException("netlink receive", errno, "recvfrom()");
        }
      }
      if (n > MAX_DATAGRAM) {
        throw new NetlinkProtocolException(
            "datagram of " + n + " bytes truncated to " + MAX_DATAGRAM);
      }
      if (from.pid.get() != 0) {
        continue; // not from the kernel: ignore
      }
      ByteBuffer copy = ByteBuffer.allocate((int) n).order(ByteOrder.nativeOrder());
      receiveBuffer.limit((int) n);
      copy.put(receiveBuffer).flip();
      return copy;
    }
  }

  private void ensureOpen() throws NetlinkException {
    if (closed) {
      throw new NetlinkException("netlink socket", NetlinkException.EBADF, "socket is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc.close(fd);
    }
  }
}
