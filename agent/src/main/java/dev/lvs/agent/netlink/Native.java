package dev.lvs.agent.netlink;

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

/** The only place that touches jnr-ffi: the handful of libc calls a netlink socket needs. */
final class Native {
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_RCVTIMEO = 20;
  static final int SO_SNDBUFFORCE = 32;
  static final int SO_RCVBUFFORCE = 33;
  static final int SOL_NETLINK = 270;
  static final int NETLINK_ADD_MEMBERSHIP = 1;
  static final int NETLINK_CAP_ACK = 10;
  static final int NETLINK_EXT_ACK = 11;
  static final int MSG_TRUNC = 0x20;

  /** The libc subset we use ("use only what is necessary"). */
  public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In @Transient SockAddrNl addr, int addrlen);

    int getsockname(int fd, @Out SockAddrNl addr, IntByReference addrlen);

    int setsockopt(int fd, int level, int optname, @In @Transient ByteBuffer optval, int optlen);

    @ssize_t
    long sendto(
        int fd,
        @In @Transient ByteBuffer buf,
        @size_t long len,
        int flags,
        @In @Transient SockAddrNl dest,
        int addrlen);

    @ssize_t
    long recvfrom(
        int fd,
        @Out @Transient ByteBuffer buf,
        @size_t long len,
        int flags,
        @Out SockAddrNl src,
        IntByReference addrlen);

    int close(int fd);
  }

  private static final class Holder {
    static final LibC LIBC =
        LibraryLoader.create(LibC.class)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
  }

  private Native() {}

  static LibC libc() {
    return Holder.LIBC;
  }

  static Runtime runtime() {
    return Holder.RUNTIME;
  }

  /** errno of the last call made through {@link #libc()} on this thread. */
  static int errno() {
    return LastError.getLastError(Holder.RUNTIME);
  }
}
