package dev.lvs.agent.announce;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the segment that a VIP moved here: a burst of gratuitous ARPs (a request and a reply each
 * time) when a director starts holding an IPv4 VIP, {@code count} times {@code interval} apart, as
 * keepalived's {@code garp_master_repeat} does, so that one lost frame does not leave clients on
 * the old director's MAC. Never blocks the caller (a daemon thread sends) and never throws into it:
 * errors (no CAP_NET_RAW, an interface gone) are logged with the interface and VIP. A burst is
 * cancelled when the VIP is dropped. IPv6 VIPs get no unsolicited Neighbour Advertisement yet:
 * their clients find the new director when their neighbour entry is probed again.
 */
public final class Announcer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Announcer.class);

  /** Sends one announcement; a seam for tests. */
  public interface Sender {
    void send(int ifindex, String ifname, InetAddress vip) throws Exception;
  }

  public static final int DEFAULT_COUNT = 5;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

  private final Sender sender;
  private final int count;
  private final Duration interval;
  private final ScheduledExecutorService timer;
  private final Map<InetAddress, List<ScheduledFuture<?>>> bursts = new ConcurrentHashMap<>();

  public Announcer(Sender sender, int count, Duration interval) {
    this.sender = sender;
    this.count = count;
    this.interval = interval;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lvs-announce");
              t.setDaemon(true);
              return t;
            });
  }

  /** Gratuitous ARP through an AF_PACKET socket per send. */
  public static Announcer arp(int count, Duration interval) {
    return new Announcer(Announcer::sendArp, count, interval);
  }

  static void sendArp(int ifindex, String ifname, InetAddress vip) throws Exception {
    if (!(vip instanceof Inet4Address v4)) {
      return;
    }
    try (PacketSocket s = PacketSocket.open(ifindex, ifname)) {
      s.sendBroadcast(ArpFrames.gratuitous(ArpFrames.REQUEST, s.mac(), v4));
      s.sendBroadcast(ArpFrames.gratuitous(ArpFrames.REPLY, s.mac(), v4));
    }
  }

  /** Starts a burst for {@code vip}, just added on {@code ifname}; replaces one still running. */
  public void announce(int ifindex, String ifname, InetAddress vip) {
    if (count <= 0) {
      return;
    }
    cancel(vip);
    List<ScheduledFuture<?>> burst = new java.util.concurrent.CopyOnWriteArrayList<>();
    bursts.put(vip, burst);
    for (int i = 0; i < count; i++) {
      boolean first = i == 0;
      burst.add(
          timer.schedule(
              () -> sendOnce(ifindex, ifname, vip, first, burst),
              i * interval.toMillis(),
              TimeUnit.MILLISECONDS));
    }
  }

  private void sendOnce(
      int ifindex, String ifname, InetAddress vip, boolean first, List<ScheduledFuture<?>> burst) {
    // A burst cancelled (the VIP dropped) or replaced must not announce: this director may no
    // longer hold the VIP, and a stale announcement would pull clients back to it.
    synchronized (this) {
      if (bursts.get(vip) != burst) {
        return;
      }
      sendLocked(ifindex, ifname, vip, first);
    }
  }

  private void sendLocked(int ifindex, String ifname, InetAddress vip, boolean first) {
    try {
      sender.send(ifindex, ifname, vip);
      if (first) {
        log.info(
            "announce: gratuitous ARP for {} on {} ({} times, {} ms apart)",
            vip.getHostAddress(),
            ifname,
            count,
            interval.toMillis());
      }
    } catch (Exception e) {
      log.warn(
          "announce: cannot send gratuitous ARP for {} on {}: {}",
          vip.getHostAddress(),
          ifname,
          e.getMessage());
    }
  }

  /**
   * Stops the burst for a VIP about to be dropped; once it returns, no announcement of it is sent
   * (call it before removing the address).
   */
  public synchronized void cancel(InetAddress vip) {
    List<ScheduledFuture<?>> burst = bursts.remove(vip);
    if (burst != null) {
      burst.forEach(f -> f.cancel(false));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
