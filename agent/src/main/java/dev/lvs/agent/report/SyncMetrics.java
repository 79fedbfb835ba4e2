package dev.lvs.agent.report;

import dev.lvs.agent.sync.SyncResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counters and a duration histogram of the sync loop. Thread-safe. */
public final class SyncMetrics {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

  private final AtomicLong syncs = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong stepsApplied = new AtomicLong();
  private final AtomicLong stepFailures = new AtomicLong();
  private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS.length);
  private final AtomicLong durationCount = new AtomicLong();
  private final AtomicLong durationSumNanos = new AtomicLong();
  private volatile long lastSyncEpochSeconds;
  private volatile long lastSuccessEpochSeconds;
  private volatile int problems;

  public void recordSync(SyncResult result, Duration took) {
    syncs.incrementAndGet();
    stepsApplied.addAndGet(result.applied().applied().size());
    stepFailures.addAndGet(result.applied().failures().size());
    problems = result.problems().size();
    long now = result.time().getEpochSecond();
    lastSyncEpochSeconds = now;
    if (result.applyOk()) {
      lastSuccessEpochSeconds = now;
    }
    observe(took);
  }

  public void recordError(Duration took, long epochSeconds) {
    syncs.incrementAndGet();
    errors.incrementAndGet();
    lastSyncEpochSeconds = epochSeconds;
    observe(took);
  }

  private void observe(Duration took) {
    double seconds = took.toNanos() / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        bucketCounts.incrementAndGet(i);
      }
    }
    durationCount.incrementAndGet();
    durationSumNanos.addAndGet(took.toNanos());
  }

  public long syncs() {
    return syncs.get();
  }

  public long errors() {
    return errors.get();
  }

  void write(PrometheusText t) {
    t.header("lvs_agent_syncs_total", "counter", "Syncs run (each: compute, read, diff, apply).")
        .sample("lvs_agent_syncs_total", syncs.get());
    t.header(
            "lvs_agent_sync_errors_total",
            "counter",
            "Syncs that could not complete (reading the kernel or the state file failed).")
        .sample("lvs_agent_sync_errors_total", errors.get());
    t.header("lvs_agent_sync_steps_applied_total", "counter", "Kernel changes made.")
        .sample("lvs_agent_sync_steps_applied_total", stepsApplied.get());
    t.header(
            "lvs_agent_sync_step_failures_total",
            "counter",
            "Kernel changes that failed; the next sync retries them.")
        .sample("lvs_agent_sync_step_failures_total", stepFailures.get());
    t.header(
            "lvs_agent_problems",
            "gauge",
            "Problems in the last sync: conflicts, skipped input, failed changes.")
        .sample("lvs_agent_problems", problems);
    t.header("lvs_agent_last_sync_timestamp_seconds", "gauge", "When the last sync ran.")
        .sample("lvs_agent_last_sync_timestamp_seconds", lastSyncEpochSeconds);
    t.header(
            "lvs_agent_last_success_timestamp_seconds",
            "gauge",
            "When the last sync with every change applied ran.")
        .sample("lvs_agent_last_success_timestamp_seconds", lastSuccessEpochSeconds);
    String h = "lvs_agent_sync_duration_seconds";
    t.header(h, "histogram", "How long syncs take.");
    for (int i = 0; i < BUCKETS.length; i++) {
      t.sample(h + "_bucket", Map.of("le", PrometheusText.format(BUCKETS[i])), bucketCounts.get(i));
    }
    t.sample(h + "_bucket", Map.of("le", "+Inf"), durationCount.get());
    t.sample(h + "_sum", durationSumNanos.get() / 1e9);
    t.sample(h + "_count", durationCount.get());
  }
}
