package dev.lvs.operator.config;

import java.time.Duration;

/**
 * The operator's whole configuration, from flags, environment and an optional config file (see
 * {@link OperatorOptions}).
 *
 * @param namespace where the operator runs, the agent DaemonSet lives and (by default) the Lease
 * @param agent the agent DaemonSet
 * @param deletionTimeout how long a deleted object waits for the agents to clean up
 * @param requeuePeriod the longest time between two reconciles of an object, and between two
 *     retries of a failing reconcile (which never stop)
 * @param metricsPort port of /metrics, /healthz and /readyz; 0 disables the endpoint, -1 picks a
 *     free port (tests)
 * @param leaderElection whether to elect a leader through a Lease (off only for single-replica
 *     development runs)
 * @param leaseName the Lease's name
 * @param leaseNamespace the Lease's namespace
 * @param identity this replica's identity in the Lease (the pod name)
 * @param leaseDuration how long a Lease is valid without renewal
 * @param renewDeadline how long the leader retries renewing before giving up
 * @param retryPeriod how often candidates retry
 * @param exitOnLostLeadership exit the process when leadership is lost (safe default)
 * @param shutdownTimeout how long the orderly stop on SIGTERM may take before the process exits
 *     anyway
 * @param vipPools Enforce, Warn or Off: whether a VIP in no admitting VipPool makes its
 *     VirtualService not Ready (Enforce) or only Degraded (Warn), or pools are not looked at
 */
public record OperatorConfig(
    String namespace,
    AgentConfig agent,
    Duration deletionTimeout,
    Duration requeuePeriod,
    int metricsPort,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean exitOnLostLeadership,
    Duration shutdownTimeout,
    String vipPools) {

  /** The field manager of every write the operator makes. */
  public static final String FIELD_MANAGER = "lvs-operator";
}
