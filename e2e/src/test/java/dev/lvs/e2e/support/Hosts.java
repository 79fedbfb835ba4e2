package dev.lvs.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The machines of a test topology, by name: run a command on one, or start a long-running process
 * there. Implemented by network namespaces in one kernel ({@link NetnsHosts}); a multi-guest lab or
 * kind nodes can implement the same interface.
 */
public interface Hosts {
  /** How long {@link #run(String, String...)} waits for a command. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  /** Runs {@code command} on {@code host} and waits for it (at most {@code timeout}). */
  Result run(String host, List<String> command, Duration timeout);

  default Result run(String host, String... command) {
    return run(host, List.of(command), DEFAULT_TIMEOUT);
  }

  /** Runs {@code command} on {@code host}; throws unless it exits 0. Returns its stdout. */
  default String check(String host, String... command) {
    return run(host, command).orThrow().stdout();
  }

  /** Starts {@code command} on {@code host} in the background, stdout and stderr to {@code log}. */
  Background start(String host, Path log, List<String> command);

  /** A process started by {@link #start}. */
  interface Background extends AutoCloseable {
    /** The file its output goes to. */
    Path log();

    boolean isAlive();

    /** Asks it to stop (SIGTERM), waits up to {@code grace}, then kills it; returns its status. */
    int stop(Duration grace);

    @Override
    default void close() {
      stop(Duration.ofSeconds(10));
    }
  }

  /** The outcome of one command. */
  record Result(String host, List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(this.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      return String.format(
          "on %s: %s exited %d%n--- stdout%n%s--- stderr%n%s",
          host, String.join(" ", command), exitCode, stdout, stderr);
    }
  }
}
