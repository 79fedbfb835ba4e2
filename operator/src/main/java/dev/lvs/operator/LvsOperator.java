package dev.lvs.operator;

import dev.lvs.operator.agent.AgentDaemonSetReconciler;
import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.events.EventRecorder;
import dev.lvs.operator.http.Health;
import dev.lvs.operator.http.HttpEndpoints;
import dev.lvs.operator.pools.VipPoolReconciler;
import dev.lvs.operator.reconciler.RealServerReconciler;
import dev.lvs.operator.reconciler.VirtualServiceReconciler;
import dev.lvs.operator.status.DeletionGate;
import dev.lvs.operator.status.StatusAggregator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator, assembled: three JOSDK controllers (VirtualService, RealServer, agent DaemonSet)
 * behind one Lease, Micrometer metrics, and the HTTP endpoints. {@link Main} runs it from the
 * command line; tests run it in-process with their own client.
 */
public final class LvsOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LvsOperator.class);

  private final OperatorConfig config;
  private final Operator operator;
  private final PrometheusMeterRegistry registry;
  private final Runnable exitOnLostLeadership;
  private volatile boolean closing;
  private final Health health;
  private HttpEndpoints http;

  /** An operator that, with {@code --exit-on-lost-leadership}, exits the JVM with status 1. */
  public LvsOperator(OperatorConfig config, KubernetesClient client, Clock clock) {
    this(config, client, clock, () -> System.exit(1));
  }

  /**
   * An operator that, with {@code --exit-on-lost-leadership}, calls {@code exitOnLostLeadership}
   * (on a thread of its own) when it loses the Lease; {@link Main} passes its bounded exit.
   */
  public LvsOperator(
      OperatorConfig config, KubernetesClient client, Clock clock, Runnable exitOnLostLeadership) {
    this.config = config;
    this.exitOnLostLeadership = exitOnLostLeadership;
    this.registry = newRegistry();
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (config.leaderElection()) {
                // JOSDK's own exit on lost leadership is off: fabric8 reports the end of leading
                // for a stop too (Operator.stop() cancels the election), and JOSDK then called
                // System.exit(1) from inside the shutdown hook, which blocks forever: a leader
                // never exited on SIGTERM. stoppedLeading() exits only on a real loss.
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace(),
                        config.leaseDuration(),
                        config.renewDeadline(),
                        config.retryPeriod(),
                        config.identity(),
                        new LeaderCallbacks(() -> {}, this::stoppedLeading, leader -> {}),
                        false));
              }
            });
    this.health = new Health(operator);
    Gauge.builder("lvs.operator.informers.healthy", health, h -> h.informersHealthy() ? 1 : 0)
        .description("1 when every informer has synced and is watching, else 0 (as /readyz)")
        .register(registry);
    DeletionGate gate = new DeletionGate(config.deletionTimeout());
    StatusAggregator aggregator = new StatusAggregator(gate);
    EventRecorder events = new EventRecorder(client, config.identity(), clock);
    operator.register(
        new VirtualServiceReconciler(aggregator, gate, events, clock, config.vipPools()),
        o -> requeue(o, config.requeuePeriod()));
    operator.register(
        new RealServerReconciler(aggregator, gate, events, clock),
        o -> requeue(o, config.requeuePeriod()));
    VipPoolReconciler pools = new VipPoolReconciler(config.namespace(), clock);
    operator.register(
        pools,
        o -> requeue(o.withLabelSelector(pools.namespaceSelector()), config.requeuePeriod()));
    AgentDaemonSetReconciler agents =
        new AgentDaemonSetReconciler(config.agent(), config.namespace());
    operator.register(
        agents,
        o -> requeue(o.withLabelSelector(agents.namespaceSelector()), config.requeuePeriod()));
  }

  /**
   * Every primary is reconciled at least once per {@code period}: JOSDK's max reconciliation
   * interval after a reconcile that asked for no reschedule, and a retry that never gives up (JOSDK
   * schedules nothing at all once its default retry, five attempts, is exhausted: not even the
   * rescheduleAfter that a deletion waiting for its deadline relies on), with backoff capped at
   * {@code period}.
   */
  private static <P extends io.fabric8.kubernetes.api.model.HasMetadata> void requeue(
      ControllerConfigurationOverrider<P> o, Duration period) {
    o.withReconciliationMaxInterval(period)
        .withRetry(
            GenericRetry.defaultLimitedExponentialRetry()
                .withoutMaxAttempts()
                .setMaxInterval(period.toMillis()));
  }

  /**
   * The Prometheus registry for JOSDK's meters. JOSDK tags a meter with the resource's API group
   * only when there is one, so the agent DaemonSet controller (primary: Namespace, core group) and
   * the custom-resource controllers register the same meter names with different tag keys, and
   * Prometheus keeps only the first set: whole controllers were missing from {@code /metrics}.
   * Giving core-group meters an empty {@code group} (or {@code resource.group}) tag makes the key
   * sets equal.
   */
  static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("operator.sdk.")) {
                  return id;
                }
                Meter.Id mapped = id;
                // "kind" goes with "group", "resource.kind" with "resource.group".
                for (Tag tag : id.getTagsAsIterable()) {
                  if (tag.getKey().endsWith("kind")) {
                    String group = tag.getKey().substring(0, tag.getKey().length() - 4) + "group";
                    if (id.getTag(group) == null) {
                      mapped = mapped.withTag(Tag.of(group, ""));
                    }
                  }
                }
                return mapped;
              }
            });
    return registry;
  }

  /** Starts the controllers (they reconcile once this replica leads) and the HTTP endpoints. */
  public LvsOperator start() {
    if (config.metricsPort() != 0) {
      try {
        http =
            new HttpEndpoints(
                config.metricsPort(), registry, Health::alive, health::informersHealthy);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on port " + config.metricsPort(), e);
      }
    }
    operator.start();
    log.info(
        "event=operator-started namespace={} identity={} leaderElection={} lease={}/{}"
            + " agentImage={} privileged={}",
        config.namespace(),
        config.identity(),
        config.leaderElection(),
        config.leaseNamespace(),
        config.leaseName(),
        config.agent().image(),
        config.agent().privileged());
    return this;
  }

  /**
   * The end of leading: a lost Lease, or this operator's own stop. A lost Lease ends the process
   * with {@code --exit-on-lost-leadership}, so that two replicas never reconcile at once; the exit
   * runs on a thread of its own, since the shutdown it starts stops the thread calling here.
   */
  private void stoppedLeading() {
    if (closing) {
      return;
    }
    if (!config.exitOnLostLeadership()) {
      log.warn("event=leadership-lost identity={} exit=false", config.identity());
      return;
    }
    log.error(
        "event=leadership-lost identity={} exit=true: exiting so that two replicas never"
            + " reconcile at once",
        config.identity());
    Thread exit = new Thread(exitOnLostLeadership, "lvs-lost-leadership");
    exit.setDaemon(true);
    exit.start();
  }

  /** The port the HTTP endpoints listen on, or -1 when they are disabled. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public Operator operator() {
    return operator;
  }

  public OperatorConfig config() {
    return config;
  }

  @Override
  public void close() {
    closing = true;
    try {
      operator.stop();
    } finally {
      if (http != null) {
        http.close();
      }
      registry.close();
      log.info("event=operator-stopped identity={}", config.identity());
    }
  }
}
