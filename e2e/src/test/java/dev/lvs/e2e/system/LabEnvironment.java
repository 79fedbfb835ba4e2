package dev.lvs.e2e.system;

import dev.lvs.e2e.lab.LabHosts;
import dev.lvs.e2e.lab.Mailbox;
import dev.lvs.e2e.support.Hosts;
import dev.lvs.e2e.support.Processes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab ({@code e2e/lab up}) as an {@link E2eEnvironment}: its kubeconfig, its hosts through the
 * guest's mailbox, and its own commands for restarts and a lost node. System properties: {@code
 * lvs.lab.dir} (default /tmp/lvs-lab), {@code lvs.repo} (the repository, for {@code e2e/lab}).
 */
public final class LabEnvironment implements E2eEnvironment {
  private final Path lab;
  private final Path repo;
  private final KubernetesClient client;
  private final LabHosts hosts;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final List<String> realServers = new ArrayList<>();
  private final List<String> directors = new ArrayList<>();
  private String clientHost;

  private LabEnvironment(Path lab, Path repo) throws IOException {
    this.lab = lab;
    this.repo = repo;
    if (!Files.exists(lab.resolve("up"))) {
      throw new IllegalStateException("the lab at " + lab + " is not up: run ./e2e/lab up");
    }
    for (String line : Files.readAllLines(lab.resolve("topology"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5 || f[0].startsWith("#")) {
        continue;
      }
      addresses.put(f[0], f[1]);
      if ("client".equals(f[3])) {
        clientHost = f[0];
      } else if (f[4].contains("lvs.dev/director=true")) {
        directors.add(f[0]);
      } else {
        realServers.add(f[0]);
      }
    }
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(lab.resolve("kubeconfig"))))
            .build();
    this.hosts = new LabHosts(lab, List.copyOf(addresses.keySet()));
  }

  static LabEnvironment open() {
    try {
      Path lab = Path.of(System.getProperty("lvs.lab.dir", "/tmp/lvs-lab")).toAbsolutePath();
      Path repo = Path.of(System.getProperty("lvs.repo", ".")).toAbsolutePath().normalize();
      return new LabEnvironment(lab, repo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Hosts hosts() {
    return hosts;
  }

  @Override
  public String director() {
    return directors.get(0);
  }

  @Override
  public List<String> directors() {
    return List.copyOf(directors);
  }

  @Override
  public void killAgent(String node) {
    lab("kill-agent", node);
  }

  @Override
  public void startAgent(String node) {
    // The agent JVM starts in the emulated guest: up to a minute on a quiet machine.
    lab(Duration.ofMinutes(6), "start-agent", node);
  }

  @Override
  public List<String> realServerNodes() {
    return List.copyOf(realServers);
  }

  @Override
  public String clientHost() {
    return clientHost;
  }

  @Override
  public String address(String host) {
    return addresses.get(host);
  }

  @Override
  public String vip() {
    return "172.16.58.1";
  }

  @Override
  public Path workDir() {
    try {
      return Files.createDirectories(lab.resolve("work"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path currentPod(String node) {
    return lab.resolve("pods").resolve(node).resolve("current");
  }

  @Override
  public void restartAgent(String node) {
    try {
      Path pod = currentPod(node).toRealPath();
      String before = Files.readString(pod.resolve("restarts")).trim();
      Mailbox.Reply r =
          hosts
              .mailbox()
              .run(
                  "kill -TERM \"$(cat " + Mailbox.quote(pod.resolve("pid").toString()) + ")\"",
                  Duration.ofSeconds(30));
      if (r.exitCode() != 0) {
        throw new IllegalStateException("cannot stop the agent on " + node + ": " + r.stderr());
      }
      // The container restarts (pod-supervise): its restart count goes up and a new pid appears.
      Instant deadline = Instant.now().plus(converge());
      while (Instant.now().isBefore(deadline)) {
        String now = Files.readString(pod.resolve("restarts")).trim();
        if (!now.equals(before) && Files.exists(pod.resolve("pid"))) {
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("the agent on " + node + " did not restart");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void lab(String... args) {
    lab(Duration.ofMinutes(3), args);
  }

  private void lab(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("e2e/lab").toString()));
    cmd.addAll(List.of(args));
    Processes.Result r = Processes.run(cmd, timeout);
    if (!r.ok()) {
      throw new IllegalStateException(
          "e2e/lab " + String.join(" ", args) + " failed:\n" + r.stdout() + r.stderr());
    }
  }

  @Override
  public void restartOperator() {
    lab("restart-operator");
  }

  @Override
  public void killNode(String node) {
    lab("kill-node", node);
  }

  @Override
  public String agentLog(String node) {
    try {
      Path log = currentPod(node).resolve("log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Duration converge() {
    // Agents are JVMs in an emulated guest: a restart takes 30-60 s on a quiet machine, minutes
    // on a loaded one (a DaemonSet whose node set changes restarts them all).
    return Duration.ofMinutes(5);
  }

  @Override
  public void close() {
    client.close();
  }
}
