package dev.lvs.agent.netlink;

import java.io.IOException;

/**
 * A netlink request the kernel refused (NLMSG_ERROR with a negative error), or a transport error
 * from a system call. It keeps the errno so callers can tell "exists" from "not found" from
 * "permission denied" from "invalid".
 */
public class NetlinkException extends IOException {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOBUFS = 105;
  public static final int EADDRNOTAVAIL = 99;
  public static final int EOPNOTSUPP = 95;
  public static final int EPROTO = 71;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAFNOSUPPORT = 97;
  public static final int ERANGE = 34;

  private final int errno;
  private final String operation;
  private final String detail;

  public NetlinkException(String operation, int errno, String detail) {
    super(
        operation
            + ": "
            + name(errno)
            + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
    this.errno = errno;
    this.operation = operation;
    this.detail = detail;
  }

  /** The same error, re-attributed to {@code operation} (the original is kept as the cause). */
  public NetlinkException withOperation(String operation) {
    NetlinkException e = new NetlinkException(operation, errno, detail);
    e.initCause(this);
    return e;
  }

  /** The positive errno value, e.g. 17 for EEXIST. */
  public int errno() {
    return errno;
  }

  /** What was being done, e.g. "IPVS NEW_SERVICE TCP 10.0.0.1:80". */
  public String operation() {
    return operation;
  }

  /** The kernel's extended-ack message or our explanation, or null. */
  public String detail() {
    return detail;
  }

  public boolean isExists() {
    return errno == EEXIST;
  }

  /** ENOENT or ESRCH: IPVS says ESRCH for a missing service, ENOENT for a missing destination. */
  public boolean isNotFound() {
    return errno == ENOENT || errno == ESRCH || errno == EADDRNOTAVAIL || errno == ENODEV;
  }

  public boolean isPermissionDenied() {
    return errno == EPERM;
  }

  public boolean isInvalid() {
    return errno == EINVAL;
  }

  public static String name(int errno) {
    return switch (errno) {
      case EPERM -> "EPERM (operation not permitted; CAP_NET_ADMIN is needed)";
      case ENOENT -> "ENOENT (no such entry)";
      case ESRCH -> "ESRCH (no such service or sync daemon)";
      case EINTR -> "EINTR (interrupted)";
      case EAGAIN -> "EAGAIN (timed out or try again)";
      case ENOMEM -> "ENOMEM (out of memory)";
      case EBUSY -> "EBUSY (busy)";
      case EEXIST -> "EEXIST (already exists)";
      case ENODEV -> "ENODEV (no such device)";
      case EINVAL -> "EINVAL (invalid argument)";
      case EOPNOTSUPP -> "EOPNOTSUPP (not supported)";
      case EADDRNOTAVAIL -> "EADDRNOTAVAIL (address not available)";
      case EPROTO -> "EPROTO (malformed netlink message)";
      case EAFNOSUPPORT -> "EAFNOSUPPORT (address family not supported)";
      case ERANGE -> "ERANGE (value out of range)";
      case ENOBUFS -> "ENOBUFS (socket receive buffer overrun)";
      default -> "errno " + errno;
    };
  }
}
