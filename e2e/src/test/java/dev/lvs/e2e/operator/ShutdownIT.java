package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.Processes;
import dev.lvs.e2e.support.TestApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM ends the operator and the agent within a few seconds even when the API server they were
 * talking to has gone away (issue #11: an operator was still running 16 minutes after SIGTERM).
 * Each process is the real jar, started as a separate JVM against an API server of this class's own
 * (the shared one must stay up), which is stopped before the signal.
 */
class ShutdownIT {
  /** How long after SIGTERM each process may take to exit (their default bound is 10 s). */
  static final Duration EXIT_BOUND = Duration.ofSeconds(15);

  private TestApiServer server;
  private Path dir;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = TestApiServer.startPrivate();
    dir = Files.createTempDirectory("lvs-shutdown-it");
  }

  @AfterEach
  void stopAll() {
    processes.forEach(Process::destroyForcibly);
    server.stop();
  }

  @Test
  void theOperatorExitsSoonAfterSigtermWhenTheApiServerIsGone() throws Exception {
    Process operator = startLeadingOperator();
    stopServer();
    assertExitsSoonAfterSigterm(operator, "operator");
    assertThat(log("operator")).contains("event=operator-started");
  }

  @Test
  void theOperatorExitsSoonAfterSigtermWhileTheApiServerIsUp() throws Exception {
    Process operator = startLeadingOperator();
    assertExitsSoonAfterSigterm(operator, "operator");
  }

  /** A leader that cannot renew its Lease exits by itself, with status 1 (a lost Lease). */
  @Test
  void theOperatorExitsWhenItCannotRenewItsLease() throws Exception {
    Process operator =
        startLeadingOperator("--renew-deadline=4s", "--lease-duration=6s", "--retry-period=1s");
    stopServer();
    boolean exited = operator.waitFor(4 + EXIT_BOUND.toSeconds(), TimeUnit.SECONDS);
    String threads = exited ? "" : threadDump(operator);
    assertThat(exited)
        .as(
            "the operator exited within 4 s + %s of losing the API server; its threads:%n%s%n"
                + "its log:%n%s",
            EXIT_BOUND, threads, log("operator"))
        .isTrue();
    assertThat(operator.exitValue()).as("its log:%n%s", log("operator")).isEqualTo(1);
  }

  /** The operator jar, with the default flags of the report but the port, once it leads. */
  private Process startLeadingOperator(String... flags) throws Exception {
    String namespace = server.freshNamespace("shd-system");
    int port = freePort();
    List<String> args = new ArrayList<>();
    args.add(jar("operator/target/lvs-operator.jar").toString());
    // Another process may hold 8080.
    args.add("--metrics-port=" + port);
    args.add("--identity=shutdown-it");
    args.addAll(List.of(flags));
    Process operator = start("operator", args, namespace);
    try (KubernetesClient client = server.newClient()) {
      await()
          .atMost(OperatorHarness.TIMEOUT)
          .until(() -> exited(operator) || "shutdown-it".equals(holder(client, namespace)));
    }
    await().atMost(OperatorHarness.TIMEOUT).until(() -> exited(operator) || ready(port));
    assertThat(operator.isAlive()).as("the operator runs; its log:\n%s", log("operator")).isTrue();
    return operator;
  }

  @Test
  void theAgentExitsSoonAfterSigtermWhenTheApiServerIsGone() throws Exception {
    // An agent on a node that no VirtualService or RealServer names (there are none): its syncs
    // find nothing to change, so it runs in the host's network namespace and touches nothing.
    int port = freePort();
    Path state = Files.createDirectories(dir.resolve("state"));
    Process agent =
        start(
            "agent",
            List.of(
                jar("agent/target/lvs-agent.jar").toString(),
                "run",
                "--node-name=shutdown-it-" + ProcessHandle.current().pid(),
                "--state-dir=" + state,
                "--metrics-port=" + port),
            null);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> exited(agent) || ready(port));
    assertThat(agent.isAlive()).as("the agent runs; its log:\n%s", log("agent")).isTrue();
    String owned = owned(state);

    stopServer();
    assertExitsSoonAfterSigterm(agent, "agent");
    assertThat(log("agent")).contains("the data plane is left as it is");
    assertThat(owned(state)).as("what the agent records as its own").isEqualTo(owned);
  }

  /**
   * Stops the API server and gives the processes time to notice (their connections drop, their next
   * requests are refused), but less than the 10 s a leader retries renewing its Lease.
   */
  private void stopServer() throws InterruptedException {
    server.stop();
    Thread.sleep(3_000);
  }

  /** Sends SIGTERM and asserts a prompt exit with status 0. */
  private void assertExitsSoonAfterSigterm(Process p, String name) throws Exception {
    assertThat(p.isAlive()).as("%s still runs; its log:\n%s", name, log(name)).isTrue();
    long start = System.nanoTime();
    p.destroy(); // SIGTERM
    boolean exited = p.waitFor(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    String threads = exited ? "" : threadDump(p);
    assertThat(exited)
        .as(
            "%s exited within %s of SIGTERM; its threads:%n%s%nits log:%n%s",
            name, EXIT_BOUND, threads, log(name))
        .isTrue();
    System.out.printf(
        "ShutdownIT: %s exited %d ms after SIGTERM, status %d%n",
        name, took.toMillis(), p.exitValue());
    assertThat(p.exitValue()).as("%s's exit status; its log:%n%s", name, log(name)).isZero();
  }

  private Process start(String name, List<String> args, String podNamespace) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("LVS_OPERATOR_") || k.startsWith("KUBE"));
    pb.environment().put("KUBECONFIG", server.writeKubeConfig(dir).toString());
    pb.environment().put("HOME", dir.toString());
    if (podNamespace != null) {
      pb.environment().put("POD_NAMESPACE", podNamespace);
    }
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String threadDump(Process p) {
    Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
    try {
      Processes.Result r =
          Processes.run(List.of(jstack.toString(), Long.toString(p.pid())), Duration.ofSeconds(30));
      return r.stdout() + r.stderr();
    } catch (RuntimeException e) {
      return "(no thread dump: " + e + ")";
    }
  }

  private static String owned(Path stateDir) throws IOException {
    Path file = stateDir.resolve("owned.json");
    return Files.exists(file) ? Files.readString(file) : "(none)";
  }

  private static Path jar(String path) {
    Path jar = TestApiServer.repo().resolve(path);
    assertThat(jar).as("the jar (mvn package)").isRegularFile();
    return jar;
  }

  private static boolean exited(Process p) {
    return !p.isAlive();
  }

  private static String holder(KubernetesClient client, String namespace) {
    Lease lease = client.leases().inNamespace(namespace).withName("lvs-operator-leader").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static boolean ready(int port) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/readyz").toURL().openConnection();
      c.setConnectTimeout(1_000);
      c.setReadTimeout(1_000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
