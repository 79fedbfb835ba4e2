package dev.lvs.agent.cli;

import dev.lvs.agent.announce.Announcer;
import dev.lvs.agent.election.DirectorElection;
import dev.lvs.agent.election.ElectionMetrics;
import dev.lvs.agent.election.HeldVips;
import dev.lvs.agent.election.LeaseElector;
import dev.lvs.agent.election.SyncDaemons;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.report.AgentHttpServer;
import dev.lvs.agent.report.IpvsMetrics;
import dev.lvs.agent.report.KubernetesStatusReporter;
import dev.lvs.agent.report.LogReporter;
import dev.lvs.agent.report.OwnedObjectsReporter;
import dev.lvs.agent.report.Reporter;
import dev.lvs.agent.report.SyncHealth;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.source.KubernetesSource;
import dev.lvs.agent.source.ManifestSource;
import dev.lvs.agent.source.Source;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.state.Problem;
import dev.lvs.agent.state.StateDirectoryLock;
import dev.lvs.agent.sync.Adoption;
import dev.lvs.agent.sync.Applier;
import dev.lvs.agent.sync.ApplyResult;
import dev.lvs.agent.sync.KernelReader;
import dev.lvs.agent.sync.Plan;
import dev.lvs.agent.sync.Planner;
import dev.lvs.agent.sync.SyncResult;
import dev.lvs.agent.sync.SyncRunner;
import dev.lvs.agent.sync.Syncer;
import dev.lvs.agent.sysctl.Sysctls;
import dev.lvs.agent.watch.AddressWatcher;
import dev.lvs.operator.util.BoundedShutdown;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the agent's commands against the real kernel and, unless --manifests, the API server. */
public final class Agent {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  static final Duration ONCE_LOAD_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How often the sysctls the agent set are compared with /proc/sys (a handful of reads): a {@code
   * sysctl --system} that resets arp_ignore is repaired within this plus the minimum sync interval.
   * /proc/sys has no change notification (inotify sees nothing there), hence the poll.
   */
  static final Duration SYSCTL_CHECK_PERIOD = Duration.ofSeconds(2);

  private Agent() {}

  /** {@code run --once}: one sync; 0 when everything desired was applied. */
  public static int runOnce(RunOptions o, PrintStream err) throws IOException {
    try (Resources r = Resources.open(o)) {
      r.source.start(() -> {});
      long deadline = System.nanoTime() + ONCE_LOAD_TIMEOUT.toNanos();
      while (!r.source.hasSynced()
          && System.nanoTime() < deadline
          && r.source.problems().isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
      if (!r.source.hasSynced()) {
        err.println(
            "lvs-agent: "
                + r.source.describe()
                + " did not fully load; synced without removing anything");
        r.source.problems().forEach(p -> err.println("  " + p));
      }
      SyncResult result = r.syncer(o).sync();
      try {
        if (!r.reporter.flush(ONCE_LOAD_TIMEOUT)) {
          err.println("lvs-agent: not every status write was made before exiting");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<String> problems = new ArrayList<>(r.source.problems());
      result.problems().stream().map(Problem::toString).forEach(problems::add);
      if (!problems.isEmpty() || !r.source.hasSynced()) {
        err.println("lvs-agent: the sync did not apply everything:");
        problems.forEach(p -> err.println("  " + p));
        return 1;
      }
      return 0;
    }
  }

  /** The lock on the state directory of {@code run}, held until the process ends. */
  private static volatile StateDirectoryLock stateLock;

  /** The shutdown of {@code run}, once its hook is installed. */
  private static volatile BoundedShutdown shutdown;

  /** Exits the JVM with {@code status}; the shutdown hook, if any, keeps it. */
  public static void exit(int status) {
    BoundedShutdown s = shutdown;
    if (s != null) {
      s.exit(status);
    } else {
      System.exit(status);
    }
  }

  /**
   * {@code run}: syncs until SIGTERM, then leaves the data plane in place and exits 0, within
   * {@code --shutdown-timeout} whatever the API server does (the status reporter and the informers
   * may wait for it). The JVM halts only between two syncs' kernel work: a sync that has begun
   * changing the kernel finishes its changes and writes owned.json first, which needs no API
   * server, so nothing it created goes unrecorded.
   */
  public static int runForever(RunOptions o) throws IOException {
    Resources r = Resources.open(o);
    Syncer syncer = r.syncer(o);
    SyncHealth health = new SyncHealth(Clock.systemUTC(), o.resyncPeriod());
    SyncRunner runner =
        new SyncRunner(
            (SyncRunner.ResyncAwareAction)
                full -> {
                  health.syncStarted();
                  try {
                    syncer.sync(full);
                  } finally {
                    health.syncFinished();
                  }
                },
            o.minSyncInterval(),
            o.resyncPeriod());
    AgentHttpServer http = null;
    if (o.metricsPort() > 0) {
      http =
          AgentHttpServer.start(
              o.metricsAddress(),
              o.metricsPort(),
              syncer::isReady,
              health::problem,
              r.metrics,
              r.ipvsMetrics,
              r.elector == null ? null : r.electionMetrics);
    }
    AgentHttpServer httpServer = http;
    AddressWatcher watcher = null;
    try {
      watcher =
          AddressWatcher.start(
              () -> {
                syncer.interfacesChanged();
                runner.trigger();
              });
    } catch (IOException e) {
      log.warn(
          "watch: cannot subscribe to address changes ({}); drift is found by the resync only",
          e.getMessage());
    }
    AddressWatcher addressWatcher = watcher;
    ScheduledExecutorService sysctlCheck =
        Executors.newSingleThreadScheduledExecutor(
            t -> {
              Thread th = new Thread(t, "lvs-sysctl-check");
              th.setDaemon(true);
              return th;
            });
    sysctlCheck.scheduleWithFixedDelay(
        () -> {
          try {
            if (syncer.sysctlsDrifted(r.sysctls)) {
              runner.trigger();
            }
          } catch (RuntimeException e) {
            log.warn("sysctl check failed: {}", e.toString());
          }
        },
        SYSCTL_CHECK_PERIOD.toMillis(),
        SYSCTL_CHECK_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
    BoundedShutdown s =
        new BoundedShutdown(
            "lvs-agent",
            o.shutdownTimeout(),
            status -> {
              synchronized (r.kernelLock) {
                log.info(
                    "stopped: the data plane is left as it is (VIPs, IPVS services, sysctls);"
                        + " run \"lvs-agent cleanup\" to remove them");
                Runtime.getRuntime().halt(status);
              }
            });
    List<BoundedShutdown.Step> steps = new ArrayList<>();
    steps.add(
        new BoundedShutdown.Step(
            "the sources",
            () -> {
              log.info("stopping: finishing the current sync, then exiting");
              r.source.close();
            }));
    steps.add(new BoundedShutdown.Step("the sysctl check", sysctlCheck::shutdownNow));
    if (addressWatcher != null) {
      steps.add(new BoundedShutdown.Step("the address watch", addressWatcher::close));
    }
    steps.add(new BoundedShutdown.Step("the sync loop (waits for a running sync)", runner::close));
    if (httpServer != null) {
      steps.add(new BoundedShutdown.Step("the HTTP endpoints", httpServer::close));
    }
    steps.add(new BoundedShutdown.Step("the netlink sockets and the Kubernetes client", r::close));
    s.install(steps);
    shutdown = s;
    r.wake.set(runner::trigger);
    r.source.start(runner::trigger);
    if (r.elector != null) {
      r.elector.start();
    }
    runner.start();
    // The shutdown hook ends the process.
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** {@code cleanup}: removes everything owned; 0 when all of it is gone. */
  public static int cleanup(java.nio.file.Path stateDir, PrintStream err) throws IOException {
    try (StateDirectoryLock lock = StateDirectoryLock.acquire(stateDir, "cleanup")) {
      return cleanupLocked(stateDir, err);
    }
  }

  private static int cleanupLocked(java.nio.file.Path stateDir, PrintStream err)
      throws IOException {
    OwnershipStore store = OwnershipStore.open(stateDir);
    if (store.current().isEmpty()) {
      log.info("cleanup: {} records nothing; nothing to do", store.file());
      return 0;
    }
    IpvsClient ipvs = KernelFactory.ipvs();
    try (AddressClient addresses = KernelFactory.addresses();
        IpvsClient closeIpvs = ipvs) {
      Sysctls sysctls = KernelFactory.sysctls();
      KernelReader reader = new KernelReader(ipvs, addresses, sysctls);
      Ownership owned = store.current();
      ActualState actual = reader.read(reader.interfaces(), DesiredState.EMPTY, owned);
      // What a killed run was creating is removed too, if the kernel holds it as it was asked for.
      Adoption.resolve(owned, actual).forEach(line -> log.info("cleanup: {}", line));
      Plan plan = Planner.diff(DesiredState.EMPTY, actual, owned);
      ApplyResult result = new Applier(ipvs, addresses, sysctls).apply(plan, owned);
      store.save(result.ownership());
      if (!result.failures().isEmpty()) {
        err.println("lvs-agent cleanup: " + result.failures().size() + " change(s) failed:");
        result
            .failures()
            .forEach(f -> err.println("  " + f.step().describe() + ": " + f.message()));
        return 1;
      }
      log.info(
          "cleanup: removed {} object(s); {} is now empty", result.applied().size(), store.file());
      return 0;
    }
  }

  /** The clients, store and source of one agent process. */
  private static final class Resources implements AutoCloseable {
    final IpvsClient ipvs;
    final AddressClient addresses;
    final Sysctls sysctls;
    final OwnershipStore store;
    final Source source;
    final Reporter reporter;
    final KubernetesClient kube;
    final SyncMetrics metrics = new SyncMetrics();
    final IpvsMetrics ipvsMetrics;
    final Object kernelLock = new Object();
    final ElectionMetrics electionMetrics = new ElectionMetrics();

    /** What wakes the sync loop; set once the loop exists. */
    final AtomicReference<Runnable> wake = new AtomicReference<>(() -> {});

    /** The director election; null without one (manifests, --director-election Off). */
    LeaseElector elector;

    /** Gratuitous ARP for VIPs a director takes; null without an election. */
    Announcer announcer;

    private Resources(
        IpvsClient ipvs,
        AddressClient addresses,
        Sysctls sysctls,
        OwnershipStore store,
        Source source,
        Reporter reporter,
        KubernetesClient kube) {
      this.ipvs = ipvs;
      this.addresses = addresses;
      this.sysctls = sysctls;
      this.store = store;
      this.source = source;
      this.reporter = reporter;
      this.kube = kube;
      this.ipvsMetrics = new IpvsMetrics(store::current);
    }

    static Resources open(RunOptions o) throws IOException {
      // Held until the process ends (the kernel releases it then, however it ends); referenced,
      // so that the collector never closes its file.
      stateLock = StateDirectoryLock.acquire(o.stateDir(), o.once() ? "run --once" : "run");
      OwnershipStore store = OwnershipStore.open(o.stateDir());
      IpvsClient ipvs = KernelFactory.ipvs();
      AddressClient addresses = KernelFactory.addresses();
      Sysctls sysctls = KernelFactory.sysctls();
      KubernetesClient kube = null;
      Source source;
      Reporter reporter;
      if (o.manifests().isPresent()) {
        source = new ManifestSource(o.manifests().get());
        reporter = new LogReporter();
      } else {
        kube = new KubernetesClientBuilder().build();
        source = new KubernetesSource(kube, o.vipPools(), o.nodeName());
        reporter =
            OwnedObjectsReporter.both(
                new KubernetesStatusReporter(kube, o.nodeName(), Clock.systemUTC()),
                new OwnedObjectsReporter(kube, o.nodeName(), store));
      }
      Resources r = new Resources(ipvs, addresses, sysctls, store, source, reporter, kube);
      if (kube != null && o.election().enabled() && !o.once()) {
        r.elector =
            new LeaseElector(
                kube,
                o.nodeName(),
                o.election(),
                () -> r.wake.get().run(),
                r.electionMetrics,
                new HeldVips());
        r.announcer = Announcer.arp(Announcer.DEFAULT_COUNT, Announcer.DEFAULT_INTERVAL);
        r.closeLater(r.announcer);
        // Lifetime refreshes come from the renewal thread: a socket of their own.
        AddressClient refresher = KernelFactory.addresses();
        r.closeLater(refresher);
        r.elector.lifetimes(
            (a, seconds) ->
                refresher.setLifetime(
                    new IfAddress(a.linkIndex(), a.address(), a.prefixLength(), a.label()),
                    seconds));
        if (o.syncDaemon().enabled()) {
          r.elector.syncDaemons(new SyncDaemons(ipvs, o.syncDaemon(), r.electionMetrics));
        }
      }
      log.info(
          "lvs-agent starting: node {}, objects from {}, state in {}, director election {}",
          o.nodeName(),
          source.describe(),
          store.file(),
          r.elector == null
              ? "off (every director holds every VIP it serves)"
              : "on (Leases in namespace " + o.election().namespace() + ")");
      return r;
    }

    Syncer syncer(RunOptions o) {
      return new Syncer(
          o.nodeName(),
          o.settings(),
          source,
          new KernelReader(ipvs, addresses, sysctls, ipvsMetrics),
          new Applier(ipvs, addresses, sysctls)
              .withElection(elector == null ? DirectorElection.NONE : elector)
              .withAnnouncer(announcer),
          store,
          reporter,
          metrics,
          kernelLock,
          Clock.systemUTC(),
          elector == null ? DirectorElection.NONE : elector);
    }

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    void closeLater(AutoCloseable c) {
      closeLater.add(c);
    }

    @Override
    public void close() {
      if (elector != null) {
        elector.close();
      }
      for (AutoCloseable c : closeLater) {
        try {
          c.close();
        } catch (Exception e) {
          log.debug("close: {}", e.toString());
        }
      }
      source.close();
      reporter.close();
      ipvs.close();
      addresses.close();
      if (kube != null) {
        kube.close();
      }
    }
  }
}
