package dev.lvs.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoalescingWriterTest {

  @Test
  void whileAWriteIsBlockedLaterWritesOfOneKeyCoalesceToTheLatest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    try (CoalescingWriter w = new CoalescingWriter("test-writer", 1000, 1000)) {
      w.submit(
          "a",
          () -> {
            blocked.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            done.add("a1");
          });
      assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 100; i++) {
        String v = "b" + i;
        w.submit("b", () -> done.add(v));
      }
      w.submit("a", () -> done.add("a2"));
      assertThat(w.pending()).isEqualTo(2);
      assertThat(w.coalesced()).isEqualTo(99);

      release.countDown();
      assertThat(w.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(done).containsExactly("a1", "b100", "a2");
    }
  }

  @Test
  void aThrowingWriteIsDroppedAndTheWriterCarriesOn() throws Exception {
    List<String> done = new CopyOnWriteArrayList<>();
    try (CoalescingWriter w = new CoalescingWriter("test-writer", 1000, 1000)) {
      w.submit(
          "a",
          () -> {
            throw new IllegalStateException("API server said no");
          });
      w.submit("b", () -> done.add("b"));
      assertThat(w.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(done).containsExactly("b");
      assertThat(w.written()).isEqualTo(2);
    }
  }

  @Test
  void tokenBucketAllowsTheBurstThenOneWritePerInterval() {
    AtomicLong now = new AtomicLong(0);
    CoalescingWriter.TokenBucket b = new CoalescingWriter.TokenBucket(10, 3, now::get);
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isZero();
    long ms100 = TimeUnit.MILLISECONDS.toNanos(100);
    assertThat(b.reserve()).isEqualTo(ms100);
    assertThat(b.reserve()).isEqualTo(2 * ms100); // the one after waits behind it
    now.set(10 * ms100); // a second later: the debt is paid, the bucket refills to its burst only
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isEqualTo(ms100);
  }

  @Test
  void closeStopsABlockedWriter() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CoalescingWriter w = new CoalescingWriter("test-writer", 1000, 1000);
    w.submit(
        "a",
        () -> {
          started.countDown();
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    w.submit("b", () -> {});
    w.close();
    assertThat(w.pending()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> w.written() == 1);
  }
}
