package dev.lvs.e2e.system;

import dev.lvs.e2e.kind.KindHosts;
import dev.lvs.e2e.kind.KindNetwork;
import dev.lvs.e2e.kind.KindTopology;
import dev.lvs.e2e.support.Hosts;
import dev.lvs.e2e.support.Processes;
import dev.lvs.operator.agent.AgentDaemonSetRenderer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The kind system ({@code e2e/kind/up}, e2e/kind/README.md) as an {@link E2eEnvironment}: a 3-node
 * kind cluster with the chart installed, reached through the kubeconfig in the state directory, its
 * hosts through Docker ({@link KindHosts}). Restarts go through the API (pods are deleted and their
 * controllers make new ones); a killed node is a stopped node container, which the node lifecycle
 * controller marks not Ready after its grace period (about 40 s). System property {@code
 * lvs.kind.dir} (default /tmp/lvs-kind): the state directory.
 */
public final class KindEnvironment implements E2eEnvironment {
  public static final String NAMESPACE = "lvs-system";
  public static final String OPERATOR_DEPLOYMENT = "lvs-operator";

  /** The chart's selector labels of the operator pods, for release lvs-operator. */
  public static final String OPERATOR_PODS =
      "app.kubernetes.io/name=lvs-operator,app.kubernetes.io/instance=lvs-operator,"
          + "app.kubernetes.io/component=operator";

  private static final String DOCKER = "docker";
  private static final String NETWORK = "kind";
  private static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

  private final Path dir;
  private final KindTopology topology;
  private final String vip;
  private final KubernetesClient client;
  private final KindHosts hosts;

  private KindEnvironment(Path dir) throws IOException {
    this.dir = dir;
    if (!Files.exists(dir.resolve("up"))) {
      throw new IllegalStateException("the kind system at " + dir + " is not up: run e2e/kind/up");
    }
    this.topology = KindTopology.parse(Files.readAllLines(dir.resolve("topology")));
    this.vip = Files.readString(dir.resolve("vip")).strip();
    Processes.Result inspect =
        Processes.run(List.of(DOCKER, "network", "inspect", NETWORK), Duration.ofMinutes(1));
    if (!inspect.ok()) {
      throw new IllegalStateException(
          "docker network inspect " + NETWORK + ": " + inspect.stderr());
    }
    List<String> problems = KindNetwork.parse(inspect.stdout()).problems(vip, topology.addresses());
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "the kind system at " + dir + " is not as e2e/kind/up left it: " + problems);
    }
    this.hosts =
        new KindHosts(
            DOCKER,
            Files.readString(dir.resolve("tools-image")).strip(),
            dir.resolve("work"),
            topology.nodes(),
            topology.client());
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(dir.resolve("kubeconfig"))))
            .build();
  }

  static KindEnvironment open() {
    try {
      return new KindEnvironment(
          Path.of(System.getProperty("lvs.kind.dir", "/tmp/lvs-kind")).toAbsolutePath());
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
    return topology.director();
  }

  @Override
  public List<String> realServerNodes() {
    return topology.realServers();
  }

  @Override
  public String clientHost() {
    return topology.client();
  }

  @Override
  public String address(String host) {
    return topology.addresses().get(host);
  }

  @Override
  public String vip() {
    return vip;
  }

  @Override
  public Path workDir() {
    try {
      return Files.createDirectories(hosts.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The agent pod on {@code node} that is not being deleted (the newest, should there be two). */
  private Optional<Pod> agentPod(String node) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabelSelector(AgentDaemonSetRenderer.INFORMER_SELECTOR)
        .withField("spec.nodeName", node)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String uid(Pod p) {
    return p.getMetadata().getUid();
  }

  /** Deletes the node's agent pod; returns when the DaemonSet's new pod there is Ready. */
  @Override
  public void restartAgent(String node) {
    Pod old =
        agentPod(node).orElseThrow(() -> new IllegalStateException("no agent pod on node " + node));
    client.pods().inNamespace(NAMESPACE).withName(old.getMetadata().getName()).delete();
    await(
        "a new agent pod on " + node + " to be Ready",
        () -> agentPod(node).filter(p -> !uid(p).equals(uid(old)) && ready(p)).isPresent());
  }

  private List<Pod> operatorPods() {
    return client.pods().inNamespace(NAMESPACE).withLabelSelector(OPERATOR_PODS).list().getItems();
  }

  /** Deletes the operator's pods; returns when the old ones are gone and the new ones Ready. */
  @Override
  public void restartOperator() {
    Set<String> old = operatorPods().stream().map(KindEnvironment::uid).collect(Collectors.toSet());
    Deployment d =
        client.apps().deployments().inNamespace(NAMESPACE).withName(OPERATOR_DEPLOYMENT).get();
    int replicas = d == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    client.pods().inNamespace(NAMESPACE).withLabelSelector(OPERATOR_PODS).delete();
    await(
        replicas + " new operator pod(s) to be Ready",
        () -> {
          List<Pod> pods = operatorPods();
          return pods.stream().noneMatch(p -> old.contains(uid(p)))
              && pods.stream().filter(KindEnvironment::ready).count() >= replicas;
        });
  }

  /**
   * Kills the node's container ({@code docker kill}, SIGKILL: nothing on the node gets to clean up
   * or report, as when the lab kills a node): its processes die and its network namespace goes at
   * once. The Node turns not Ready when the node lifecycle controller notices (about 40 s later,
   * within {@link #converge()}). Refuses the control plane, where the API server runs.
   */
  @Override
  public void killNode(String node) {
    if (!topology.nodes().contains(node)) {
      throw new IllegalArgumentException("no kind node " + node + " (" + topology.nodes() + ")");
    }
    var n = client.nodes().withName(node).get();
    if (n != null
        && n.getMetadata().getLabels() != null
        && n.getMetadata().getLabels().containsKey(CONTROL_PLANE_LABEL)) {
      throw new IllegalArgumentException(
          node + " is kind's control plane: killing it would take the API server with it");
    }
    Processes.Result r = Processes.run(List.of(DOCKER, "kill", node), Duration.ofMinutes(2));
    if (!r.ok()) {
      throw new IllegalStateException("docker kill " + node + ": " + r.stderr());
    }
  }

  /** The log of the current container of the node's agent pod ("" when it has none). */
  @Override
  public String agentLog(String node) {
    return agentPod(node)
        .map(
            p -> {
              try {
                String log =
                    client
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withName(p.getMetadata().getName())
                        .getLog();
                return log == null ? "" : log;
              } catch (KubernetesClientException e) {
                return ""; // not started yet, or its node is gone
              }
            })
        .orElse("");
  }

  /** Real pods on real nodes; a killed node takes the node lifecycle controller about 40 s. */
  @Override
  public Duration converge() {
    return Duration.ofMinutes(3);
  }

  private void await(String what, BooleanSupplier done) {
    Instant deadline = Instant.now().plus(converge());
    while (Instant.now().isBefore(deadline)) {
      if (done.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
    throw new IllegalStateException("waited " + converge() + " in vain for " + what);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "kind system at " + dir;
  }
}
