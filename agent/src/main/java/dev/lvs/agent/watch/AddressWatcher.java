package dev.lvs.agent.watch;

import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkSocket;
import dev.lvs.agent.netlink.NetlinkTransport;
import dev.lvs.agent.netlink.rtnl.Rtnl;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the kernel's address notifications (rtnetlink groups RTNLGRP_IPV4_IFADDR and
 * RTNLGRP_IPV6_IFADDR) and calls {@code onChange} for each datagram with an RTM_NEWADDR or
 * RTM_DELADDR, and on a receive overrun (ENOBUFS: notifications were lost, so anything may have
 * changed). The caller coalesces: a VIP removed by NetworkManager or networkd is then restored by
 * the next sync, at most {@code --min-sync-interval} later, instead of at the next resync. The
 * agent's own changes notify it too; a sync that finds nothing to do costs one address dump.
 */
public final class AddressWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AddressWatcher.class);

  /** How often the blocked receive wakes up to see whether it should stop. */
  static final Duration POLL = Duration.ofSeconds(1);

  private final NetlinkTransport socket;
  private final Runnable onChange;
  private final Thread thread;
  private volatile boolean closed;

  AddressWatcher(NetlinkTransport socket, Runnable onChange) {
    this.socket = socket;
    this.onChange = onChange;
    this.thread = new Thread(this::loop, "lvs-addr-watch");
    thread.setDaemon(true);
  }

  /** Opens a subscribed socket and starts listening. */
  public static AddressWatcher start(Runnable onChange) throws IOException {
    NetlinkSocket s =
        NetlinkSocket.open(
            NetlinkSocket.NETLINK_ROUTE, NetlinkSocket.Options.defaults().withReceiveTimeout(POLL));
    try {
      s.joinGroup(Rtnl.RTNLGRP_IPV4_IFADDR);
      s.joinGroup(Rtnl.RTNLGRP_IPV6_IFADDR);
    } catch (NetlinkException e) {
      s.close();
      throw e;
    }
    AddressWatcher w = new AddressWatcher(s, onChange);
    w.thread.start();
    log.info("watch: address changes (rtnetlink IPv4 and IPv6 ifaddr groups) trigger a sync");
    return w;
  }

  private void loop() {
    while (!closed) {
      try {
        ByteBuffer datagram = socket.receive();
        if (isAddressChange(datagram)) {
          onChange.run();
        }
      } catch (NetlinkException e) {
        if (closed) {
          return;
        }
        if (e.errno() == NetlinkException.EAGAIN) {
          continue; // no notification within POLL
        }
        if (e.errno() == NetlinkException.ENOBUFS) {
          log.info("watch: address notifications were lost (ENOBUFS); syncing");
          onChange.run();
          continue;
        }
        log.warn(
            "watch: address notifications stopped: {}; the periodic resync remains",
            e.getMessage());
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          log.warn("watch: bad address notification ignored: {}", e.toString());
        }
      }
    }
  }

  /** Whether a datagram carries an address added or removed. */
  static boolean isAddressChange(ByteBuffer datagram) throws IOException {
    for (NetlinkMessage m : NetlinkMessage.parseAll(datagram)) {
      if (m.type() == Rtnl.RTM_NEWADDR || m.type() == Rtnl.RTM_DELADDR) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(POLL.multipliedBy(3).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }
}
