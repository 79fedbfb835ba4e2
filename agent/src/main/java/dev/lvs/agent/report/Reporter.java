package dev.lvs.agent.report;

import dev.lvs.agent.sync.SyncResult;

/**
 * Publishes what a sync did. In Kubernetes mode: the node's entry in each VirtualService's {@code
 * status.nodes} and its RealServers' {@code status.vips}; standalone: a log line.
 */
public interface Reporter {

  /** Called after every sync in which all sources were loaded. Must not throw. */
  void report(SyncResult result);
}
