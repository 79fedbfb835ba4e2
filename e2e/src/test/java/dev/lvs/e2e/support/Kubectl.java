package dev.lvs.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

  /** The result of one kubectl invocation. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Runs kubectl; returns whatever happened. */
  public Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("kubectl timed out: " + command);
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs kubectl and fails unless it exits 0; returns its standard output. */
  public String run(String... args) {
    Result r = exec(args);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "kubectl " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }
}
