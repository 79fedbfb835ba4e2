package dev.lvs.agent.netlink.rtnl;

/** Constants of include/uapi/linux/rtnetlink.h, if_link.h and if_addr.h that the agent uses. */
public final class Rtnl {
  private Rtnl() {}

  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;

  /** Multicast groups (enum rtnetlink_groups): address changes of each family. */
  public static final int RTNLGRP_IPV4_IFADDR = 5;

  public static final int RTNLGRP_IPV6_IFADDR = 9;
  public static final int RTM_GETADDR = 22;

  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  /** sizeof(struct ifinfomsg): u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change. */
  public static final int IFINFOMSG_LEN = 16;

  /** sizeof(struct ifaddrmsg): u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index. */
  public static final int IFADDRMSG_LEN = 8;

  // enum IFLA_*
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_BROADCAST = 2;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;

  // enum IFA_*
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;
  public static final int IFA_ANYCAST = 5;
  public static final int IFA_CACHEINFO = 6;
  public static final int IFA_MULTICAST = 7;
  public static final int IFA_FLAGS = 8;

  // ifa_flags
  public static final int IFA_F_SECONDARY = 0x01;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_PERMANENT = 0x80;

  // enum rt_scope_t
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;

  /** IFNAMSIZ - 1: the longest interface name or address label. */
  public static final int IFNAMSIZ = 16;
}
