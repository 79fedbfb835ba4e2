package dev.lvs.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncRunnerTest {

  @Test
  void triggersDuringASyncCoalesceIntoOneMore() throws Exception {
    AtomicInteger syncs = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (SyncRunner runner =
        new SyncRunner(
            () -> {
              if (syncs.incrementAndGet() == 1) {
                firstStarted.countDown();
                release.await();
              }
            },
            Duration.ZERO,
            Duration.ZERO)) {
      runner.start();
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 100; i++) {
        runner.trigger();
      }
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.runs() == 2);
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> syncs.get() == 2);
    }
  }

  @Test
  void periodicResyncRunsWithoutTriggers() {
    AtomicInteger syncs = new AtomicInteger();
    try (SyncRunner runner =
        new SyncRunner(syncs::incrementAndGet, Duration.ZERO, Duration.ofMillis(50))) {
      runner.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs.get() >= 4);
    }
  }

  @Test
  void minIntervalSpacesSyncs() {
    AtomicInteger syncs = new AtomicInteger();
    try (SyncRunner runner =
        new SyncRunner(syncs::incrementAndGet, Duration.ofSeconds(30), Duration.ZERO)) {
      runner.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs.get() == 1);
      runner.trigger();
      runner.trigger();
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(() -> syncs.get() == 1);
    }
  }

  @Test
  void aFailingSyncDoesNotStopTheRunner() {
    AtomicInteger syncs = new AtomicInteger();
    try (SyncRunner runner =
        new SyncRunner(
            () -> {
              syncs.incrementAndGet();
              throw new java.io.IOException("netlink broke");
            },
            Duration.ZERO,
            Duration.ZERO)) {
      runner.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs.get() == 1);
      runner.trigger();
      await().atMost(Duration.ofSeconds(10)).until(() -> syncs.get() == 2);
    }
  }

  @Test
  void theFirstSyncAndPeriodicResyncsAreFullTriggeredOnesAreNot() throws Exception {
    java.util.List<Boolean> fulls = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SyncRunner runner =
        new SyncRunner((SyncRunner.ResyncAwareAction) fulls::add, Duration.ZERO, Duration.ZERO)) {
      runner.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.runs() == 1);
      runner.trigger();
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.runs() == 2);
      runner.resync();
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.runs() == 3);
      runner.trigger();
      await().atMost(Duration.ofSeconds(10)).until(() -> runner.runs() == 4);
      assertThat(fulls).containsExactly(true, false, true, false);
    }
  }

  @Test
  void thePeriodicTimerAsksForFullResyncs() {
    java.util.List<Boolean> fulls = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SyncRunner runner =
        new SyncRunner(
            (SyncRunner.ResyncAwareAction) fulls::add, Duration.ZERO, Duration.ofMillis(50))) {
      runner.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> fulls.size() >= 3);
      assertThat(fulls).containsOnly(true);
    }
  }
}
