package dev.lvs.agent.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the sync loop is alive, for {@code /healthz}: some sync must have started or finished
 * (succeeded or failed: a failing sync is retried, a restart would not help it) within the grace
 * period, 3 × the resync period but at least {@link #MIN_GRACE}. A sync running longer than that is
 * taken for hung. Start-up counts as the first event; the first sync may take minutes on big nodes,
 * which the DaemonSet's startupProbe (on {@code /readyz}) covers, not this. With no periodic resync
 * (period 0) nothing needs to happen, so the loop is never stale. Thread-safe.
 */
public final class SyncHealth {
  public static final Duration MIN_GRACE = Duration.ofMinutes(1);

  private final Clock clock;
  private final Duration grace;
  private volatile Instant last;
  private volatile String lastWhat = "start-up";

  public SyncHealth(Clock clock, Duration resyncPeriod) {
    this.clock = clock;
    Duration three = resyncPeriod.multipliedBy(3);
    this.grace = resyncPeriod.isZero() ? Duration.ZERO : max(three, MIN_GRACE);
    this.last = clock.instant();
  }

  /** How long the loop may go without a sync starting or finishing; zero: forever. */
  public Duration grace() {
    return grace;
  }

  public void syncStarted() {
    mark("the running sync started");
  }

  public void syncFinished() {
    mark("the last sync finished");
  }

  private synchronized void mark(String what) {
    last = clock.instant();
    lastWhat = what;
  }

  /** Why the loop looks dead, or empty when it is alive. */
  public synchronized Optional<String> problem() {
    if (grace.isZero()) {
      return Optional.empty();
    }
    Duration since = Duration.between(last, clock.instant());
    if (since.compareTo(grace) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "no sync started or finished for "
            + since.toSeconds()
            + " s since "
            + lastWhat
            + " (limit "
            + grace.toSeconds()
            + " s)");
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
