package dev.lvs.agent.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One of the kernel's IPVS connection synchronisation daemons (IPVS_CMD_NEW_DAEMON): a master
 * multicasts the state of the connections this director handles, a backup receives it and creates
 * the same connection entries, so that a standby director can take over established connections. A
 * network namespace runs at most one master and one backup, and both may run at once.
 *
 * <p>The optional fields use the kernel's "unset" values, which the kernel replaces by its defaults
 * when it starts the daemon (net/netfilter/ipvs/ip_vs_sync.c, start_sync_thread): group {@code
 * null} is 224.0.0.81, port 0 is 8848, ttl 0 is 1 and maxLen 0 is derived from the MTU (1500 less
 * the IP and UDP headers for a master; the interface's MTU, clamped to 1500..65535, for a backup).
 * A daemon read back from the kernel carries the values in effect.
 *
 * @param interfaceName the multicast interface (IPVS_DAEMON_ATTR_MCAST_IFN), 1..15 bytes
 * @param syncId the sync ID (u32): a backup accepts only messages with its own ID (0 accepts all)
 * @param group multicast group (IPv4 or IPv6), or null for the kernel's default
 * @param port UDP port (base; one per sync thread), 0 for the default
 * @param ttl multicast TTL / hop limit, 0 for the default
 * @param maxLen largest sync message payload, 0 for the default
 */
public record SyncDaemon(
    State state,
    String interfaceName,
    int syncId,
    InetAddress group,
    int port,
    int ttl,
    int maxLen) {

  /** The kernel's defaults (ip_vs.h IP_VS_SYNC_GROUP, IP_VS_SYNC_PORT). */
  public static final String DEFAULT_GROUP = "224.0.0.81";

  public static final int DEFAULT_PORT = 8848;

  /** IP_VS_IFNAME_MAXLEN is 16, NUL included. */
  public static final int MAX_INTERFACE_NAME_BYTES = 15;

  /** IP_VS_STATE_MASTER / IP_VS_STATE_BACKUP, the daemon's IPVS_DAEMON_ATTR_STATE. */
  public enum State {
    MASTER(1),
    BACKUP(2);

    private final int code;

    State(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static Optional<State> fromCode(int code) {
      for (State s : values()) {
        if (s.code == code) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  public SyncDaemon {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(interfaceName, "interfaceName");
    int nameBytes = interfaceName.getBytes(StandardCharsets.UTF_8).length;
    if (nameBytes == 0 || nameBytes > MAX_INTERFACE_NAME_BYTES) {
      throw new IllegalArgumentException(
          "sync daemon interface name must be 1.."
              + MAX_INTERFACE_NAME_BYTES
              + " bytes: "
              + interfaceName);
    }
    if (group != null && !group.isMulticastAddress()) {
      throw new IllegalArgumentException(
          "sync daemon group must be a multicast address: " + group.getHostAddress());
    }
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("sync daemon port out of range: " + port);
    }
    if (ttl < 0 || ttl > 0xff) {
      throw new IllegalArgumentException("sync daemon ttl out of range: " + ttl);
    }
    if (maxLen < 0 || maxLen > 0xffff) {
      throw new IllegalArgumentException("sync daemon maxLen out of range: " + maxLen);
    }
  }

  /** A daemon with the kernel's defaults for everything optional. */
  public static SyncDaemon of(State state, String interfaceName, int syncId) {
    return new SyncDaemon(state, interfaceName, syncId, null, 0, 0, 0);
  }

  public SyncDaemon withGroup(InetAddress group, int port, int ttl) {
    return new SyncDaemon(state, interfaceName, syncId, group, port, ttl, maxLen);
  }

  public SyncDaemon withMaxLen(int maxLen) {
    return new SyncDaemon(state, interfaceName, syncId, group, port, ttl, maxLen);
  }

  public boolean isIpv6Group() {
    return group instanceof Inet6Address;
  }

  public boolean isIpv4Group() {
    return group instanceof Inet4Address;
  }

  /** "master on eth0 syncid 5" for messages. */
  public String describe() {
    return state.name().toLowerCase(java.util.Locale.ROOT)
        + " on "
        + interfaceName
        + " syncid "
        + Integer.toUnsignedString(syncId)
        + (group == null ? "" : " group " + group.getHostAddress())
        + (port == 0 ? "" : " port " + port);
  }
}
