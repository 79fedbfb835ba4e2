package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;

import dev.lvs.agent.ipvs.SyncDaemon;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.wire.AttributeReader;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.InetAddress;

/**
 * Encodes the sync daemon commands (NEW_DAEMON, DEL_DAEMON, GET_DAEMON) and decodes the GET_DAEMON
 * dump, with the attribute types and byte orders of ip_vs_ctl.c (see {@link IpvsConstants}).
 * Optional fields at their "unset" value (0, null group) are left out, so the kernel applies its
 * defaults exactly as for {@code ipvsadm --start-daemon} without options.
 */
public final class SyncDaemonCodec {
  private SyncDaemonCodec() {}

  /** NEW_DAEMON: STATE, MCAST_IFN and SYNC_ID are required, the rest only when set. */
  public static MessageBuilder newDaemon(int familyId, SyncDaemon d) {
    MessageBuilder b = IpvsCodec.request(familyId, IPVS_CMD_NEW_DAEMON);
    int nest = b.beginNested(IPVS_CMD_ATTR_DAEMON);
    b.putU32(IPVS_DAEMON_ATTR_STATE, d.state().code());
    b.putString(IPVS_DAEMON_ATTR_MCAST_IFN, d.interfaceName());
    b.putU32(IPVS_DAEMON_ATTR_SYNC_ID, d.syncId());
    if (d.maxLen() != 0) {
      b.putU16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, d.maxLen());
    }
    if (d.group() != null) {
      b.putBytes(
          d.isIpv6Group() ? IPVS_DAEMON_ATTR_MCAST_GROUP6 : IPVS_DAEMON_ATTR_MCAST_GROUP,
          d.group().getAddress());
    }
    if (d.port() != 0) {
      b.putU16(IPVS_DAEMON_ATTR_MCAST_PORT, d.port());
    }
    if (d.ttl() != 0) {
      b.putU8(IPVS_DAEMON_ATTR_MCAST_TTL, d.ttl());
    }
    b.endNested(nest);
    return b;
  }

  /** DEL_DAEMON: the state alone says which daemon to stop. */
  public static MessageBuilder delDaemon(int familyId, SyncDaemon.State state) {
    MessageBuilder b = IpvsCodec.request(familyId, IPVS_CMD_DEL_DAEMON);
    int nest = b.beginNested(IPVS_CMD_ATTR_DAEMON);
    b.putU32(IPVS_DAEMON_ATTR_STATE, state.code());
    b.endNested(nest);
    return b;
  }

  /** GET_DAEMON is dump-only (the channel adds NLM_F_DUMP). */
  public static MessageBuilder getDaemons(int familyId) {
    return IpvsCodec.request(familyId, IPVS_CMD_GET_DAEMON);
  }

  /** One message of the GET_DAEMON dump (command NEW_DAEMON, one IPVS_CMD_ATTR_DAEMON nest). */
  public static SyncDaemon decodeDaemon(NetlinkMessage m) throws NetlinkProtocolException {
    AttributeReader top = GenlMessage.parse(m, "IPVS daemon message").attributes();
    return decodeDaemon(top.nested(IPVS_CMD_ATTR_DAEMON));
  }

  public static SyncDaemon decodeDaemon(AttributeReader a) throws NetlinkProtocolException {
    int code = a.u32(IPVS_DAEMON_ATTR_STATE);
    SyncDaemon.State state =
        SyncDaemon.State.fromCode(code)
            .orElseThrow(
                () -> new NetlinkProtocolException(a.context() + ": unknown daemon state " + code));
    InetAddress group = null;
    if (a.has(IPVS_DAEMON_ATTR_MCAST_GROUP6)) {
      group = a.exactAddress(IPVS_DAEMON_ATTR_MCAST_GROUP6, 16);
    } else if (a.has(IPVS_DAEMON_ATTR_MCAST_GROUP)) {
      group = a.exactAddress(IPVS_DAEMON_ATTR_MCAST_GROUP, 4);
    }
    int ttl = a.has(IPVS_DAEMON_ATTR_MCAST_TTL) ? a.u8(IPVS_DAEMON_ATTR_MCAST_TTL) : 0;
    try {
      return new SyncDaemon(
          state,
          a.string(IPVS_DAEMON_ATTR_MCAST_IFN),
          a.u32(IPVS_DAEMON_ATTR_SYNC_ID),
          group,
          a.optU16(IPVS_DAEMON_ATTR_MCAST_PORT).orElse(0),
          ttl,
          a.optU16(IPVS_DAEMON_ATTR_SYNC_MAXLEN).orElse(0));
    } catch (IllegalArgumentException e) {
      throw new NetlinkProtocolException(a.context() + ": " + e.getMessage(), e);
    }
  }

  /** What an errno of NEW_DAEMON / DEL_DAEMON means, in the daemon's terms (or null). */
  static String explain(int cmd, int errno, String interfaceName, SyncDaemon.State state) {
    String which = state.name().toLowerCase(java.util.Locale.ROOT);
    return switch (errno) {
      case dev.lvs.agent.netlink.NetlinkException.EEXIST ->
          "a " + which + " sync daemon already runs in this network namespace; stop it first";
      case dev.lvs.agent.netlink.NetlinkException.ENODEV ->
          "no interface " + interfaceName + " in this network namespace";
      case dev.lvs.agent.netlink.NetlinkException.ESRCH ->
          "no " + which + " sync daemon runs in this network namespace";
      case dev.lvs.agent.netlink.NetlinkException.EINVAL ->
          cmd == IPVS_CMD_NEW_DAEMON
              ? "invalid daemon settings, or services with destinations of the other address"
                  + " family exist (the sync protocol cannot carry them)"
              : null;
      default -> null;
    };
  }
}
