package dev.lvs.agent.sync;

import dev.lvs.agent.election.DirectorElection;
import dev.lvs.agent.election.DirectorRoles;
import dev.lvs.agent.report.Reporter;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.source.Source;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.DirectorInterfaces;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.OwnershipStore;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync: {@code desired = compute(snapshot)}, {@code actual = read()}, adopt what an interrupted
 * apply created ({@link Adoption}), {@code plan = diff(desired, actual, owned)}, record what the
 * plan will create (write-ahead), {@code apply(plan)}, record ownership, report. Always the whole
 * node, never "what the event touched". Until every source has loaded, removals are held back.
 * {@code actual} is read from the kernel on a full resync and from a {@link KernelCache} otherwise.
 */
public final class Syncer {
  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  private final String nodeName;
  private final AgentSettings settings;
  private final Source source;
  private final KernelReader reader;
  private final Applier applier;
  private final OwnershipStore store;
  private final Reporter reporter;
  private final SyncMetrics metrics;
  private final Object kernelLock;
  private final Clock clock;
  private final DirectorElection election;
  private volatile boolean ready;
  private KernelCache cache; // guarded by kernelLock
  private volatile boolean lastReadKernel;
  private boolean warnedNotLoaded;
  private final java.util.concurrent.atomic.AtomicBoolean interfacesChanged =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean sysctlsChanged =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** The sysctl values as the last sync left them (what the sysctl check compares against). */
  private volatile java.util.Map<String, java.util.Optional<String>> sysctlsAfterSync =
      java.util.Map.of();

  public Syncer(
      String nodeName,
      AgentSettings settings,
      Source source,
      KernelReader reader,
      Applier applier,
      OwnershipStore store,
      Reporter reporter,
      SyncMetrics metrics,
      Object kernelLock,
      Clock clock) {
    this(
        nodeName,
        settings,
        source,
        reader,
        applier,
        store,
        reporter,
        metrics,
        kernelLock,
        clock,
        DirectorElection.NONE);
  }

  /**
   * @param election decides which director VIPs this node holds ({@link DirectorElection#NONE}: all
   *     it serves)
   */
  public Syncer(
      String nodeName,
      AgentSettings settings,
      Source source,
      KernelReader reader,
      Applier applier,
      OwnershipStore store,
      Reporter reporter,
      SyncMetrics metrics,
      Object kernelLock,
      Clock clock,
      DirectorElection election) {
    this.election = election;
    this.nodeName = nodeName;
    this.settings = settings;
    this.source = source;
    this.reader = reader;
    this.applier = applier;
    this.store = store;
    this.reporter = reporter;
    this.metrics = metrics;
    this.kernelLock = kernelLock;
    this.clock = clock;
  }

  /**
   * Runs one sync, reading the whole kernel. Throws only when it could not complete (the kernel or
   * state file failed).
   */
  public SyncResult sync() throws IOException {
    return sync(true);
  }

  /**
   * Runs one sync. With {@code fullResync} (startup, the periodic resync) it reads the kernel;
   * without (a change event) it diffs against the cached view of the kernel, the last full read
   * plus the steps applied since, when there is one. A failed step or any error drops the cache, so
   * the next sync reads the kernel again.
   */
  public SyncResult sync(boolean fullResync) throws IOException {
    long start = System.nanoTime();
    Instant now = clock.instant();
    try {
      boolean loaded = source.hasSynced();
      Snapshot snapshot = source.snapshot();
      SyncResult result;
      synchronized (kernelLock) {
        Ownership owned = store.current();
        // Intents left by an interrupted apply are resolved against a fresh read of the kernel.
        boolean adopting = !owned.intents().isEmpty();
        KernelCache cached = fullResync || adopting ? null : cache;
        cache = null; // until this sync has completed without a failure
        boolean rereadInterfaces = interfacesChanged.getAndSet(false);
        boolean rereadSysctls = sysctlsChanged.getAndSet(false);
        if (cached != null && rereadInterfaces) {
          cached.replaceInterfaces(reader.interfaces());
        }
        if (cached != null && rereadSysctls) {
          cached.replaceSysctls(reader.sysctls(cached.sysctls().keySet()));
        }
        KernelReader.Interfaces interfaces =
            cached != null ? cached.interfaces() : reader.interfaces();
        HostInterfaces hostInterfaces =
            HostInterfaces.from(interfaces.links(), interfaces.addresses());
        DirectorRoles roles =
            election.roles(
                snapshot,
                heldNow(owned, hostInterfaces),
                DirectorInterfaces.families(thisNode(snapshot), settings, hostInterfaces));
        DesiredState desired =
            DesiredState.compute(
                snapshot.virtualServices(),
                snapshot.realServers(),
                snapshot.nodes(),
                nodeName,
                settings,
                hostInterfaces,
                VipGates.of(source.poolEnforcement(), snapshot, hostInterfaces, owned),
                roles);
        ActualState actual = cached == null ? null : cached.actual(desired, owned).orElse(null);
        lastReadKernel = actual == null;
        if (actual == null) {
          actual = reader.read(interfaces, desired, owned);
          Adoption.resolve(owned, actual).forEach(line -> log.info("state: {}", line));
          cached = KernelCache.of(actual, KernelReader.needsIpvs(desired, owned));
        }
        Plan plan = Planner.diff(desired, actual, owned);
        if (!loaded) {
          Plan additive = plan.withoutRemovals();
          if (additive.steps().size() != plan.steps().size() || !plan.forgets().isEmpty()) {
            if (!warnedNotLoaded) {
              log.info(
                  "sync: {} has not fully loaded yet: holding back {} removal(s) until it has",
                  source.describe(),
                  plan.steps().size() - additive.steps().size() + plan.forgets().size());
              warnedNotLoaded = true;
            }
          }
          plan = additive;
        }
        // Write-ahead: what the plan creates is on disk (fsynced) before the first of it exists.
        store.save(Adoption.writeAhead(plan, owned));
        ApplyResult applied = applier.apply(plan, owned);
        store.save(applied.ownership());
        if (applied.failures().isEmpty()) {
          applied.applied().forEach(cached::record);
          cache = cached;
          sysctlsAfterSync = cached.sysctls();
        } else {
          sysctlsAfterSync = java.util.Map.of();
        }
        election.held(directorAddresses(applied.ownership()));
        if (roles.elected()) {
          election.afterSync(
              !roles.byVip().isEmpty(),
              DirectorInterfaces.forFamily(false, thisNode(snapshot), settings, hostInterfaces));
        }
        result = new SyncResult(now, loaded, snapshot, desired, plan, applied, roles);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      metrics.recordSync(result, took);
      if (!result.plan().isEmpty() || !result.applyOk()) {
        log.info(
            "sync: {} change(s), {} failed, in {} ms ({})",
            result.applied().applied().size(),
            result.applied().failures().size(),
            took.toMillis(),
            lastReadKernel ? "kernel read" : "cached kernel view");
      } else {
        log.debug(
            "sync: nothing to change ({} ms, {})",
            took.toMillis(),
            lastReadKernel ? "kernel read" : "cached kernel view");
      }
      if (loaded) {
        ready = true;
        reportQuietly(result);
      }
      return result;
    } catch (IOException | RuntimeException e) {
      metrics.recordError(Duration.ofNanos(System.nanoTime() - start), now.getEpochSecond());
      throw e;
    }
  }

  /** The director VIPs (canonical literals) that {@code owned} records: its non-lo addresses. */
  static Set<String> directorVips(Ownership owned) {
    Set<String> vips = new TreeSet<>();
    for (OwnedAddress a : owned.addresses().values()) {
      if (!DesiredAddress.LOOPBACK.equals(a.interfaceName())) {
        vips.add(a.address().getHostAddress());
      }
    }
    return vips;
  }

  static List<OwnedAddress> directorAddresses(Ownership owned) {
    return owned.addresses().values().stream()
        .filter(a -> !DesiredAddress.LOOPBACK.equals(a.interfaceName()))
        .toList();
  }

  /** The director VIPs this node owns that its interfaces hold now (the kernel's word). */
  static Set<String> heldNow(Ownership owned, HostInterfaces interfaces) {
    Set<String> vips = new TreeSet<>();
    for (OwnedAddress a : directorAddresses(owned)) {
      interfaces
          .holding(a.address())
          .filter(i -> !DesiredAddress.LOOPBACK.equals(i))
          .ifPresent(i -> vips.add(a.address().getHostAddress()));
    }
    return vips;
  }

  private Node thisNode(Snapshot snapshot) {
    for (Node n : snapshot.nodes()) {
      if (nodeName.equals(n.getMetadata().getName())) {
        return n;
      }
    }
    return null;
  }

  /**
   * An address was added or removed by someone (an rtnetlink notification): the next sync reads the
   * links and addresses again instead of trusting its cached view. The caller triggers it.
   */
  public void interfacesChanged() {
    interfacesChanged.set(true);
  }

  /**
   * Whether a sysctl the last sync wanted or owned now differs from the value that sync left (a
   * {@code sysctl --system}, say); if so, the next sync reads the sysctls again. Reads only
   * /proc/sys (a few files), takes no lock: cheap enough to run every few seconds. The caller
   * triggers the sync.
   */
  public boolean sysctlsDrifted(dev.lvs.agent.sysctl.Sysctls current) {
    java.util.Map<String, java.util.Optional<String>> expected = sysctlsAfterSync;
    for (java.util.Map.Entry<String, java.util.Optional<String>> e : expected.entrySet()) {
      java.util.Optional<String> now;
      try {
        now = current.read(e.getKey());
      } catch (IOException ex) {
        continue; // the sync reports unreadable sysctls itself
      }
      if (!now.map(String::trim).equals(e.getValue().map(String::trim))) {
        log.info(
            "sysctl: {} is {}, the last sync left {}: syncing",
            e.getKey(),
            now.orElse("(missing)"),
            e.getValue().orElse("(missing)"));
        sysctlsChanged.set(true);
        return true;
      }
    }
    return false;
  }

  /** Whether the last sync read the kernel (false: it diffed against the cached view). */
  public boolean lastSyncReadKernel() {
    return lastReadKernel;
  }

  /** Whether a sync has completed with every source loaded. */
  public boolean isReady() {
    return ready;
  }

  private void reportQuietly(SyncResult result) {
    try {
      reporter.report(result);
    } catch (RuntimeException e) {
      log.warn("report: failed: {}", e.toString());
    }
  }
}
