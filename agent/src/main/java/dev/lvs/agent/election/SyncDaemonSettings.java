package dev.lvs.agent.election;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The kernel's IPVS connection sync daemons on an electing director.
 *
 * @param enabled whether the agent runs them
 * @param interfaceName the multicast interface; empty: the one holding the node's IPv4 InternalIP
 * @param syncId 0-255; 0 makes a backup accept every syncid
 * @param group the multicast group; empty: the kernel's default (224.0.0.81)
 * @param port the UDP port; 0: the kernel's default (8848)
 */
public record SyncDaemonSettings(
    boolean enabled,
    Optional<String> interfaceName,
    int syncId,
    Optional<InetAddress> group,
    int port) {
  public static final SyncDaemonSettings DISABLED =
      new SyncDaemonSettings(false, Optional.empty(), 0, Optional.empty(), 0);
}
