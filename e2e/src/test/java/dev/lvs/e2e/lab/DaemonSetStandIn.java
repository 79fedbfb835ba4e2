package dev.lvs.e2e.lab;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The lab's stand-in for the DaemonSet controller and the kubelet, for one DaemonSet (the agents).
 * It is NOT a kubelet: no pods, no images, no probes, no pod network. Every second it reads the
 * DaemonSet and the Nodes, and on each lab node whose Node the pod template selects (node selector,
 * required node affinity, taints) it keeps one container running as the template says: command and
 * args with {@code $(VAR)} expanded, the environment with the downward API resolved, hostPath
 * volumes bind-mounted from the node's own directory, the ServiceAccount's token where a kubelet
 * projects it, and the capability bounding set of the security context ({@link PodTemplates}). A
 * changed template restarts each node's container in turn, without waiting for readiness (so not
 * maxUnavailable); a node the template no longer selects has its container stopped (SIGTERM, then
 * SIGKILL after terminationGracePeriodSeconds). A container that exits is restarted (restartPolicy
 * Always, e2e/lab-files/pod-supervise). The DaemonSet's status counts what runs.
 *
 * <p>Files: {@code LAB/pods/NODE/HASH-N/} per container run (pod.sh, pid, log, restarts, exits),
 * {@code LAB/pods/NODE/current} the running one; {@code LAB/pods/NODE.lost} marks a node the lab
 * killed ({@code e2e/lab kill-node}): nothing runs there any more.
 */
public final class DaemonSetStandIn {
  private final Path lab;
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String apiHost;
  private final int apiPort;
  private final String supervisor;
  private final Mailbox mailbox;
  private final List<String> labNodes;
  private final Map<String, String> lastProblem = new TreeMap<>();
  private DaemonSetStatus lastStatus;

  DaemonSetStandIn(Map<String, String> opts) throws IOException {
    this.lab = Path.of(required(opts, "lab")).toAbsolutePath().normalize();
    String kubeconfig = Files.readString(Path.of(required(opts, "kubeconfig")));
    this.client =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    this.namespace = required(opts, "namespace");
    this.name = required(opts, "daemonset");
    this.apiHost = required(opts, "api-host");
    this.apiPort = Integer.parseInt(required(opts, "api-port"));
    this.supervisor = required(opts, "pod-supervisor");
    this.mailbox = new Mailbox(lab);
    this.labNodes =
        Files.readAllLines(lab.resolve("topology")).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .map(l -> l.split("\\s+"))
            .filter(f -> f.length >= 4 && "node".equals(f[3]))
            .map(f -> f[0])
            .toList();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    DaemonSetStandIn s = new DaemonSetStandIn(opts);
    log(
        "DaemonSet stand-in for "
            + s.namespace
            + "/"
            + s.name
            + " on lab nodes "
            + s.labNodes
            + " (not a kubelet: see docs/lab.md)");
    while (true) {
      try {
        s.reconcile();
      } catch (KubernetesClientException e) {
        log("API error (retrying): " + e.getMessage());
      } catch (RuntimeException e) {
        log("error (retrying): " + e);
      }
      Thread.sleep(1000);
    }
  }

  void reconcile() throws IOException {
    DaemonSet ds = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
    int desired = 0;
    int running = 0;
    int updated = 0;
    for (String nodeName : labNodes) {
      Path dir = lab.resolve("pods").resolve(nodeName);
      Files.createDirectories(dir);
      Current current = current(dir);
      if (Files.exists(lab.resolve("pods").resolve(nodeName + ".lost"))) {
        continue; // the node is gone: nothing runs there, nothing can be stopped
      }
      Node node = client.nodes().withName(nodeName).get();
      boolean wanted;
      try {
        wanted =
            ds != null
                && ds.getMetadata().getDeletionTimestamp() == null
                && node != null
                && PodTemplates.schedulable(ds.getSpec().getTemplate().getSpec(), node);
      } catch (PodTemplates.UnsupportedPodException e) {
        problem(nodeName, "cannot decide placement: " + e.getMessage());
        continue;
      }
      if (!wanted) {
        if (current != null) {
          log(nodeName + ": the DaemonSet no longer selects this node: stopping its agent");
          stop(nodeName, current, grace(ds));
        }
        continue;
      }
      desired++;
      String hash = PodTemplates.templateHash(ds.getSpec().getTemplate());
      if (current != null && current.hash().equals(hash)) {
        running += current.alive() ? 1 : 0;
        updated += current.alive() ? 1 : 0;
        continue;
      }
      if (current != null) {
        log(nodeName + ": the pod template changed (" + current.hash() + " -> " + hash + ")");
        stop(nodeName, current, grace(ds));
      }
      try {
        start(ds, node, hash);
        running++;
        updated++;
      } catch (PodTemplates.UnsupportedPodException e) {
        problem(nodeName, "cannot run the pod template: " + e.getMessage());
      }
    }
    if (ds != null) {
      writeStatus(ds, desired, running, updated);
    }
  }

  private void writeStatus(DaemonSet ds, int desired, int running, int updated) {
    DaemonSetStatus status =
        new DaemonSetStatusBuilder()
            .withObservedGeneration(ds.getMetadata().getGeneration())
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(running)
            .withNumberReady(running)
            .withNumberAvailable(running)
            .withUpdatedNumberScheduled(updated)
            .withNumberMisscheduled(0)
            .withNumberUnavailable(desired - running)
            .build();
    if (status.equals(lastStatus) && status.equals(ds.getStatus())) {
      return;
    }
    ds.setStatus(status);
    client.apps().daemonSets().inNamespace(namespace).resource(ds).updateStatus();
    lastStatus = status;
  }

  private static long grace(DaemonSet ds) {
    if (ds == null) {
      return 30;
    }
    Long g = ds.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    return g == null ? 30 : g;
  }

  /** The container run a node has now. */
  record Current(Path dir, String hash, boolean alive) {}

  private Current current(Path nodeDir) throws IOException {
    Path link = nodeDir.resolve("current");
    if (!Files.isSymbolicLink(link)) {
      return null;
    }
    Path run = nodeDir.resolve(Files.readSymbolicLink(link));
    String hash = run.getFileName().toString().replaceFirst("-[0-9]+$", "");
    return new Current(run, hash, Files.exists(run.resolve("pid")));
  }

  private void start(DaemonSet ds, Node node, String hash) throws IOException {
    String nodeName = node.getMetadata().getName();
    PodTemplateSpec template = ds.getSpec().getTemplate();
    String pod = ds.getMetadata().getName() + "-" + hash.substring(0, 5) + "-" + nodeName;
    String sa = template.getSpec().getServiceAccountName();
    PodTemplates.PodContext ctx =
        new PodTemplates.PodContext(
            pod,
            namespace,
            UUID.nameUUIDFromBytes(pod.getBytes(StandardCharsets.UTF_8)).toString(),
            nodeName,
            PodTemplates.internalIp(node),
            sa,
            template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of()
                : template.getMetadata().getLabels(),
            template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                ? Map.of()
                : template.getMetadata().getAnnotations());
    Map<String, String> env =
        PodTemplates.environment(
            template.getSpec().getContainers().get(0), ctx, apiHost, apiPort, this::lookup);
    Path saDir = sa == null ? null : lab.resolve("secrets").resolve(sa);
    if (saDir != null && !Files.isDirectory(saDir)) {
      throw new PodTemplates.UnsupportedPodException(
          "serviceAccountName " + sa + ": the lab has no token for it (e2e/lab makes them)");
    }
    String script =
        PodTemplates.script(
            template,
            nodeName,
            "/var/lib/lvs-lab/nodes/" + nodeName,
            saDir == null ? null : saDir.toString(),
            env,
            hash,
            // The lab's files (agent jar, tokens) stand in for the image: an emptyDir at /tmp
            // must not hide /tmp/lvs-lab.
            List.of(lab.toString()));
    Path nodeDir = lab.resolve("pods").resolve(nodeName);
    int n = 1;
    while (Files.exists(nodeDir.resolve(hash + "-" + n))) {
      n++;
    }
    Path run = Files.createDirectories(nodeDir.resolve(hash + "-" + n));
    Files.writeString(run.resolve("pod.sh"), script);
    Mailbox.Reply r =
        mailbox.run(
            "setsid "
                + Mailbox.quote(supervisor)
                + " "
                + Mailbox.quote(nodeName)
                + " "
                + Mailbox.quote(run.toString())
                + " </dev/null >/dev/null 2>&1 &",
            Duration.ofSeconds(60));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("cannot start the pod on " + nodeName + ": " + r.stderr());
    }
    Path link = nodeDir.resolve("current");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, run.getFileName());
    // The supervisor writes pid as soon as the container is forked.
    Instant deadline = Instant.now().plusSeconds(30);
    while (!Files.exists(run.resolve("pid")) && Instant.now().isBefore(deadline)) {
      sleep(100);
    }
    lastProblem.remove(nodeName);
    log(nodeName + ": started pod " + pod + " (template " + hash + "), log " + run.resolve("log"));
  }

  private void stop(String nodeName, Current current, long graceSeconds) throws IOException {
    Path run = current.dir();
    Files.writeString(run.resolve("stop"), "");
    String pidFile = Mailbox.quote(run.resolve("pid").toString());
    // SIGTERM, then SIGKILL after the grace period, as a kubelet stops a container.
    mailbox.run(
        "p=$(cat "
            + pidFile
            + " 2>/dev/null) || exit 0; kill -TERM \"$p\" 2>/dev/null || exit 0; for i in $(seq 1 "
            + (graceSeconds * 5)
            + "); do kill -0 \"$p\" 2>/dev/null || exit 0; sleep 0.2; done; kill -KILL \"$p\"",
        Duration.ofSeconds(graceSeconds + 30));
    Files.deleteIfExists(run.getParent().resolve("current"));
    log(nodeName + ": stopped " + run.getFileName());
  }

  private String lookup(String ref, String key) {
    String[] kindName = ref.split("/", 2);
    if ("ConfigMap".equals(kindName[0])) {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(kindName[1]).get();
      return cm == null || cm.getData() == null ? null : cm.getData().get(key);
    }
    Secret s = client.secrets().inNamespace(namespace).withName(kindName[1]).get();
    if (s == null || s.getData() == null || s.getData().get(key) == null) {
      return null;
    }
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  private void problem(String node, String message) {
    if (!Objects.equals(lastProblem.put(node, message), message)) {
      log(node + ": " + message);
    }
  }

  private static String required(Map<String, String> opts, String key) {
    String v = opts.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing --" + key);
    }
    return v;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void log(String message) {
    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " standin: " + message);
  }
}
