package dev.lvs.operator.http;

import io.javaoperatorsdk.operator.Operator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What the probes and the informer gauge report.
 *
 * <ul>
 *   <li>Alive ({@code /healthz}, the liveness probe): the process works, i.e. the HTTP server
 *       answers and no threads are deadlocked. Not the informers: an API server that is away for a
 *       minute (a control-plane upgrade) must not make the kubelet restart the leader and the
 *       standby alike; the informers reconnect by themselves.
 *   <li>Ready ({@code /readyz}, the readiness probe, and the {@code lvs_operator_informers_healthy}
 *       gauge): the operator has started and every informer has synced and is watching. A standby
 *       runs its informers too, so it is ready as well.
 * </ul>
 */
public final class Health {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Operator operator;

  public Health(Operator operator) {
    this.operator = operator;
  }

  /** No deadlocked threads (monitors or ownable synchronizers). */
  public static boolean alive() {
    return THREADS.findDeadlockedThreads() == null;
  }

  /** Started, and every event source of every controller is healthy. */
  public boolean informersHealthy() {
    try {
      return operator.getRuntimeInfo().isStarted()
          && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    } catch (RuntimeException e) {
      return false; // not started yet
    }
  }
}
