package dev.lvs.agent.announce;

import java.io.IOException;
import java.nio.ByteBuffer;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Transient;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * An AF_PACKET SOCK_DGRAM socket for ARP on one interface (needs CAP_NET_RAW): sends gratuitous ARP
 * payloads to the broadcast address and tells the interface's MAC (getsockname after bind).
 */
final class PacketSocket implements AutoCloseable {
  static final int AF_PACKET = 17;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 0x80000;

  /** The libc calls a packet socket needs. */
  public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In @Transient ByteBuffer addr, int addrlen);

    int getsockname(int fd, @Out @Transient ByteBuffer addr, IntByReference addrlen);

    @ssize_t
    long sendto(
        int fd,
        @In @Transient ByteBuffer buf,
        @size_t long len,
        int flags,
        @In @Transient ByteBuffer dest,
        int addrlen);

    int close(int fd);

    String strerror(int errnum);
  }

  private static final class Holder {
    static final LibC LIBC =
        LibraryLoader.create(LibC.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  }

  private final int fd;
  private final int ifindex;
  private final byte[] mac;

  private PacketSocket(int fd, int ifindex, byte[] mac) {
    this.fd = fd;
    this.ifindex = ifindex;
    this.mac = mac;
  }

  static PacketSocket open(int ifindex, String ifname) throws IOException {
    LibC c = Holder.LIBC;
    int proto = Short.toUnsignedInt(Short.reverseBytes((short) ArpFrames.ETH_P_ARP));
    int fd = c.socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, proto);
    if (fd < 0) {
      throw error("socket(AF_PACKET) for " + ifname);
    }
    try {
      ByteBuffer sll = ArpFrames.sockaddrLl(ifindex, null);
      if (c.bind(fd, sll, 20) < 0) {
        throw error("bind(AF_PACKET) to " + ifname);
      }
      ByteBuffer name = ByteBuffer.allocateDirect(20);
      IntByReference len = new IntByReference(20);
      if (c.getsockname(fd, name, len) < 0) {
        throw error("getsockname(AF_PACKET) on " + ifname);
      }
      byte[] mac = ArpFrames.hardwareAddress(name);
      if (mac.length != 6) {
        throw new IOException(
            ifname + " has no Ethernet address (hardware address length " + mac.length + ")");
      }
      return new PacketSocket(fd, ifindex, mac);
    } catch (IOException | RuntimeException e) {
      c.close(fd);
      throw e;
    }
  }

  byte[] mac() {
    return mac.clone();
  }

  void sendBroadcast(byte[] payload) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(payload.length);
    buf.put(payload).flip();
    ByteBuffer dest = ArpFrames.sockaddrLl(ifindex, ArpFrames.broadcast());
    long n = Holder.LIBC.sendto(fd, buf, payload.length, 0, dest, 20);
    if (n < 0) {
      throw error("sendto(AF_PACKET)");
    }
  }

  private static IOException error(String what) {
    int errno = LastError.getLastError(Holder.RUNTIME);
    return new IOException(what + ": " + Holder.LIBC.strerror(errno) + " (errno " + errno + ")");
  }

  @Override
  public void close() {
    Holder.LIBC.close(fd);
  }
}
