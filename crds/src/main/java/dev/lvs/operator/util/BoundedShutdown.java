package dev.lvs.operator.util;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shutdown hook with a deadline, so that SIGTERM ends the process within {@code timeout} whatever
 * the API server does. The hook runs the orderly close, a list of steps, on a thread of its own and
 * waits for it at most {@code timeout}. Then it halts the JVM: when the steps overran, after
 * logging the step that hangs (with its thread's stack) and those skipped. The process exits with
 * the status given to {@link #exit(int)}, else 0: a stop on SIGTERM is not a failure.
 *
 * <p>Halting also ends the shutdowns that can never finish by themselves, such as a library that
 * calls {@link System#exit} from inside the hook (that call blocks forever).
 *
 * <p>Shared by the operator and the node agent (both depend on this module).
 */
public final class BoundedShutdown {
  private static final Logger log = LoggerFactory.getLogger(BoundedShutdown.class);

  /** The default deadline: well inside Kubernetes' default 30 s termination grace period. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** One step of the orderly close: what it closes (for the log) and how. */
  public record Step(String what, Runnable action) {}

  private final String name;
  private final Duration timeout;
  private final IntConsumer halt;
  private volatile int status;

  /** A shutdown that halts the JVM. */
  public BoundedShutdown(String name, Duration timeout) {
    this(name, timeout, status -> Runtime.getRuntime().halt(status));
  }

  /**
   * A shutdown that ends with {@code halt}, given the exit status: tests, and callers that log or
   * flush before halting.
   */
  public BoundedShutdown(String name, Duration timeout, IntConsumer halt) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the shutdown timeout must be positive: " + timeout);
    }
    this.name = name;
    this.timeout = timeout;
    this.halt = halt;
  }

  /** Registers the shutdown hook that runs {@code steps}, in order, within the deadline. */
  public void install(List<Step> steps) {
    List<Step> copy = List.copyOf(steps);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> run(copy), name + "-shutdown"));
  }

  /**
   * Exits the JVM with {@code status}, which the hook keeps. Never returns. Not from a thread that
   * the steps wait for: {@link System#exit} blocks the calling thread until the JVM ends.
   */
  public void exit(int status) {
    this.status = status;
    System.exit(status);
  }

  /** The status the hook halts with. */
  int status() {
    return status;
  }

  /** The hook: the steps within the deadline, then the halt. Returns only if the halt does. */
  void run(List<Step> steps) {
    long start = System.nanoTime();
    AtomicInteger current = new AtomicInteger();
    Thread closer =
        new Thread(
            () -> {
              for (int i = 0; i < steps.size(); i++) {
                current.set(i);
                Step step = steps.get(i);
                try {
                  step.action().run();
                } catch (RuntimeException e) {
                  log.warn("shutdown: closing {} failed: {}", step.what(), e.toString());
                }
              }
              current.set(steps.size());
            },
            name + "-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int stuck = current.get();
    if (closer.isAlive() && stuck < steps.size()) {
      String skipped =
          steps.subList(stuck + 1, steps.size()).stream()
              .map(Step::what)
              .collect(Collectors.joining(", "));
      log.warn(
          "shutdown: closing {} did not finish within {} (--shutdown-timeout); exiting without"
              + " waiting for it{}. Its thread:\n{}",
          steps.get(stuck).what(),
          timeout,
          skipped.isEmpty() ? "" : " or closing " + skipped,
          stack(closer));
    } else {
      log.info("shutdown: closed in {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
    halt.accept(status);
  }

  private static String stack(Thread t) {
    StringBuilder b = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      b.append("\tat ").append(e).append('\n');
    }
    return b.toString();
  }
}
