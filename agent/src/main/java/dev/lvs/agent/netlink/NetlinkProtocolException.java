package dev.lvs.agent.netlink;

/**
 * A message that could not be decoded: bad lengths, truncated or overrunning attributes, wrong
 * sizes for fixed-size attributes, values the domain cannot represent. The errno is EPROTO.
 */
public class NetlinkProtocolException extends NetlinkException {
  public NetlinkProtocolException(String detail) {
    super("decode netlink message", EPROTO, detail);
  }

  public NetlinkProtocolException(String detail, Throwable cause) {
    this(detail);
    initCause(cause);
  }
}
