package dev.lvs.agent.cli;

import dev.lvs.agent.election.ElectionSettings;
import dev.lvs.agent.election.SyncDaemonSettings;
import dev.lvs.agent.pools.PoolEnforcement;
import dev.lvs.agent.state.AgentSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The options of {@code lvs-agent run}. */
public record RunOptions(
    String nodeName,
    Optional<Path> manifests,
    boolean once,
    Path stateDir,
    Optional<String> directorInterface,
    Duration resyncPeriod,
    Duration minSyncInterval,
    Optional<Integer> expireNodestConn,
    Optional<Integer> expireQuiescentTemplate,
    Optional<Integer> connReuseMode,
    InetAddress metricsAddress,
    int metricsPort,
    Duration shutdownTimeout,
    PoolEnforcement vipPools,
    ElectionSettings election,
    SyncDaemonSettings syncDaemon) {

  public AgentSettings settings() {
    return new AgentSettings(
        directorInterface, expireNodestConn, expireQuiescentTemplate, connReuseMode);
  }
}
