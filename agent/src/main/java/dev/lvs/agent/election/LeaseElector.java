package dev.lvs.agent.election;

import dev.lvs.agent.source.Snapshot;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election's I/O: renews this director's Lease every {@code renewInterval}, watches the other
 * directors' Leases, and wakes the sync loop whenever a role may change (a Lease appears, changes
 * what it holds, or lapses; the warm-up ends; a director's tenure matures).
 *
 * <p>The split-brain bound rests on one rule: after each successful renewal, sent at time {@code
 * t}, the director's VIPs get a kernel address lifetime that ends by {@code t + leaseDuration}
 * ({@link #vipLifetimeSeconds}, refreshed by {@code onRenewed}). A peer takes over no earlier than
 * a lease duration after it saw that renewal, which is after {@code t}. So even a director whose
 * agent was SIGKILLed, hangs, or is cut off from the API server has lost its VIPs when a peer adds
 * them.
 */
public final class LeaseElector implements DirectorElection, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseElector.class);

  private final KubernetesClient client;
  private final String node;
  private final ElectionSettings settings;
  private final Runnable trigger;
  private final LongSupplier nanos;
  private final Clock clock;
  private final ElectionMetrics metrics;
  private final ScheduledExecutorService timer;

  /** When the Lease informer had first listed, or Long.MIN_VALUE until then. */
  private long syncedNanos = Long.MIN_VALUE;

  private final Liveness liveness;
  private SharedIndexInformer<Lease> informer;
  private final HeldVips heldVips;
  private volatile HeldVips.LifetimeWriter lifetimes;
  private volatile SyncDaemons syncDaemons;

  // Guarded by this.
  private final Map<String, LeaseView> leases = new HashMap<>();
  private Instant tenure;
  // Read without the lock (the lifetime refresh holds HeldVips' lock, and must not take this one).
  private volatile long lastRenewSentNanos = Long.MIN_VALUE;
  private volatile boolean renewedOnce;
  private String published = "";
  private Set<String> families = Set.of();
  private String ineligible;
  private volatile DirectorRoles lastRoles = DirectorRoles.ALL;
  private ScheduledFuture<?> wake;
  private boolean warnedRenew;

  /** Whether this node directs any VIP: only directors hold a Lease (real servers write none). */
  private boolean director;

  public LeaseElector(
      KubernetesClient client,
      String node,
      ElectionSettings settings,
      Runnable trigger,
      ElectionMetrics metrics,
      HeldVips heldVips) {
    this(client, node, settings, trigger, metrics, heldVips, System::nanoTime, Clock.systemUTC());
  }

  LeaseElector(
      KubernetesClient client,
      String node,
      ElectionSettings settings,
      Runnable trigger,
      ElectionMetrics metrics,
      HeldVips heldVips,
      LongSupplier nanos,
      Clock clock) {
    this.heldVips = heldVips;
    this.client = client;
    this.node = node;
    this.settings = settings;
    this.trigger = trigger;
    this.metrics = metrics;
    this.nanos = nanos;
    this.clock = clock;
    this.liveness = new Liveness(settings.leaseDuration());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lvs-director-lease");
              t.setDaemon(true);
              return t;
            });
  }

  /** How the renewals extend the held VIPs' kernel lifetimes; without it they are not. */
  public void lifetimes(HeldVips.LifetimeWriter writer) {
    this.lifetimes = Objects.requireNonNull(writer);
  }

  /** The IPVS sync daemons to keep running while this node directs a VIP. */
  public void syncDaemons(SyncDaemons daemons) {
    this.syncDaemons = daemons;
  }

  @Override
  public void afterSync(boolean director, java.util.Optional<String> ipv4Interface) {
    SyncDaemons d = syncDaemons;
    if (d != null) {
      d.reconcile(director, ipv4Interface);
    }
  }

  @Override
  public HeldVips heldVips() {
    return heldVips;
  }

  /** Starts watching the Leases and renewing this director's. Never blocks on the API server. */
  public void start() {
    informer =
        client
            .leases()
            .inNamespace(settings.namespace())
            .withLabel(LeaseCodec.LABEL, "true")
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Lease lease) {
            seen(lease);
          }

          @Override
          public void onUpdate(Lease before, Lease after) {
            seen(after);
          }

          @Override
          public void onDelete(Lease lease, boolean unknown) {
            gone(lease);
          }
        });
    informer.exceptionHandler(
        (started, error) -> {
          log.warn(
              "election: {} director Leases failed ({}); retrying",
              started ? "watching" : "listing",
              error.toString());
          return true;
        });
    informer.start();
    long renewMs = settings.renewInterval().toMillis();
    timer.scheduleWithFixedDelay(this::renew, 0, renewMs, TimeUnit.MILLISECONDS);
  }

  private void seen(Lease lease) {
    LeaseCodec.read(lease)
        .ifPresent(
            view -> {
              boolean changed;
              synchronized (this) {
                boolean wasLive = liveness.live(view.node(), nanos.getAsLong());
                liveness.observe(view.node(), LeaseCodec.renewVersion(lease), nanos.getAsLong());
                LeaseView before = leases.put(view.node(), view);
                changed = !view.equals(before) || !wasLive;
                scheduleWake();
              }
              if (changed && !view.node().equals(node)) {
                trigger.run();
              }
            });
  }

  private void gone(Lease lease) {
    LeaseCodec.read(lease)
        .ifPresent(
            view -> {
              synchronized (this) {
                leases.remove(view.node());
                liveness.forget(view.node());
              }
              trigger.run();
            });
  }

  /** Wakes the sync loop when the next live Lease would lapse, or the next tenure matures. */
  private void scheduleWake() {
    long now = nanos.getAsLong();
    long next = liveness.nextExpiry(now).orElse(Long.MAX_VALUE);
    Instant wall = clock.instant();
    for (LeaseView v : leases.values()) {
      Instant matures = v.acquired().plus(settings.rebalanceAfter());
      if (matures.isAfter(wall)) {
        long in = Duration.between(wall, matures).toNanos();
        next = Math.min(next, now + in);
      }
    }
    if (next == Long.MAX_VALUE) {
      return;
    }
    if (wake != null) {
      wake.cancel(false);
    }
    long delay = Math.max(0, next - now) + TimeUnit.MILLISECONDS.toNanos(20);
    wake =
        timer.schedule(
            () -> {
              synchronized (LeaseElector.this) {
                scheduleWake();
              }
              trigger.run();
            },
            delay,
            TimeUnit.NANOSECONDS);
  }

  /** One renewal; runs on the timer thread. */
  void renew() {
    long sent = nanos.getAsLong();
    Lease lease;
    boolean needTenure;
    synchronized (this) {
      if (!director) {
        return;
      }
      needTenure = tenure == null;
    }
    // No I/O under this object's lock: the informer's event handlers take it, and they run on the
    // HTTP client's threads, which a request made under the lock would wait for (a lab director
    // hung that way: its Lease GET and every informer of its client stalled).
    if (needTenure) {
      Lease existing;
      try {
        existing =
            client.leases().inNamespace(settings.namespace()).withName(LeaseCodec.name(node)).get();
      } catch (KubernetesClientException e) {
        warnRenew(e);
        return;
      }
      Instant at = clock.instant();
      synchronized (this) {
        if (tenure == null) {
          tenure = LeaseCodec.tenure(existing, node, settings.leaseDuration(), at);
        }
      }
    }
    Set<String> bounded = heldVips.bounded();
    Set<String> unbounded = heldVips.unbounded();
    synchronized (this) {
      lease =
          LeaseCodec.render(
              settings.namespace(),
              node,
              settings.leaseDuration(),
              tenure,
              clock.instant(),
              families,
              bounded,
              unbounded,
              ineligible);
    }
    try {
      client
          .leases()
          .inNamespace(settings.namespace())
          .resource(lease)
          .fieldManager("lvs-agent")
          .forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException e) {
      warnRenew(e);
      if (!valid(nanos.getAsLong())) {
        trigger.run(); // the VIPs must go: the lease cannot be proven
      }
      return;
    }
    boolean first;
    synchronized (this) {
      first = !renewedOnce;
      renewedOnce = true;
      lastRenewSentNanos = sent;
      if (warnedRenew) {
        log.info("election: renewing the director Lease {} again", LeaseCodec.name(node));
        warnedRenew = false;
      }
    }
    metrics.renewed();
    HeldVips.LifetimeWriter writer = lifetimes;
    boolean expired = writer != null && heldVips.refresh(writer, this::vipLifetimeSeconds);
    if (first || expired) {
      trigger.run();
    }
    if (!published().equals(publishedAtRender(lease))) {
      timer.execute(this::renew); // what it holds changed while this renewal was on its way
    }
  }

  private synchronized void warnRenew(KubernetesClientException e) {
    metrics.renewFailed();
    if (!warnedRenew) {
      log.warn(
          "election: cannot renew the director Lease {}/{} ({}); its VIPs go when it lapses",
          settings.namespace(),
          LeaseCodec.name(node),
          e.getMessage());
      warnedRenew = true;
    }
  }

  /**
   * Whether this director may hold VIPs now: its last successful renewal leaves at least one whole
   * second of address lifetime (see {@link #lifetimeSeconds}).
   */
  private boolean valid(long now) {
    return renewedOnce
        && lifetimeSeconds(lastRenewSentNanos + settings.leaseDuration().toNanos(), now) >= 1;
  }

  @Override
  public DirectorRoles roles(Snapshot snapshot, Set<String> holding, Set<String> families) {
    long now = nanos.getAsLong();
    boolean selfValid = valid(now);
    DirectorRoles roles;
    synchronized (this) {
      this.families = Set.copyOf(families);
      Set<String> live = new TreeSet<>();
      for (String n : leases.keySet()) {
        if (!n.equals(node) && liveness.live(n, now)) {
          live.add(n);
        }
      }
      Map<String, LeaseView> all = new HashMap<>(leases);
      if (selfValid) {
        live.add(node);
        all.put(
            node,
            new LeaseView(
                node, families, holding, tenure == null ? clock.instant() : tenure, ineligible));
      }
      // The warm-up runs from when the Leases were first listed, not from the start: under load
      // the list can take far longer than a lease duration, and until a whole lease duration of
      // watching has passed, a peer's latest renewal (and what it holds) may not have been seen.
      if (syncedNanos == Long.MIN_VALUE && informer != null && informer.hasSynced()) {
        syncedNanos = now;
        timer.schedule(trigger, settings.leaseDuration().toMillis() + 50, TimeUnit.MILLISECONDS);
      }
      boolean warm =
          syncedNanos != Long.MIN_VALUE && now - syncedNanos >= settings.leaseDuration().toNanos();
      roles =
          Election.decide(
              new Election.Input(
                  node,
                  snapshot.virtualServices(),
                  snapshot.nodes(),
                  all,
                  live,
                  warm,
                  holding,
                  heldVips.unbounded(),
                  clock.instant(),
                  settings.rebalanceAfter()));
      metrics.roles(lastRoles, roles, node, this::lastSeenAgo);
      lastRoles = roles;
      boolean wasDirector = director;
      director = !roles.byVip().isEmpty() || !holding.isEmpty();
      if (director && !wasDirector) {
        timer.execute(this::renew); // a new director: its first Lease now, not at the next tick
      }
    }
    return roles;
  }

  private Duration lastSeenAgo(String peer) {
    return Duration.ofNanos(Math.max(0, nanos.getAsLong() - liveness.lastSeen(peer)));
  }

  @Override
  public void held(java.util.Collection<dev.lvs.agent.state.OwnedAddress> directorAddresses) {
    heldVips.reconcile(directorAddresses);
    String now = published();
    boolean changed;
    synchronized (this) {
      changed = !now.equals(published);
      published = now;
    }
    if (changed) {
      timer.execute(this::renew); // tell the peers now, not at the next renewal
    }
  }

  private String published() {
    return heldVips.bounded() + "/" + heldVips.unbounded();
  }

  private static String publishedAtRender(Lease lease) {
    LeaseView v = LeaseCodec.read(lease).orElseThrow();
    return new TreeSet<>(v.heldVips()) + "/" + new TreeSet<>(v.unboundedVips());
  }

  /**
   * The lifetime to give {@code vip} now: {@link #FOREVER} when it has no standby (nobody could
   * take it over, so an agent restart must not interrupt it), else what the last renewal proves, 0
   * when that is not even a second.
   */
  @Override
  public long vipLifetimeSeconds(String vip) {
    long now = nanos.getAsLong();
    {
      // Another eligible director (the chosen one, or a standby) could take it over.
      boolean standby =
          lastRoles
              .of(vip)
              .map(
                  r ->
                      r.standbys().stream().anyMatch(n -> !n.equals(node))
                          || (r.active() != null && !r.active().equals(node)))
              .orElse(false);
      if (!standby) {
        return FOREVER;
      }
      if (!valid(now)) {
        return 0;
      }
      return lifetimeSeconds(lastRenewSentNanos + settings.leaseDuration().toNanos(), now);
    }
  }

  /**
   * The kernel removes an IPv4 or IPv6 address when its age reaches its valid lifetime, at a check
   * that runs at most about a quarter second late (devinet.c / addrconf.c round the timer up to the
   * second only when that costs less than HZ/4); this much is kept in hand.
   */
  static final long KERNEL_LATENESS_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  /**
   * The whole seconds of lifetime that make the kernel remove an address by {@code validUntil}; 0
   * when less than one second fits.
   */
  public static long lifetimeSeconds(long validUntilNanos, long nowNanos) {
    long left = validUntilNanos - nowNanos - KERNEL_LATENESS_NANOS;
    return left <= 0 ? 0 : TimeUnit.NANOSECONDS.toSeconds(left);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (informer != null) {
      informer.close();
    }
  }
}
