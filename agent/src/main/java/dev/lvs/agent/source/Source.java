package dev.lvs.agent.source;

import dev.lvs.agent.pools.PoolEnforcement;
import java.io.IOException;
import java.util.List;

/** Where the agent's VirtualServices, RealServers and Nodes come from. */
public interface Source extends AutoCloseable {

  /** Starts loading and watching; {@code onChange} is called (from any thread) on every change. */
  void start(Runnable onChange) throws IOException;

  /**
   * Whether everything has been loaded at least once (informers synced, every manifest read): until
   * then the agent never prunes.
   */
  boolean hasSynced();

  /** The current objects. */
  Snapshot snapshot();

  /** Problems with the input itself, e.g. malformed manifest files; empty when none. */
  default List<String> problems() {
    return List.of();
  }

  /** What agents do with VIPs in no VipPool: only the Kubernetes API has pools. */
  default PoolEnforcement poolEnforcement() {
    return PoolEnforcement.OFF;
  }

  /** For logs: "Kubernetes API" or "manifests in /etc/lvs". */
  String describe();

  @Override
  void close();
}
