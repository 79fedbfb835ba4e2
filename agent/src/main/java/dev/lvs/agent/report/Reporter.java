package dev.lvs.agent.report;

import dev.lvs.agent.sync.SyncResult;

/**
 * Publishes what a sync did. In Kubernetes mode: the node's entry in each VirtualService's {@code
 * status.nodes} and its RealServers' {@code status.vips}; standalone: a log line.
 */
public interface Reporter {

  /**
   * Called on the sync thread after every sync in which all sources were loaded. Must neither throw
   * nor wait for the network.
   */
  void report(SyncResult result);

  /**
   * Waits until what was reported has been published, at most {@code timeout}; false if it has not
   * been. For {@code run --once}, which exits right after its sync.
   */
  default boolean flush(java.time.Duration timeout) throws InterruptedException {
    return true;
  }

  /** Stops any background work. Must not throw. */
  default void close() {}
}
