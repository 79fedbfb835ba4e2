package dev.lvs.agent.report;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs writes to an API on a thread of its own, so the caller (the sync thread) never waits for the
 * API. Writes are keyed by the object they write: a write submitted while an earlier one for the
 * same key is still pending replaces it (the latest state wins) and keeps its place in the queue.
 * Writes start at most {@code perSecond} a second after an initial {@code burst}. A write that
 * throws is logged and dropped: the next sync computes it again if it is still needed.
 */
public final class CoalescingWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoalescingWriter.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Object, Runnable> pending = new LinkedHashMap<>(); // guarded by lock
  private final TokenBucket limiter;
  private final Thread thread;
  private Object inFlight; // guarded by lock
  private boolean closed; // guarded by lock
  private long written; // guarded by lock
  private long coalesced; // guarded by lock

  public CoalescingWriter(String name, double perSecond, int burst) {
    this.limiter = new TokenBucket(perSecond, burst, System::nanoTime);
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code write} for {@code key}, replacing a pending write of the same key. */
  public void submit(Object key, Runnable write) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(write, "write");
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (pending.replace(key, write) != null) {
        coalesced++;
      } else {
        pending.put(key, write);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Writes waiting to start. */
  public int pending() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Writes that replaced a pending one of the same key. */
  public long coalesced() {
    lock.lock();
    try {
      return coalesced;
    } finally {
      lock.unlock();
    }
  }

  /** Writes run (finished or failed). */
  public long written() {
    lock.lock();
    try {
      return written;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until nothing is pending or running; false if {@code timeout} passed first. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!pending.isEmpty() || inFlight != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return pending.isEmpty() && inFlight == null;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      Runnable write;
      lock.lock();
      try {
        while (pending.isEmpty() && !closed) {
          changed.awaitUninterruptibly();
        }
        if (closed) {
          return;
        }
        Iterator<Map.Entry<Object, Runnable>> first = pending.entrySet().iterator();
        Map.Entry<Object, Runnable> e = first.next();
        first.remove();
        inFlight = e.getKey();
        write = e.getValue();
      } finally {
        lock.unlock();
      }
      try {
        long wait = limiter.reserve();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        write.run();
      } catch (InterruptedException e) {
        return; // closing
      } catch (RuntimeException e) {
        log.warn("{}: a write failed: {}", thread.getName(), e.toString());
      } finally {
        lock.lock();
        try {
          inFlight = null;
          written++;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** Stops: pending writes are dropped; a running one is interrupted. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      pending.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    thread.interrupt();
  }

  /**
   * A token bucket: {@code burst} tokens, refilled at {@code perSecond}. {@link #reserve} takes a
   * token and says how long to wait until it is there. Pure, with the clock passed in.
   */
  static final class TokenBucket {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException(
            "rate must be positive and burst at least 1: " + perSecond + ", " + burst);
      }
      this.perNano = perSecond / 1e9;
      this.burst = burst;
      this.nanoTime = nanoTime;
      this.tokens = burst;
      this.last = nanoTime.getAsLong();
    }

    /** Takes a token; returns the nanoseconds to wait before using it (0: now). */
    synchronized long reserve() {
      long now = nanoTime.getAsLong();
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }
  }
}
