package dev.lvs.agent.election;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which peers' Leases are alive, judged as client-go's leader election judges them: by when this
 * agent last saw a Lease change (its renewal), on this agent's monotonic clock, never by comparing
 * the timestamps another node's clock wrote. A Lease first seen counts as just renewed, so an agent
 * that starts waits a whole lease duration before it treats any peer as gone.
 *
 * <p>Not thread-safe; the elector calls it under its own lock.
 */
public final class Liveness {
  private final long durationNanos;
  private final Map<String, Seen> seen = new HashMap<>();

  private record Seen(String version, long atNanos) {}

  public Liveness(Duration leaseDuration) {
    this.durationNanos = leaseDuration.toNanos();
  }

  /**
   * Records the Lease of {@code node} as read at {@code nowNanos}; {@code version} is what changes
   * on every renewal (its renewTime).
   */
  public void observe(String node, String version, long nowNanos) {
    Seen last = seen.get(node);
    if (last == null || !Objects.equals(last.version, version)) {
      seen.put(node, new Seen(version, nowNanos));
    }
  }

  public void forget(String node) {
    seen.remove(node);
  }

  public boolean live(String node, long nowNanos) {
    Seen s = seen.get(node);
    return s != null && nowNanos - s.atNanos < durationNanos;
  }

  /** When this agent last saw {@code node}'s Lease renewed, or {@link Long#MIN_VALUE}. */
  public long lastSeen(String node) {
    Seen s = seen.get(node);
    return s == null ? Long.MIN_VALUE : s.atNanos;
  }

  /** When the next live Lease will expire if not renewed, or empty when none is live. */
  public OptionalLong nextExpiry(long nowNanos) {
    long next = Long.MAX_VALUE;
    for (Seen s : seen.values()) {
      long expiry = s.atNanos + durationNanos;
      if (expiry > nowNanos && expiry < next) {
        next = expiry;
      }
    }
    return next == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(next);
  }
}
