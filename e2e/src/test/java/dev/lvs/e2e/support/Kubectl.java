package dev.lvs.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the provisioned kubectl ({@code $LVS_K8S_BIN/kubectl}) against a kubeconfig. */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /** {@code $LVS_K8S_BIN/kubectl} when provisioned, else the first kubectl on PATH. */
  public static Path binary() {
    String dir = System.getenv("LVS_K8S_BIN");
    if (dir != null) {
      Path kubectl = Path.of(dir, "kubectl");
      if (!Files.isExecutable(kubectl)) {
        throw new IllegalStateException(kubectl + " is missing: run e2e/bin/k8s-binaries");
      }
      return kubectl;
    }
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path kubectl = Path.of(p, "kubectl");
      if (!p.isEmpty() && Files.isExecutable(kubectl)) {
        return kubectl;
      }
    }
    throw new IllegalStateException(
        "no kubectl: run the tests through e2e/bin/test, or first: "
            + "eval \"$(e2e/bin/k8s-binaries env)\"");
  }

  /** Runs kubectl; returns whatever happened. */
  public Processes.Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return Processes.run(command, Duration.ofSeconds(120));
  }

  /** Runs kubectl and fails unless it exits 0; returns its standard output. */
  public String run(String... args) {
    Processes.Result r = exec(args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "kubectl " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }
}
