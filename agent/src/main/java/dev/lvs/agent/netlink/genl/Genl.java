package dev.lvs.agent.netlink.genl;

/** Constants of include/uapi/linux/genetlink.h. */
public final class Genl {
  private Genl() {}

  /** sizeof(struct genlmsghdr): u8 cmd, u8 version, u16 reserved. */
  public static final int GENL_HDRLEN = 4;

  /** The controller's fixed family id (GENL_ID_CTRL = NLMSG_MIN_TYPE). */
  public static final int GENL_ID_CTRL = 0x10;

  public static final int CTRL_CMD_NEWFAMILY = 1;
  public static final int CTRL_CMD_DELFAMILY = 2;
  public static final int CTRL_CMD_GETFAMILY = 3;

  public static final int CTRL_ATTR_FAMILY_ID = 1;
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  public static final int CTRL_ATTR_VERSION = 3;
  public static final int CTRL_ATTR_HDRSIZE = 4;
  public static final int CTRL_ATTR_MAXATTR = 5;

  /** The controller's version as the kernel registers it. */
  public static final int CTRL_VERSION = 2;
}
