package dev.lvs.agent.election;

import dev.lvs.agent.election.DirectorRoles.Role;
import dev.lvs.agent.election.DirectorRoles.VipRole;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's counters and the log of role changes: this director's role per VIP, takeovers
 * (failovers to this director) in total, how long the last one took from the previous holder's last
 * renewal that this agent saw, and Lease renewals.
 */
public final class ElectionMetrics {
  private static final Logger log = LoggerFactory.getLogger(ElectionMetrics.class);

  private final AtomicLong failovers = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong renewFailures = new AtomicLong();
  private volatile double lastFailoverSeconds = Double.NaN;
  private volatile Map<String, Role> roles = Map.of();
  private volatile Map<String, Boolean> syncDaemons = Map.of();

  /** The sync daemons' states as the last check found them: "master"/"backup" to running. */
  public void syncDaemons(Map<String, Boolean> running) {
    syncDaemons = Map.copyOf(running);
  }

  public Map<String, Boolean> syncDaemons() {
    return syncDaemons;
  }

  void renewed() {
    renewals.incrementAndGet();
  }

  void renewFailed() {
    renewFailures.incrementAndGet();
  }

  /**
   * Records the roles of a decision against the previous one: a VIP this director now holds, that
   * was chosen for another director before, is a failover to this one.
   */
  void roles(
      DirectorRoles before, DirectorRoles after, String self, Function<String, Duration> seenAgo) {
    Map<String, Role> now = new TreeMap<>();
    after
        .byVip()
        .forEach(
            (vip, r) -> {
              now.put(vip, r.role());
              VipRole was = before.of(vip).orElse(null);
              if (was != null && was.role() != r.role()) {
                log.info("election: VIP {}: {} -> {} ({})", vip, was.role(), r.role(), r.reason());
              }
              if (r.role() == Role.ACTIVE
                  && was != null
                  && was.role() != Role.ACTIVE
                  && was.active() != null
                  && !was.active().equals(self)) {
                failovers.incrementAndGet();
                lastFailoverSeconds = seenAgo.apply(was.active()).toMillis() / 1000.0;
                log.info(
                    "election: took over VIP {} from {} ({} s after its last renewal seen here)",
                    vip,
                    was.active(),
                    lastFailoverSeconds);
              }
            });
    roles = now;
  }

  public Map<String, Role> roles() {
    return roles;
  }

  public long failovers() {
    return failovers.get();
  }

  public double lastFailoverSeconds() {
    return lastFailoverSeconds;
  }

  public long renewals() {
    return renewals.get();
  }

  public long renewFailures() {
    return renewFailures.get();
  }
}
