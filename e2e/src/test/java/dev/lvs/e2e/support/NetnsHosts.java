package dev.lvs.e2e.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Hosts as network namespaces of this kernel on one Linux bridge: every host has {@code lo} up and
 * an {@code eth0} (a veth whose peer is a port of bridge {@code br0}, itself in a namespace of its
 * own, so nothing touches the initial namespace's network). Commands run under {@code nsenter
 * --net}, which switches only the network namespace (cheaper than {@code ip netns exec}).
 */
public final class NetnsHosts implements Hosts {
  private final String bridgeNamespace;
  private final List<String> hosts = new ArrayList<>();

  private NetnsHosts(String bridgeNamespace) {
    this.bridgeNamespace = bridgeNamespace;
  }

  /** Creates the namespace {@code bridgeNamespace} holding an up bridge {@code br0}. */
  public static NetnsHosts onBridge(String bridgeNamespace) {
    NetnsHosts h = new NetnsHosts(bridgeNamespace);
    exec(List.of("ip", "netns", "add", bridgeNamespace));
    exec(List.of("ip", "-n", bridgeNamespace, "link", "add", "br0", "type", "bridge"));
    exec(List.of("ip", "-n", bridgeNamespace, "link", "set", "br0", "up"));
    return h;
  }

  /** Adds host {@code name} (a namespace) with {@code eth0} at {@code cidr} on the bridge. */
  public NetnsHosts add(String name, String cidr) {
    exec(List.of("ip", "netns", "add", name));
    String batch =
        String.join(
            "\n",
            "link set lo up",
            "link add eth0 type veth peer name " + name + " netns " + bridgeNamespace,
            "addr add " + cidr + " dev eth0",
            "link set eth0 up",
            "");
    execWithInput(List.of("ip", "-n", name, "-batch", "-"), batch);
    exec(List.of("ip", "-n", bridgeNamespace, "link", "set", name, "master", "br0", "up"));
    hosts.add(name);
    return this;
  }

  public List<String> hosts() {
    return List.copyOf(hosts);
  }

  private List<String> in(String host, List<String> command) {
    if (!hosts.contains(host)) {
      throw new IllegalArgumentException("no host " + host + " (hosts: " + hosts + ")");
    }
    List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + host, "--"));
    full.addAll(command);
    return full;
  }

  @Override
  public Result run(String host, List<String> command, Duration timeout) {
    return runProcess(host, in(host, command), command, null, timeout);
  }

  @Override
  public Background start(String host, Path log, List<String> command) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      // nsenter execs the command: the process we hold is the command itself, so destroy()
      // sends it SIGTERM directly.
      Process p =
          new ProcessBuilder(in(host, command))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      return new ProcessBackground(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command in the test's own namespace (modules, files); throws unless it exits 0. */
  public static String runLocal(String... command) {
    return runProcess("(local)", List.of(command), List.of(command), null, DEFAULT_TIMEOUT)
        .orThrow()
        .stdout();
  }

  private static void exec(List<String> command) {
    runProcess("(root)", command, command, null, DEFAULT_TIMEOUT).orThrow();
  }

  private static void execWithInput(List<String> command, String input) {
    runProcess("(root)", command, command, input, DEFAULT_TIMEOUT).orThrow();
  }

  static Result runProcess(
      String host, List<String> argv, List<String> shown, String input, Duration timeout) {
    try {
      Process p = new ProcessBuilder(argv).start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (var stdin = p.getOutputStream()) {
        if (input != null) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        return new Result(
            host, shown, 124, out.join(), err.join() + "\n(timed out after " + timeout + ")");
      }
      return new Result(host, shown, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + shown, e);
    }
  }

  /** One thread per stream: the common pool may have a single thread on a 2-CPU guest. */
  private static final ExecutorService DRAINERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "netns-drain");
            t.setDaemon(true);
            return t;
          });

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(unreadable: " + e + ")";
          }
        },
        DRAINERS);
  }

  private record ProcessBackground(Process process, Path log) implements Background {
    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public int stop(Duration grace) {
      process.destroy();
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
        return process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }
}
