package dev.lvs.agent.election;

import java.time.Duration;
import java.util.Objects;

/**
 * How directors elect the active one per VIP.
 *
 * @param enabled false: every director holds every VIP it serves (single-director deployments and
 *     standalone agents, as before HA)
 * @param leaseDuration how long a director's Lease stays valid after a renewal; a peer takes over
 *     this long after the last renewal it saw, and a director whose renewals fail gives up its VIPs
 *     (the kernel removes them, by their address lifetime) before then
 * @param renewInterval how often a director renews its Lease
 * @param rebalanceAfter how long a director's Lease must have been held without a break before the
 *     assignment counts it again for VIPs that other directors hold: the no-preemption window after
 *     a restart or recovery ({@link Duration#ZERO}: preempt at once)
 * @param namespace the namespace of the Leases (the agents' namespace)
 */
public record ElectionSettings(
    boolean enabled,
    Duration leaseDuration,
    Duration renewInterval,
    Duration rebalanceAfter,
    String namespace) {
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(3);
  public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_REBALANCE_AFTER = Duration.ofMinutes(10);

  /**
   * VIP address lifetimes are whole seconds and the kernel removes an address a little late: below
   * this, a renewal would leave no second of lifetime to give.
   */
  public static final Duration MIN_LEASE_DURATION = Duration.ofSeconds(2);

  public static final ElectionSettings DISABLED =
      new ElectionSettings(
          false,
          DEFAULT_LEASE_DURATION,
          DEFAULT_RENEW_INTERVAL,
          DEFAULT_REBALANCE_AFTER,
          "lvs-system");

  public ElectionSettings {
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewInterval, "renewInterval");
    Objects.requireNonNull(rebalanceAfter, "rebalanceAfter");
    Objects.requireNonNull(namespace, "namespace");
    if (leaseDuration.compareTo(MIN_LEASE_DURATION) < 0) {
      throw new IllegalArgumentException(
          "--director-lease-duration "
              + leaseDuration.toMillis()
              + "ms is below the minimum "
              + MIN_LEASE_DURATION.toSeconds()
              + "s (VIP address lifetimes are whole seconds)");
    }
    if (renewInterval.isZero()
        || renewInterval.isNegative()
        || renewInterval.multipliedBy(3).compareTo(leaseDuration) > 0) {
      throw new IllegalArgumentException(
          "--director-renew-interval "
              + renewInterval.toMillis()
              + "ms must be positive and at most a third of --director-lease-duration ("
              + leaseDuration.toMillis()
              + "ms), so that a lost renewal does not end the lease");
    }
    if (rebalanceAfter.isNegative()) {
      throw new IllegalArgumentException("--director-rebalance-after must not be negative");
    }
  }

  public static ElectionSettings enabled(
      Duration leaseDuration, Duration renewInterval, Duration rebalanceAfter, String namespace) {
    return new ElectionSettings(true, leaseDuration, renewInterval, rebalanceAfter, namespace);
  }
}
