package dev.lvs.agent.sync;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs syncs on one thread. Any number of {@link #trigger()} calls coalesce into one pending sync
 * (a dirty flag); syncs start at most once per {@code minInterval}; a periodic full resync repairs
 * drift (after {@code ipvsadm -C}, say). The first sync starts at once: startup is an ordinary
 * sync. The action learns whether a sync is a full resync (the first one, and any that a periodic
 * resync asked for, coalesced triggers included) or only triggered by changes.
 */
public final class SyncRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);

  /** The work of one sync; a thrown exception is logged and the runner carries on. */
  @FunctionalInterface
  public interface SyncAction {
    void run() throws Exception;
  }

  /** The work of one sync, told whether it is a full resync (startup or periodic). */
  @FunctionalInterface
  public interface ResyncAwareAction {
    void run(boolean fullResync) throws Exception;
  }

  private final ResyncAwareAction action;
  private final long minIntervalNanos;
  private final Duration resyncPeriod;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean fullPending = new AtomicBoolean(true);
  private final AtomicLong runs = new AtomicLong();
  private volatile long lastStartNanos;
  private volatile boolean started;

  public SyncRunner(SyncAction action, Duration minInterval, Duration resyncPeriod) {
    this((ResyncAwareAction) full -> action.run(), minInterval, resyncPeriod);
  }

  public SyncRunner(ResyncAwareAction action, Duration minInterval, Duration resyncPeriod) {
    this.action = action;
    this.minIntervalNanos = minInterval.toNanos();
    this.resyncPeriod = resyncPeriod;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "lvs-sync");
              t.setDaemon(true);
              return t;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  /** Runs the first sync now and schedules the periodic resync. */
  public void start() {
    long period = resyncPeriod.toNanos();
    if (period > 0) {
      executor.scheduleWithFixedDelay(this::resync, period, period, TimeUnit.NANOSECONDS);
    }
    trigger();
  }

  /** Asks for a sync. Calls while one is pending coalesce into it. Safe from any thread. */
  public void trigger() {
    if (!pending.compareAndSet(false, true)) {
      return;
    }
    long delay = 0;
    if (started) {
      delay = Math.max(0, lastStartNanos + minIntervalNanos - System.nanoTime());
    }
    try {
      executor.schedule(this::runOnce, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pending.set(false); // shutting down
    }
  }

  /** Asks for a full resync (the kernel is read again); coalesces like {@link #trigger()}. */
  public void resync() {
    fullPending.set(true);
    trigger();
  }

  /** How many syncs have run (finished or failed). */
  public long runs() {
    return runs.get();
  }

  private void runOnce() {
    pending.set(false); // triggers from now on ask for another sync
    boolean full = fullPending.getAndSet(false);
    started = true;
    lastStartNanos = System.nanoTime();
    try {
      action.run(full);
    } catch (Exception e) {
      log.error("sync failed; the next sync retries: {}", e.toString(), e);
    } finally {
      runs.incrementAndGet();
    }
  }

  /** Stops: no new syncs; waits for a running one to finish. The data plane is left alone. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("sync still running after 30 s; stopping without waiting for it");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
