package dev.lvs.e2e.kind;

import dev.lvs.e2e.support.Hosts;
import dev.lvs.e2e.support.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The hosts of the kind system ({@code e2e/kind/up}): the nodes, which are kind's node containers,
 * and the client container, all on Docker's network {@code kind}.
 *
 * <ul>
 *   <li>A node's command runs in a throw-away tools container ({@code nicolaka/netshoot}) that
 *       shares the node container's network namespace and is privileged: {@code ipvsadm}, {@code
 *       tcpdump}, {@code ip} and {@code /proc/sys/net} see the network the node's agent programs.
 *   <li>The client's command runs in the client container ({@code docker exec}).
 *   <li>A background process ({@link #start}) is a tools container of its own in the host's network
 *       namespace ({@code docker run -d --init}); {@link Background#stop} is {@code docker stop}
 *       (SIGTERM, then SIGKILL after the grace period).
 * </ul>
 *
 * Only {@link #workDir()} is shared: it is bind-mounted at the same path into every container.
 * Anything else a command writes is gone when it ends (a node's) or invisible to other hosts. A
 * command that Docker itself cannot run exits 125 (see {@code docker run --help}).
 */
public final class KindHosts implements Hosts {
  /** On every container this starts; {@code e2e/kind/down} removes any that are left. */
  public static final String LABEL = "lvs-e2e=kind";

  private final String docker;
  private final String toolsImage;
  private final Path workDir;
  private final List<String> nodes;
  private final String client;

  /**
   * @param docker the docker command
   * @param toolsImage the image node commands and background processes run in
   * @param workDir the directory bind-mounted into every container at the same path
   * @param nodes the node containers (their names are the Nodes' names)
   * @param client the client container
   */
  public KindHosts(
      String docker, String toolsImage, Path workDir, List<String> nodes, String client) {
    this.docker = docker;
    this.toolsImage = toolsImage;
    this.workDir = workDir.toAbsolutePath().normalize();
    this.nodes = List.copyOf(nodes);
    this.client = client;
  }

  public Path workDir() {
    return workDir;
  }

  private void known(String host) {
    if (!host.equals(client) && !nodes.contains(host)) {
      throw new IllegalArgumentException(
          "no kind host " + host + " (nodes: " + nodes + ", client: " + client + ")");
    }
  }

  /** The options of a tools container in {@code host}'s network namespace, up to the image. */
  private List<String> toolsContainer(String host, String name) {
    return List.of(
        "--name",
        name,
        "--label",
        LABEL,
        "--privileged",
        "--network",
        "container:" + host,
        "-v",
        workDir + ":" + workDir,
        toolsImage);
  }

  /** The command line that runs {@code command} on {@code host} (as container {@code name}). */
  List<String> runCommand(String host, String name, List<String> command) {
    known(host);
    List<String> argv = new ArrayList<>(List.of(docker));
    if (host.equals(client)) {
      argv.addAll(List.of("exec", client));
    } else {
      argv.addAll(List.of("run", "--rm"));
      argv.addAll(toolsContainer(host, name));
    }
    argv.addAll(command);
    return argv;
  }

  /**
   * The command line that starts {@code command} on {@code host} as detached container {@code
   * name}, its output to {@code log}. The command is passed as arguments, never quoted into a
   * script: {@code sh -c 'exec "$@" >"$0" 2>&1' LOG COMMAND...}. With {@code --init} the command is
   * not process 1 of its container, so SIGTERM ends it unless it handles the signal.
   */
  List<String> startCommand(String host, String name, Path log, List<String> command) {
    known(host);
    List<String> argv = new ArrayList<>(List.of(docker, "run", "-d", "--init"));
    argv.addAll(toolsContainer(host, name));
    argv.addAll(List.of("sh", "-c", "exec \"$@\" >\"$0\" 2>&1 </dev/null", log.toString()));
    argv.addAll(command);
    return argv;
  }

  private static String containerName(String what) {
    return "lvs-e2e-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public Result run(String host, List<String> command, Duration timeout) {
    String name = containerName("run");
    List<String> argv = runCommand(host, name, command);
    try {
      Processes.Result r = Processes.run(argv, timeout);
      return new Result(host, command, r.exitCode(), r.stdout(), r.stderr());
    } catch (IllegalStateException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("timed out")) {
        throw e;
      }
      // Killing the docker client leaves the container running. (A command docker exec started
      // in the client container cannot be reached this way; it runs on.)
      if (!host.equals(client)) {
        Processes.run(List.of(docker, "rm", "-f", name), Duration.ofSeconds(60));
      }
      return new Result(host, command, 124, "", e.getMessage());
    }
  }

  @Override
  public Background start(String host, Path log, List<String> command) {
    known(host);
    Path abs = log.toAbsolutePath().normalize();
    if (!abs.startsWith(workDir)) {
      throw new IllegalArgumentException(
          "a background process's log must be under the work directory "
              + workDir
              + " (the only directory the containers share): "
              + log);
    }
    try {
      Files.createDirectories(abs.getParent());
      Files.deleteIfExists(abs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String name = containerName("bg");
    Processes.Result r =
        Processes.run(startCommand(host, name, abs, command), Duration.ofMinutes(2));
    if (!r.ok()) {
      throw new IllegalStateException(
          "cannot start " + command + " on " + host + ": " + r.stdout() + r.stderr());
    }
    return new ContainerProcess(docker, name, abs);
  }

  /** A background process: a detached container, by name. */
  record ContainerProcess(String docker, String name, Path log) implements Background {
    private Processes.Result cli(Duration timeout, String... args) {
      List<String> argv = new ArrayList<>(List.of(docker));
      argv.addAll(List.of(args));
      return Processes.run(argv, timeout);
    }

    @Override
    public boolean isAlive() {
      Processes.Result r = cli(Duration.ofSeconds(60), "inspect", "-f", "{{.State.Running}}", name);
      return r.ok() && r.stdout().trim().equals("true");
    }

    /**
     * Stops the container ({@code docker stop}: SIGTERM, SIGKILL after {@code grace}), removes it
     * and returns the command's exit status: 128 + the signal's number when a signal ended it, -1
     * when the container is gone already.
     */
    @Override
    public int stop(Duration grace) {
      long seconds = Math.max(0, (grace.toMillis() + 999) / 1000);
      cli(grace.plusSeconds(60), "stop", "-t", Long.toString(seconds), name);
      Processes.Result r =
          cli(Duration.ofSeconds(60), "inspect", "-f", "{{.State.ExitCode}}", name);
      cli(Duration.ofSeconds(60), "rm", "-f", name);
      try {
        return r.ok() ? Integer.parseInt(r.stdout().trim()) : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }
}
