package dev.lvs.e2e.bench;

import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.agent.AgentNodeLabels;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The operator at scale (issue #5): a benchmark, not a test (no build runs it; {@code
 * e2e/bin/operator-benchmark} does).
 *
 * <p>Against the real kube-apiserver + etcd of {@link TestApiServer}, it creates one director Node,
 * {@code --rs-nodes} real-server Nodes, {@code --changes} spare Nodes, {@code --virtual-services}
 * VirtualServices (distinct VIPs) each selecting {@code --rs-per-vs} RealServers (every other one
 * with a {@code nodeName}); then starts the operator as a <b>separate JVM</b> ({@code
 * dev.lvs.operator.Main}, so its resident memory is its own) and measures:
 *
 * <ul>
 *   <li>cold-start convergence: from the operator process's start until every VirtualService and
 *       RealServer has {@code status.observedGeneration == metadata.generation} and the agent label
 *       is on exactly the director and the RealServers' nodes;
 *   <li>the latency of spec changes made one at a time, from just before the write until a watch
 *       sees the operator's result: a VirtualService port change until its {@code
 *       status.observedGeneration}; a RealServer moved to a spare Node until it has the agent label
 *       and the selecting VirtualService's {@code status.realServerNodes} include it;
 *   <li>the operator JVM's VmRSS/VmHWM from {@code /proc/PID/status}.
 * </ul>
 *
 * There is no kubelet, controller-manager or agent: agents' reports are not simulated, so every
 * VirtualService stays {@code Ready=False AgentsPending}; the operator still computes and writes
 * every status and the DaemonSet.
 */
public final class OperatorBenchmark {
  private static final String WORKLOAD_NAMESPACE = "bench";
  private static final String OPERATOR_NAMESPACE = "lvs-bench-system";
  private static final String DIRECTOR_LABEL = "bench.lvs.dev/director";
  private static final String DIRECTOR = "director-0";

  private final Map<String, String> opts;
  private final int virtualServices;
  private final int rsPerVs;
  private final int rsNodes;
  private final int changes;
  private final int threads;
  private final Duration timeout;
  private final Map<String, String> results =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Double> loadSamples = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicBoolean printed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private OperatorBenchmark(Map<String, String> opts) {
    this.opts = opts;
    this.virtualServices = intOpt("virtual-services", 1000);
    this.rsPerVs = intOpt("rs-per-vs", 4);
    this.rsNodes = intOpt("rs-nodes", 50);
    this.changes = intOpt("changes", 100);
    this.threads = intOpt("threads", 32);
    this.timeout = Duration.ofSeconds(intOpt("timeout-seconds", 900));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) {
        System.err.println(
            "usage: OperatorBenchmark [--virtual-services=1000] [--rs-per-vs=4] [--rs-nodes=50]"
                + " [--changes=100] [--threads=32] [--timeout-seconds=900]"
                + " [--operator-classpath=CP] [--operator-jvm-opts='...']");
        System.exit(2);
      }
      opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    int rc = 0;
    try {
      new OperatorBenchmark(opts).run();
    } catch (Exception e) {
      e.printStackTrace();
      rc = 1;
    }
    System.exit(rc); // runs the shutdown hooks: the operator JVM and the API server stop
  }

  private int intOpt(String name, int dflt) {
    return Integer.parseInt(opts.getOrDefault(name, String.valueOf(dflt)));
  }

  // ------------------------------------------------------------------ the run

  private void run() throws Exception {
    // A run stopped early (Ctrl-C, kill) still prints what it measured.
    Runtime.getRuntime().addShutdownHook(new Thread(this::printResults, "bench-results"));
    Thread sampler = new Thread(this::sampleLoad, "bench-load");
    sampler.setDaemon(true);
    sampler.start();
    try {
      measure();
    } catch (Exception e) {
      results.put("FAILED", e.toString());
      throw e;
    } finally {
      printResults(); // what was measured, also after a failure or a timeout
    }
  }

  private void measure() throws Exception {
    log("starting kube-apiserver + etcd (kube-api-test) with the CRDs");
    long t = System.nanoTime();
    TestApiServer server = TestApiServer.get();
    log("API server ready in " + ms(System.nanoTime() - t) + " ms");
    Config config = Config.fromKubeconfig(server.kubeConfigYaml());
    // fabric8 has no client-side QPS limit; these bound the JDK client's concurrency.
    config.setMaxConcurrentRequests(threads * 2);
    config.setMaxConcurrentRequestsPerHost(threads * 2);
    config.setRequestRetryBackoffLimit(10);
    config.setRequestTimeout(120_000);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      Fixture fixture = setUp(client);
      Path kubeconfig = server.writeKubeConfig(Files.createTempDirectory("lvs-bench"));
      try (Watched watched = new Watched(client);
          OperatorProcess operator = new OperatorProcess(kubeconfig)) {
        converge(watched, operator, fixture);
        long[] rss = operator.memory();
        results.put("operator VmRSS after convergence", mib(rss[0]));
        results.put("operator VmHWM (peak RSS) at convergence", mib(rss[1]));
        measureChanges(client, watched, fixture);
        rss = operator.memory();
        results.put("operator VmRSS after the changes", mib(rss[0]));
        results.put("operator VmHWM (peak RSS) after the changes", mib(rss[1]));
        results.put("operator heap in use after a full GC (jcmd GC.run)", operator.liveHeap());
        results.put(
            "operator reconciliations started, by primary kind", operator.reconciliations());
        results.put("operator JVM options", operator.jvmOpts());
      }
    }
  }

  /** What was created: node names, the RealServers with a node, which VS selects each RS. */
  private record Fixture(
      List<String> rsNodeNames,
      List<String> spareNodes,
      List<String> rsWithNode,
      Map<String, String> vsOfRs,
      Set<String> expectedAgentNodes) {}

  private Fixture setUp(KubernetesClient client) throws Exception {
    for (String ns : List.of(WORKLOAD_NAMESPACE, OPERATOR_NAMESPACE)) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    List<String> rsNodeNames = new ArrayList<>();
    List<String> spare = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t = System.nanoTime();
      List<Runnable> nodeTasks = new ArrayList<>();
      nodeTasks.add(() -> createNode(client, DIRECTOR, "192.168.0.1", true));
      for (int i = 0; i < rsNodes; i++) {
        String name = String.format("rs-node-%03d", i);
        rsNodeNames.add(name);
        String ip = "192.168." + (1 + i / 250) + "." + (1 + i % 250);
        nodeTasks.add(() -> createNode(client, name, ip, false));
      }
      for (int i = 0; i < changes; i++) {
        String name = String.format("spare-node-%03d", i);
        spare.add(name);
        String ip = "192.168." + (100 + i / 250) + "." + (1 + i % 250);
        nodeTasks.add(() -> createNode(client, name, ip, false));
      }
      runAll(pool, nodeTasks);
      int nodeCount = nodeTasks.size();
      results.put(
          "nodes",
          nodeCount
              + " (1 director, "
              + rsNodes
              + " real-server, "
              + changes
              + " spare for the changes)");
      log("created " + nodeCount + " nodes in " + ms(System.nanoTime() - t) + " ms");

      t = System.nanoTime();
      List<Runnable> tasks = new ArrayList<>();
      List<String> rsWithNode = new ArrayList<>();
      Map<String, String> vsOfRs = new TreeMap<>();
      Set<String> expected = new TreeSet<>();
      expected.add(DIRECTOR);
      int rsIndex = 0;
      for (int v = 0; v < virtualServices; v++) {
        String vsName = String.format("vs-%04d", v);
        String vip = "10.96." + (v / 250) + "." + (1 + v % 250);
        tasks.add(() -> createVs(client, vsName, vip));
        for (int r = 0; r < rsPerVs; r++, rsIndex++) {
          String rsName = String.format("rs-%05d", rsIndex);
          String address = "10.200." + (rsIndex / 250) + "." + (1 + rsIndex % 250);
          String node = null;
          if (rsIndex % 2 == 0) {
            node = rsNodeNames.get((rsIndex / 2) % rsNodes);
            rsWithNode.add(rsName);
            expected.add(node);
          }
          vsOfRs.put(rsName, vsName);
          String n = node;
          tasks.add(() -> createRs(client, rsName, vsName, address, n));
        }
      }
      runAll(pool, tasks);
      results.put(
          "VirtualServices / RealServers",
          virtualServices
              + " / "
              + rsIndex
              + " ("
              + rsWithNode.size()
              + " with a nodeName),"
              + " one namespace");
      results.put(
          "setup: creating them (" + threads + " client threads)", secs(System.nanoTime() - t));
      log(
          "created "
              + tasks.size()
              + " VirtualServices and RealServers in "
              + ms(System.nanoTime() - t)
              + " ms");
      return new Fixture(rsNodeNames, spare, rsWithNode, vsOfRs, expected);
    } finally {
      pool.shutdownNow();
    }
  }

  private void converge(Watched watched, OperatorProcess operator, Fixture fixture)
      throws Exception {
    log("starting the operator JVM");
    long start = operator.start();
    long deadline = start + timeout.toNanos();
    long vsDone = 0;
    long rsDone = 0;
    long dsDone = 0;
    long lastLog = System.nanoTime();
    while (vsDone == 0 || rsDone == 0 || dsDone == 0) {
      if (!operator.alive()) {
        throw new IllegalStateException("the operator exited; see " + operator.log);
      }
      long now = System.nanoTime();
      if (now > deadline) {
        results.put("operator VmRSS at the timeout", mib(operator.memory()[0]));
        throw new TimeoutException(
            "no convergence within "
                + timeout
                + ": "
                + watched.progress(fixture.expectedAgentNodes));
      }
      int vsConverged = watched.converged(watched.virtualServices);
      int rsConverged = watched.converged(watched.realServers);
      if (vsDone == 0 && vsConverged == virtualServices) {
        vsDone = now;
      }
      if (rsDone == 0 && rsConverged == fixture.vsOfRs.size()) {
        rsDone = now;
      }
      if (dsDone == 0 && fixture.expectedAgentNodes.equals(watched.agentNodes())) {
        dsDone = now;
      }
      if (now - lastLog > TimeUnit.SECONDS.toNanos(10)) {
        lastLog = now;
        log("  t+" + secs(now - start) + ": " + watched.progress(fixture.expectedAgentNodes));
      }
      Thread.sleep(50);
    }
    results.put("cold start: operator JVM start -> DaemonSet complete", secs(dsDone - start));
    results.put("cold start: -> every VirtualService status current", secs(vsDone - start));
    results.put("cold start: -> every RealServer status current", secs(rsDone - start));
    results.put(
        "cold start: converged (all of the above)",
        secs(Math.max(dsDone, Math.max(vsDone, rsDone)) - start));
    log("converged in " + secs(Math.max(dsDone, Math.max(vsDone, rsDone)) - start));
    // Let the reconciles that convergence triggered drain before measuring single changes.
    Thread.sleep(5_000);
  }

  private void measureChanges(KubernetesClient client, Watched watched, Fixture fixture)
      throws Exception {
    List<Long> vsPort = new ArrayList<>();
    List<Long> rsToDs = new ArrayList<>();
    List<Long> rsToVs = new ArrayList<>();
    int moved = 0;
    for (int i = 0; i < changes; i++) {
      if (i % 2 == 0) {
        // A VirtualService's port: its status.observedGeneration follows.
        String vsName = String.format("vs-%04d", (i * 7919) % virtualServices);
        int port = 1000 + i;
        // A spec change increments the generation by one.
        long generation =
            watched
                    .virtualServices
                    .getStore()
                    .getByKey(WORKLOAD_NAMESPACE + "/" + vsName)
                    .getMetadata()
                    .getGeneration()
                + 1;
        CompletableFuture<Long> done = new CompletableFuture<>();
        watched.await(
            watched.vsWaiters,
            vs ->
                vs.getMetadata().getName().equals(vsName)
                    && vs.getStatus() != null
                    && vs.getStatus().getObservedGeneration() != null
                    && vs.getStatus().getObservedGeneration() >= generation,
            done);
        Written<VirtualService> written =
            write(client, VirtualService.class, vsName, vs -> vs.getSpec().setPort(port));
        VirtualService edited = written.object();
        long t0 = written.startNanos();
        if (edited.getMetadata().getGeneration() != generation) {
          throw new IllegalStateException(
              vsName
                  + ": generation "
                  + edited.getMetadata().getGeneration()
                  + " after the edit, expected "
                  + generation);
        }
        vsPort.add(done.get(timeout.toSeconds(), TimeUnit.SECONDS) - t0);
      } else {
        // A RealServer moves to a node no agent runs on: DaemonSet and the VS's status follow.
        String rsName = fixture.rsWithNode.get((moved * 37) % fixture.rsWithNode.size());
        String target = fixture.spareNodes.get(moved++);
        String vsName = fixture.vsOfRs.get(rsName);
        CompletableFuture<Long> ds = new CompletableFuture<>();
        CompletableFuture<Long> vsStatus = new CompletableFuture<>();
        watched.await(
            watched.nodeWaiters,
            n -> n.getMetadata().getName().equals(target) && AgentNodeLabels.labelled(n),
            ds);
        watched.await(
            watched.vsWaiters,
            vs ->
                vs.getMetadata().getName().equals(vsName)
                    && vs.getStatus() != null
                    && vs.getStatus().getRealServerNodes() != null
                    && vs.getStatus().getRealServerNodes().contains(target),
            vsStatus);
        long t0 =
            write(client, RealServer.class, rsName, rs -> rs.getSpec().setNodeName(target))
                .startNanos();
        rsToDs.add(ds.get(timeout.toSeconds(), TimeUnit.SECONDS) - t0);
        rsToVs.add(vsStatus.get(timeout.toSeconds(), TimeUnit.SECONDS) - t0);
      }
      recordChanges(vsPort, rsToDs, rsToVs);
      if ((i + 1) % 10 == 0) {
        log("  " + (i + 1) + "/" + changes + " changes");
      }
    }
  }

  /** After each change, so that a run stopped early reports the changes made so far. */
  private void recordChanges(List<Long> vsPort, List<Long> rsToDs, List<Long> rsToVs) {
    synchronized (results) {
      results.keySet().removeIf(k -> k.contains(" change -> "));
    }
    results.put(
        "VS port change -> its status.observedGeneration (n=" + vsPort.size() + ")",
        percentiles(vsPort));
    results.put(
        "RS nodeName change -> agent node label (n=" + rsToDs.size() + ")", percentiles(rsToDs));
    results.put(
        "RS nodeName change -> VS status.realServerNodes (n=" + rsToVs.size() + ")",
        percentiles(rsToVs));
  }

  // ------------------------------------------------------------------ watching

  /** Informers over what the operator writes, and waiters completed by their events. */
  private static final class Watched implements AutoCloseable {
    final SharedIndexInformer<VirtualService> virtualServices;
    final SharedIndexInformer<RealServer> realServers;
    final SharedIndexInformer<Node> nodes;
    final List<Waiter<VirtualService>> vsWaiters = new CopyOnWriteArrayList<>();
    final List<Waiter<Node>> nodeWaiters = new CopyOnWriteArrayList<>();

    Watched(KubernetesClient client) {
      virtualServices =
          client
              .resources(VirtualService.class)
              .inNamespace(WORKLOAD_NAMESPACE)
              .inform(handler(vsWaiters));
      realServers = client.resources(RealServer.class).inNamespace(WORKLOAD_NAMESPACE).inform();
      // Placement is the agent label on Nodes (the DaemonSet's nodeSelector).
      nodes = client.nodes().inform(handler(nodeWaiters));
    }

    <T> void await(List<Waiter<T>> waiters, Predicate<T> condition, CompletableFuture<Long> f) {
      Waiter<T> w = new Waiter<>(condition, f);
      waiters.add(w);
      f.whenComplete((x, e) -> waiters.remove(w));
    }

    private static <T> ResourceEventHandler<T> handler(List<Waiter<T>> waiters) {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(T obj) {
          offer(obj);
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
          offer(newObj);
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {}

        private void offer(T obj) {
          long now = System.nanoTime();
          waiters.forEach(w -> w.offer(obj, now));
        }
      };
    }

    <T extends HasMetadata> int converged(SharedIndexInformer<T> informer) {
      int n = 0;
      for (T o : informer.getStore().list()) {
        Long observed =
            o instanceof VirtualService vs
                ? vs.getStatus() == null ? null : vs.getStatus().getObservedGeneration()
                : ((RealServer) o).getStatus() == null
                    ? null
                    : ((RealServer) o).getStatus().getObservedGeneration();
        if (Objects.equals(observed, o.getMetadata().getGeneration())) {
          n++;
        }
      }
      return n;
    }

    Set<String> agentNodes() {
      Set<String> nodes = new HashSet<>();
      for (Node n : this.nodes.getStore().list()) {
        if (AgentNodeLabels.labelled(n)) {
          nodes.add(n.getMetadata().getName());
        }
      }
      return new TreeSet<>(nodes);
    }

    String progress(Set<String> expected) {
      return String.format(
          Locale.ROOT,
          "VirtualServices current %d/%d, RealServers current %d/%d, DaemonSet nodes %d/%d",
          converged(virtualServices),
          virtualServices.getStore().list().size(),
          converged(realServers),
          realServers.getStore().list().size(),
          agentNodes().size(),
          expected.size());
    }

    @Override
    public void close() {
      virtualServices.close();
      realServers.close();
      nodes.close();
    }
  }

  private record Waiter<T>(Predicate<T> condition, CompletableFuture<Long> done) {
    void offer(T obj, long nanos) {
      if (!done.isDone() && condition.test(obj)) {
        done.complete(nanos);
      }
    }
  }

  // ------------------------------------------------------------------ the operator JVM

  /** {@code dev.lvs.operator.Main} in its own JVM, so its RSS is measurable alone. */
  private final class OperatorProcess implements AutoCloseable {
    final Path log;
    private final Path kubeconfig;
    private final int metricsPort;
    private Process process;

    OperatorProcess(Path kubeconfig) throws IOException {
      this.kubeconfig = kubeconfig;
      this.log =
          Path.of(opts.getOrDefault("operator-log", "target/operator-benchmark.log"))
              .toAbsolutePath();
      try (ServerSocket s = new ServerSocket(0)) {
        this.metricsPort = s.getLocalPort();
      }
    }

    String jvmOpts() {
      String o = opts.getOrDefault("operator-jvm-opts", "").trim();
      return o.isEmpty() ? "(none: JVM defaults)" : o;
    }

    /** Starts the JVM; returns the nanoTime just before. */
    long start() throws IOException {
      String classpath = opts.get("operator-classpath");
      if (classpath == null) {
        throw new IllegalArgumentException("--operator-classpath is required");
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String o : opts.getOrDefault("operator-jvm-opts", "").trim().split("\\s+")) {
        if (!o.isEmpty()) {
          cmd.add(o);
        }
      }
      cmd.addAll(
          List.of(
              "-cp",
              classpath,
              "dev.lvs.operator.Main",
              "--namespace=" + OPERATOR_NAMESPACE,
              "--identity=bench-operator",
              "--metrics-port=" + metricsPort));
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      long t = System.nanoTime();
      process = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      return t;
    }

    boolean alive() {
      return process.isAlive();
    }

    /** The heap in use right after a full GC (about the live set), from jcmd; after the run. */
    String liveHeap() {
      try {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        String pid = String.valueOf(process.pid());
        if (new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true).start().waitFor()
            != 0) {
          return "(jcmd GC.run failed)";
        }
        Process info =
            new ProcessBuilder(jcmd, pid, "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        var m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
        return m.find()
            ? mib(Long.parseLong(m.group(2)))
                + " (heap committed "
                + mib(Long.parseLong(m.group(1)))
                + ")"
            : "(no heap line in jcmd GC.heap_info)";
      } catch (IOException e) {
        return "(jcmd: " + e + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "(interrupted)";
      }
    }

    /** VmRSS and VmHWM, in kB. */
    long[] memory() throws IOException {
      long rss = -1;
      long hwm = -1;
      for (String line : Files.readAllLines(Path.of("/proc", process.pid() + "", "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", ""));
        } else if (line.startsWith("VmHWM:")) {
          hwm = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
      return new long[] {rss, hwm};
    }

    /** Reconciliations started per primary kind, from /metrics. */
    String reconciliations() {
      try {
        String body =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Double> perController = new TreeMap<>();
        for (String line : body.split("\n")) {
          if (line.startsWith("operator_sdk_reconciliations_started_total")) {
            String controller =
                line.matches(".*\\bkind=\"[^\"]*\".*")
                    ? line.replaceAll(".*\\bkind=\"([^\"]*)\".*", "$1")
                    : "other";
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            perController.merge(controller, v, Double::sum);
          }
        }
        if (perController.isEmpty()) {
          return "(no operator_sdk_reconciliations_started_total in /metrics)";
        }
        StringBuilder b = new StringBuilder();
        perController.forEach(
            (c, v) ->
                b.append(b.length() == 0 ? "" : ", ")
                    .append(c)
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.0f", v)));
        return b.toString();
      } catch (IOException | InterruptedException | RuntimeException e) {
        return "(cannot read /metrics: " + e + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  // ------------------------------------------------------------------ creating objects

  private static void createNode(KubernetesClient client, String name, String ip, boolean dir) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    if (dir) {
      labels.put(DIRECTOR_LABEL, "true");
    }
    Node node =
        client
            .nodes()
            .resource(
                new NodeBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(labels)
                    .endMetadata()
                    .build())
            .create();
    node.setStatus(
        new NodeBuilder()
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(ip)
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .endCondition()
            .endStatus()
            .build()
            .getStatus());
    client.nodes().resource(node).updateStatus();
  }

  private static void createVs(KubernetesClient client, String name, String vip) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(WORKLOAD_NAMESPACE).build());
    VirtualServiceSpec spec = new VirtualServiceSpec();
    spec.setVip(vip);
    spec.setPort(80);
    spec.setDirectors(new LabelSelectorBuilder().addToMatchLabels(DIRECTOR_LABEL, "true").build());
    spec.setRealServerSelector(new LabelSelectorBuilder().addToMatchLabels("app", name).build());
    vs.setSpec(spec);
    client.resource(vs).create();
  }

  private static void createRs(
      KubernetesClient client, String name, String app, String address, String nodeName) {
    RealServer rs = new RealServer();
    rs.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(WORKLOAD_NAMESPACE)
            .withLabels(Map.of("app", app))
            .build());
    RealServerSpec spec = new RealServerSpec();
    spec.setAddress(address);
    spec.setNodeName(nodeName);
    rs.setSpec(spec);
    client.resource(rs).create();
  }

  /** A write and the nanoTime just before the request that made it. */
  private record Written<T>(T object, long startNanos) {}

  /**
   * Changes an object as a user would: reads it, changes it and replaces it (PUT with its
   * resourceVersion), again from the read on a 409 (the operator writes status concurrently). The
   * start time is taken just before the request that succeeded, so a latency runs from the write,
   * not from the read before it.
   */
  private static <T extends HasMetadata> Written<T> write(
      KubernetesClient client, Class<T> type, String name, Consumer<T> change) {
    for (int attempt = 0; ; attempt++) {
      T current = client.resources(type).inNamespace(WORKLOAD_NAMESPACE).withName(name).get();
      change.accept(current);
      long start = System.nanoTime();
      try {
        return new Written<>(client.resource(current).update(), start);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt > 20) {
          throw e;
        }
      }
    }
  }

  private static void runAll(ExecutorService pool, Collection<Runnable> tasks) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (Runnable r : tasks) {
      futures.add(pool.submit(r));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }

  // ------------------------------------------------------------------ reporting

  private static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "(none)";
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    return String.format(
        Locale.ROOT,
        "p50 %d ms, p90 %d ms, p99 %d ms, max %d ms",
        ms(rank(sorted, 50)),
        ms(rank(sorted, 90)),
        ms(rank(sorted, 99)),
        ms(sorted.get(sorted.size() - 1)));
  }

  /** Nearest-rank percentile: with fewer than 100 samples, p99 is the maximum. */
  private static long rank(List<Long> sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
  }

  private void printResults() {
    if (!printed.compareAndSet(false, true)) {
      return;
    }
    int width = results.keySet().stream().mapToInt(String::length).max().orElse(10);
    StringBuilder b = new StringBuilder("\n== lvs-operator benchmark results ==\n");
    b.append(String.format("| %-" + width + "s | %s |%n", "measure", "result"));
    b.append("|").append("-".repeat(width + 2)).append("|--------|\n");
    results.forEach((k, v) -> b.append(String.format("| %-" + width + "s | %s |%n", k, v)));
    b.append(
        String.format(
            Locale.ROOT,
            "%nmachine: %d CPUs (availableProcessors), 1-minute load average during the run: %s;"
                + " /proc/loadavg at the end: %s%n",
            Runtime.getRuntime().availableProcessors(),
            loadDuringRun(),
            loadAverage()));
    System.out.print(b);
  }

  /** The machine's 1-minute load average every 5 s, for the results. */
  private void sampleLoad() {
    while (true) {
      try {
        String first = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
        loadSamples.add(Double.parseDouble(first));
        Thread.sleep(5_000);
      } catch (IOException | NumberFormatException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private String loadDuringRun() {
    List<Double> l = new ArrayList<>(loadSamples);
    if (l.isEmpty()) {
      return "?";
    }
    double mean = l.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return String.format(
        Locale.ROOT,
        "min %.1f, mean %.1f, max %.1f (%d samples, every 5 s)",
        l.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        mean,
        l.stream().mapToDouble(Double::doubleValue).max().orElse(0),
        l.size());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static String secs(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static String mib(long kb) {
    return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
  }

  private static void log(String msg) {
    System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), msg);
  }
}
