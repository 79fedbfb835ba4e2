package dev.lvs.e2e.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.DrProbe;
import dev.lvs.e2e.support.Hosts.Background;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Director high availability, end to end, in a lab with two directors ({@code ./e2e/lab up
 * --directors 2}; skipped with one): exactly one director holds each VIP while both program it;
 * killing the active director's agent, then its node, moves the VIP to the other within the
 * failover time, keeps a held TCP connection (the IPVS sync daemon), and never leaves two holders;
 * a recovered director does not take its VIPs back; several VIPs spread over both. Everything is
 * read from the kernels and the traffic; the status is checked against them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectorHaE2E {
  static final String NS = "default";
  static final String MANAGER = "lvs-e2e";
  static final Duration POLL = Duration.ofMillis(500);

  private E2eEnvironment env;
  private KubernetesClient k8s;
  private Path repo;
  private List<String> directors;
  private String vip;
  private Duration converge;
  private Path work;
  private int heldCount;

  @BeforeAll
  void setUp() {
    env = E2eEnvironment.fromSystemProperties();
    directors = env.directors();
    Assumptions.assumeTrue(
        directors.size() >= 2, "needs two directors: ./e2e/lab up --directors 2");
    k8s = env.client();
    repo = Path.of(System.getProperty("lvs.repo", ".")).toAbsolutePath().normalize();
    vip = env.vip();
    converge = env.converge();
    work = env.workDir();
  }

  @AfterAll
  void tearDown() {
    if (env != null) {
      env.close();
    }
  }

  @BeforeEach
  void log(TestInfo info) {
    System.out.println(Instant.now() + " --- " + info.getDisplayName());
  }

  /** 1. Two directors: exactly one holds the VIP, both have the IPVS service; status agrees. */
  @Test
  @Order(1)
  void exactlyOneDirectorHoldsTheVipAndBothProgramTheService() {
    for (String doc : exampleDocuments()) {
      apply(doc);
    }
    String active = awaitSingleHolder(vip, converge);
    for (String d : directors) {
      await("the IPVS service on " + d)
          .atMost(converge)
          .pollInterval(POLL)
          .untilAsserted(
              () ->
                  assertThat(env.hosts().check(d, "ipvsadm", "-Sn"))
                      .contains("-A -t " + vip + ":80"));
    }
    await("status.activeDirector")
        .atMost(converge)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VirtualService vs = virtualService("web");
              assertThat(vs.getStatus().getActiveDirector()).isEqualTo(active);
              assertThat(vs.getStatus().getStandbyDirectors())
                  .containsExactlyElementsOf(others(active));
            });
    assertThat(requests(6)).allMatch(a -> a.startsWith("rs"));
    // Stays so: nobody flaps.
    sleep(Duration.ofSeconds(8));
    assertThat(holders(vip)).containsExactly(active);
  }

  /** 4. Several VirtualServices with different VIPs spread over both directors. */
  @Test
  @Order(2)
  void severalVipsSpreadOverTheDirectors() {
    List<String> vips = extraVips(8);
    for (int i = 0; i < vips.size(); i++) {
      apply(extraService("spread-" + i, vips.get(i)));
    }
    Map<String, String> holderOf = new TreeMap<>();
    for (String v : vips) {
      holderOf.put(v, awaitSingleHolder(v, converge));
    }
    System.out.println("VIP holders: " + holderOf);
    assertThat(new java.util.TreeSet<>(holderOf.values()))
        .as("8 VIPs over 2 directors by rendezvous hashing")
        .containsExactlyInAnyOrderElementsOf(directors);
    for (int i = 0; i < vips.size(); i++) {
      k8s.resources(VirtualService.class).inNamespace(NS).withName("spread-" + i).delete();
    }
    for (String v : vips) {
      await("VIP " + v + " released")
          .atMost(converge)
          .pollInterval(POLL)
          .until(() -> holders(v).isEmpty());
    }
  }

  /**
   * 2 and 3. Kill the active director's agent: new connections succeed again within the failover
   * time, a connection held through the VIP survives (the sync daemon), and at no sampled moment do
   * both directors hold the VIP. The agent comes back and does not take the VIP (no preemption).
   * Then the new active director's node is killed: the VIP goes back.
   */
  @Test
  @Order(3)
  void failoverOnAgentDeathThenNodeLossKeepsConnectionsAndNeverTwoHolders() throws Exception {
    String first = awaitSingleHolder(vip, converge);
    String second = others(first).get(0);
    Held held = hold();
    Sampler sampler = new Sampler(vip);
    sampler.start();
    try {
      Instant killed = Instant.now();
      env.killAgent(first);
      Duration failover = awaitFirstSuccess(killed);
      System.out.println(
          "failover (agent SIGKILL on "
              + first
              + "): first new connection after "
              + failover.toMillis()
              + " ms");
      assertThat(awaitSingleHolder(vip, converge)).isEqualTo(second);
      assertThat(holders(vip))
          .as("the dead agent's VIP expired in the kernel")
          .containsExactly(second);
      held.finishAndCheck("after the agent of " + first + " was killed");
      assertEvent("DirectorFailover", first, second);

      // No preemption: the old director comes back as a standby and stays one.
      env.startAgent(first);
      sleep(Duration.ofSeconds(15));
      assertThat(holders(vip)).as("no preemption").containsExactly(second);
      await("the recovered director reports Standby")
          .atMost(converge)
          .pollInterval(POLL)
          .untilAsserted(
              () ->
                  assertThat(virtualService("web").getStatus().getStandbyDirectors())
                      .contains(first));

      // Its node leaves the network: the VIP moves back.
      Held held2 = hold();
      Instant lost = Instant.now();
      env.killNode(second);
      Duration failover2 = awaitFirstSuccess(lost);
      System.out.println(
          "failover (node "
              + second
              + " lost): first new connection after "
              + failover2.toMillis()
              + " ms");
      assertThat(awaitSingleHolder(vip, converge)).isEqualTo(first);
      held2.finishAndCheck("after node " + second + " was lost");
    } finally {
      sampler.stop();
    }
    assertThat(sampler.overlaps)
        .as(
            "moments at which two directors held %s (sampled every ~%d ms, %d samples)",
            vip, sampler.periodMillis(), sampler.samples)
        .isEmpty();
  }

  // ============================================================================== helpers

  /** Which directors hold {@code address} on a non-lo interface, read from their kernels. */
  List<String> holders(String address) {
    List<String> h = new ArrayList<>();
    for (String d : directors) {
      dev.lvs.e2e.support.Hosts.Result r = env.hosts().run(d, "ip", "-o", "addr", "show");
      if (r.ok() && holds(r.stdout(), address)) {
        h.add(d);
      }
    }
    return h;
  }

  static boolean holds(String ipOutput, String address) {
    for (String line : ipOutput.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && !f[1].startsWith("lo") && f[3].startsWith(address + "/")) {
        return true;
      }
    }
    return false;
  }

  String awaitSingleHolder(String address, Duration atMost) {
    List<String> last = new ArrayList<>();
    await("exactly one director holding " + address)
        .atMost(atMost)
        .pollInterval(POLL)
        .until(
            () -> {
              last.clear();
              last.addAll(holders(address));
              return last.size() == 1;
            });
    return last.get(0);
  }

  private List<String> others(String d) {
    return directors.stream().filter(x -> !x.equals(d)).sorted().toList();
  }

  private Duration awaitFirstSuccess(Instant since) {
    Instant deadline = since.plus(converge);
    while (Instant.now().isBefore(deadline)) {
      dev.lvs.e2e.support.Hosts.Result r =
          env.hosts().run(env.clientHost(), "curl", "-s", "-m", "1", "http://" + vip + "/");
      if (r.ok() && r.stdout().trim().startsWith("rs")) {
        return Duration.between(since, Instant.now());
      }
    }
    throw new AssertionError("no new connection to " + vip + " succeeded within " + converge);
  }

  private List<String> requests(int n) {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(
          env.hosts()
              .check(env.clientHost(), "curl", "-s", "-m", "5", "http://" + vip + "/")
              .trim());
    }
    return answers;
  }

  private void assertEvent(String reason, String from, String to) {
    await("a " + reason + " event")
        .atMost(converge)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              List<Event> events = k8s.v1().events().inNamespace(NS).list().getItems();
              assertThat(events)
                  .anyMatch(
                      e ->
                          reason.equals(e.getReason())
                              && e.getMessage().contains("from director " + from)
                              && e.getMessage().contains("to director " + to));
            });
  }

  /** Samples the holders of a VIP in the background; records any moment with two. */
  private final class Sampler {
    final String address;
    final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean running = new AtomicBoolean(true);
    volatile int samples;
    volatile long started;
    Thread thread;

    Sampler(String address) {
      this.address = address;
    }

    void start() {
      started = System.nanoTime();
      thread =
          new Thread(
              () -> {
                while (running.get()) {
                  List<String> h = holders(address);
                  samples++;
                  if (h.size() > 1) {
                    overlaps.add(Instant.now() + " " + h);
                  }
                  sleep(Duration.ofMillis(200));
                }
              },
              "vip-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }

    long periodMillis() {
      return samples == 0 ? 0 : (System.nanoTime() - started) / 1_000_000 / samples;
    }
  }

  private final class Held {
    final Background process;
    final String flag;

    Held(Background process, String flag) {
      this.process = process;
      this.flag = flag;
    }

    void finishAndCheck(String when) {
      env.hosts().check(env.clientHost(), "touch", flag);
      await("the held connection finished " + when)
          .atMost(converge)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> DrProbe.read(process.log()).contains("received"));
      assertThat(DrProbe.read(process.log()))
          .as("the held connection, %s", when)
          .contains("received 4000000 bytes");
      process.stop(Duration.ofSeconds(5));
    }
  }

  /** A connection through the VIP that has read its headers and waits, mid-transfer. */
  private Held hold() {
    int n = ++heldCount;
    String flag = "/tmp/lvs-e2e-ha-" + ProcessHandle.current().pid() + "-" + n;
    String script =
        "exec 3<>/dev/tcp/"
            + vip
            + "/80 || exit 90\n"
            + "printf 'GET /big HTTP/1.0\\r\\n\\r\\n' >&3\n"
            + "while IFS= read -r line <&3; do line=${line%$'\\r'}; [ -z \"$line\" ] && break; done\n"
            + "IFS= read -r name <&3\n"
            + "echo \"connected to $name\"\n"
            + "while [ ! -e "
            + flag
            + " ]; do sleep 0.3; done\n"
            + "echo \"received $(cat <&3 | wc -c) bytes\"\n";
    Background b =
        env.hosts()
            .start(
                env.clientHost(),
                work.resolve("ha-held-" + n + ".log"),
                List.of("bash", "-c", script));
    await("a held connection")
        .atMost(converge)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> DrProbe.read(b.log()).contains("connected to ") || !b.isAlive());
    Matcher m = Pattern.compile("connected to (\\S+)").matcher(DrProbe.read(b.log()));
    assertThat(m.find()).as("held connection log: %s", DrProbe.read(b.log())).isTrue();
    return new Held(b, flag);
  }

  private List<String> extraVips(int n) {
    // The lab's VIP is x.y.z.1; take x.y.z.200 upwards, on the same segment.
    String prefix = vip.substring(0, vip.lastIndexOf('.') + 1);
    List<String> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(prefix + (200 + i));
    }
    return v;
  }

  private String extraService(String name, String address) {
    return """
        apiVersion: lvs.dev/v1alpha1
        kind: VirtualService
        metadata:
          name: %s
          namespace: default
        spec:
          vip: %s
          port: 80
          protocol: TCP
          scheduler: rr
          directors:
            matchLabels:
              lvs.dev/director: "true"
          realServerSelector:
            matchLabels:
              app: web
        """
        .formatted(name, address);
  }

  private VirtualService virtualService(String name) {
    return k8s.resources(VirtualService.class).inNamespace(NS).withName(name).get();
  }

  private void apply(String yaml) {
    k8s.resource(yaml).inNamespace(NS).fieldManager(MANAGER).forceConflicts().serverSideApply();
  }

  private List<String> exampleDocuments() {
    try {
      String yaml = Files.readString(repo.resolve("examples/dr-web.yaml"));
      List<String> rs = env.realServerNodes();
      yaml =
          yaml.replace("vip: 172.16.58.1", "vip: " + vip)
              .replace("address: 172.16.58.7", "address: " + env.address(rs.get(0)))
              .replace("address: 172.16.58.8", "address: " + env.address(rs.get(1)))
              .replace("nodeName: rs1", "nodeName: " + rs.get(0))
              .replace("nodeName: rs2", "nodeName: " + rs.get(1));
      List<String> docs = new ArrayList<>();
      for (String doc : yaml.split("(?m)^---\\s*$")) {
        if (doc.contains("kind:")) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
