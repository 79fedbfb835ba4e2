package dev.lvs.agent.netlink.wire;

/** Constants of include/uapi/linux/netlink.h. */
public final class Netlink {
  private Netlink() {}

  /** sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
  public static final int NLMSG_HDRLEN = 16;

  /** sizeof(struct nlattr): u16 len, u16 type. */
  public static final int NLA_HDRLEN = 4;

  public static final int NLMSG_NOOP = 0x1;
  public static final int NLMSG_ERROR = 0x2;
  public static final int NLMSG_DONE = 0x3;
  public static final int NLMSG_OVERRUN = 0x4;
  public static final int NLMSG_MIN_TYPE = 0x10;

  public static final int NLM_F_REQUEST = 0x01;
  public static final int NLM_F_MULTI = 0x02;
  public static final int NLM_F_ACK = 0x04;
  public static final int NLM_F_ECHO = 0x08;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_DUMP_FILTERED = 0x20;

  // Modifiers to GET requests.
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_ATOMIC = 0x400;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

  // Modifiers to NEW requests.
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_APPEND = 0x800;

  // Flags of NLMSG_ERROR acks.
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;

  // enum nlmsgerr_attrs
  public static final int NLMSGERR_ATTR_MSG = 1;
  public static final int NLMSGERR_ATTR_OFFS = 2;

  public static final int NLA_F_NESTED = 1 << 15;
  public static final int NLA_F_NET_BYTEORDER = 1 << 14;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  /** NLMSG_ALIGN / NLA_ALIGN: round up to 4 bytes. */
  public static int align(int len) {
    return (len + 3) & ~3;
  }
}
