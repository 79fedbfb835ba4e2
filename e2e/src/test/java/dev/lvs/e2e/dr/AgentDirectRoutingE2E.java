package dev.lvs.e2e.dr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.DrProbe;
import dev.lvs.e2e.support.Hosts;
import dev.lvs.e2e.support.Hosts.Background;
import dev.lvs.e2e.support.NetnsHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The LVS Direct Routing traffic test on a real kernel (issue #4), run inside the qemu guest by
 * {@code e2e/src/test/sh/run-guest-e2e}: the classic lab (client, director, rs1, rs2 on one L2
 * segment) as network namespaces, an lvs-agent in each of director, rs1 and rs2 reading standalone
 * manifests, and HTTP traffic from the client.
 *
 * <p>The checks build on each other and run in order in one lab: every agent JVM start costs many
 * seconds under emulation, so the lab is built once and agents are restarted only where a check is
 * about restarting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentDirectRoutingE2E {
  static final String VIP = "172.16.58.1";
  static final String DIP = "172.16.58.2";
  static final String RIP1 = "172.16.58.7";
  static final String RIP2 = "172.16.58.8";
  static final String CLIENT = "172.16.58.100";
  static final String SERVICE = VIP + ":80";
  static final String HAND_MADE = "172.16.58.99:8080";
  static final List<String> AGENT_NODES = List.of("director", "rs1", "rs2");

  /** Generous: JVMs start and netlink-heavy work runs several times slower under TCG. */
  static final Duration FIRST_SYNC = Duration.ofMinutes(5);

  static final Duration CONVERGE = Duration.ofMinutes(2);
  static final Duration POLL = Duration.ofMillis(1500);

  private Path repo;
  private Path work;
  private Path manifests;
  private NetnsHosts hosts;
  private DrProbe probe;
  private final Map<String, Background> agents = new LinkedHashMap<>();
  private final Map<String, Integer> agentStarts = new TreeMap<>();
  private Map<String, String> macs;
  private String ipvsBeforeClear;

  @BeforeAll
  void buildLab() throws IOException {
    if (!"1".equals(System.getenv("LVS_IN_GUEST"))) {
      throw new IllegalStateException(
          "AgentDirectRoutingE2E changes the kernel's IPVS and network namespaces: it runs only"
              + " inside the qemu guest (LVS_IN_GUEST=1), through"
              + " e2e/src/test/sh/run-guest-e2e (see its header)");
    }
    repo = Path.of(System.getProperty("lvs.repo", ".")).toAbsolutePath().normalize();
    Path jar = repo.resolve("agent/target/lvs-agent.jar");
    assertThat(jar).as("the agent jar (mvn package -pl agent -am)").isRegularFile();
    // Guest-local (the overlay's tmpfs), not the 9p share: FIFOs, inotify and fsync behave.
    work = Files.createTempDirectory("lvs-dr-e2e");
    manifests = Files.createDirectories(work.resolve("manifests"));

    NetnsHosts.runLocal("modprobe", "-a", "ip_vs", "ip_vs_wrr", "ip_vs_rr", "veth", "bridge");
    hosts =
        NetnsHosts.onBridge("lab-br")
            .add("client", CLIENT + "/24")
            .add("director", DIP + "/24")
            .add("rs1", RIP1 + "/24")
            .add("rs2", RIP2 + "/24");
    probe = new DrProbe(hosts, "director", "client", VIP, 80);
    macs = new TreeMap<>();
    for (String h : List.of("director", "rs1", "rs2")) {
      macs.put(h, probe.mac(h, "eth0"));
      // busybox httpd daemonises and answers on every address of the host (the VIP on lo too).
      Path www = Files.createDirectories(work.resolve("www").resolve(h));
      Files.writeString(www.resolve("index.html"), h + "\n");
      hosts.check(h, "busybox", "httpd", "-p", "80", "-h", www.toString());
    }
    writeManifests(new Lab("wrr", 2, 1, true, false));
    for (String node : AGENT_NODES) {
      startAgent(node);
    }
  }

  @AfterAll
  void stopAgents() throws IOException {
    agents.values().forEach(a -> a.stop(Duration.ofSeconds(20)));
    // Keep the agents' logs, the captures and the manifests where the host can read them.
    String keep = System.getProperty("lvs.e2e.logs");
    if (keep != null && work != null) {
      Path to = Files.createDirectories(Path.of(keep));
      try (var files = Files.walk(work)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path target = to.resolve(work.relativize(f).toString());
          Files.createDirectories(target.getParent());
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.out.println("lab files (agent logs, captures, manifests): " + to);
    }
  }

  @Test
  @Order(1)
  void agentsProgramTheDirectorAndTheRealServers() {
    await("the director's IPVS service and VIP, the real servers' lo VIPs")
        .atMost(FIRST_SYNC)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(probe.ipvsRules())
                  .containsExactlyInAnyOrder(
                      "-A -t " + SERVICE + " -s wrr",
                      "-a -t " + SERVICE + " -r " + RIP1 + ":80 -g -w 2",
                      "-a -t " + SERVICE + " -r " + RIP2 + ":80 -g -w 1");
              assertThat(hosts.check("director", "ip", "-o", "-4", "addr", "show", "dev", "eth0"))
                  .contains("inet " + VIP + "/32")
                  .contains("eth0:lvs");
              for (String rs : List.of("rs1", "rs2")) {
                assertThat(hosts.check(rs, "ip", "-o", "-4", "addr", "show", "dev", "lo"))
                    .contains("inet " + VIP + "/32")
                    .contains("lo:lvs");
              }
            });
    for (String rs : List.of("rs1", "rs2")) {
      for (String dev : List.of("all", "lo", "eth0")) {
        assertThat(probe.sysctl(rs, "net/ipv4/conf/" + dev + "/arp_ignore"))
            .as(rs + " " + dev)
            .isEqualTo("1");
        assertThat(probe.sysctl(rs, "net/ipv4/conf/" + dev + "/arp_announce"))
            .as(rs + " " + dev)
            .isEqualTo("2");
      }
    }
    assertThat(probe.sysctl("director", "net/ipv4/vs/expire_nodest_conn")).isEqualTo("1");
    assertThat(probe.sysctl("director", "net/ipv4/vs/expire_quiescent_template")).isEqualTo("1");
  }

  /**
   * Checks 1 and 2: wrr with weights 2:1 sends exactly 20 of 30 new connections to rs1 and 10 to
   * rs2, and every reply bypasses the director: IPVS counts packets in and none out, a capture on
   * the director sees nothing from the VIP, the client resolved the VIP to the director's MAC and
   * got every reply from a real server's MAC.
   */
  @Test
  @Order(2)
  void spreadsRequestsByWeightAndRepliesBypassTheDirector() {
    String filter = "src host " + VIP + " and src port 80";
    Background directorCapture =
        hosts.start(
            "director",
            work.resolve("tcpdump-director.log"),
            List.of("tcpdump", "-i", "eth0", "-n", "-l", filter));
    Background clientCapture =
        hosts.start(
            "client",
            work.resolve("tcpdump-client.log"),
            List.of("tcpdump", "-i", "eth0", "-n", "-e", "-l", filter));
    awaitListening(directorCapture);
    awaitListening(clientCapture);

    List<String> answers = probe.requests(30, CONVERGE);
    assertThat(DrProbe.count(answers)).isEqualTo(Map.of("rs1", 20L, "rs2", 10L));

    directorCapture.stop(Duration.ofSeconds(20));
    clientCapture.stop(Duration.ofSeconds(20));
    String director = DrProbe.read(directorCapture.log());
    assertThat(director).as("the director's capture").contains("0 packets captured");

    String client = DrProbe.read(clientCapture.log());
    Set<String> replyMacs = new TreeSet<>();
    Matcher m = Pattern.compile("^\\S+ ([0-9a-f:]{17}) > ", Pattern.MULTILINE).matcher(client);
    while (m.find()) {
      replyMacs.add(m.group(1));
    }
    assertThat(replyMacs)
        .as("source MACs of the replies the client got, in:%n%s", client)
        .isNotEmpty()
        .isSubsetOf(macs.get("rs1"), macs.get("rs2"))
        .doesNotContain(macs.get("director"));
    assertThat(hosts.check("client", "ip", "neigh", "show", VIP, "dev", "eth0"))
        .as("the client's neighbour entry for the VIP")
        .contains("lladdr " + macs.get("director"));

    await("IPVS counters (folded every 2 s)")
        .pollDelay(Duration.ofMillis(2500))
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              DrProbe.Stats s = probe.serviceStats();
              assertThat(s.conns()).isGreaterThanOrEqualTo(30);
              assertThat(s.inPkts()).isGreaterThan(0);
              assertThat(s.outPkts()).as("packets out through the director").isZero();
            });
  }

  /** Check 3: with localNode enabled the director serves its weight's share itself. */
  @Test
  @Order(3)
  void localNodeServesItsShare() throws IOException {
    writeManifests(new Lab("wrr", 2, 1, true, true));
    await("the local node destination")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(probe.ipvsRules())
                    .contains("-a -t " + SERVICE + " -r 127.0.0.1:80 -g -w 1"));
    List<String> answers = probe.requests(40, CONVERGE);
    assertThat(DrProbe.count(answers)).isEqualTo(Map.of("rs1", 20L, "rs2", 10L, "director", 10L));
  }

  /**
   * Check 4: a weight change and a scheduler change are edits of the live service: its counters
   * keep counting and a TCP connection opened before the change still works after it.
   */
  @Test
  @Order(4)
  void weightAndSchedulerChangesEditInPlace() throws IOException {
    Path go = work.resolve("go");
    NetnsHosts.runLocal("mkfifo", go.toString());
    // A connection opened now, used after the change: bash's /dev/tcp, then one request.
    Background held =
        hosts.start(
            "client",
            work.resolve("held-connection.log"),
            List.of(
                "bash",
                "-c",
                "exec 3<>/dev/tcp/"
                    + VIP
                    + "/80 && echo connected && read -r line < "
                    + go
                    + " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"));
    await("the held connection")
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> DrProbe.read(held.log()).contains("connected"));
    await("counters include the held connection")
        .pollDelay(Duration.ofMillis(2500))
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .until(() -> probe.serviceStats().conns() >= 71);
    DrProbe.Stats before = probe.serviceStats();

    writeManifests(new Lab("rr", 1, 3, true, true));
    await("scheduler rr and the new weights")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(probe.ipvsRules())
                    .contains(
                        "-A -t " + SERVICE + " -s rr",
                        "-a -t " + SERVICE + " -r " + RIP1 + ":80 -g -w 1",
                        "-a -t " + SERVICE + " -r " + RIP2 + ":80 -g -w 3"));
    String log = DrProbe.read(agents.get("director").log());
    assertThat(DrProbe.lines(log, "ipvs: add service"))
        .as("service additions in:%n%s", log)
        .hasSize(1);
    assertThat(DrProbe.lines(log, "ipvs: delete service")).isEmpty();
    assertThat(DrProbe.lines(log, "ipvs: update service")).isNotEmpty();

    NetnsHosts.runLocal("timeout", "30", "sh", "-c", "echo go > " + go);
    await("the held connection's answer")
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !held.isAlive());
    assertThat(DrProbe.read(held.log())).containsPattern("(?m)^(rs1|rs2|director)$");

    List<String> answers = probe.requests(5, CONVERGE);
    assertThat(answers).containsOnly("rs1", "rs2", "director");
    await("counters kept counting across the change")
        .pollDelay(Duration.ofMillis(2500))
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              DrProbe.Stats after = probe.serviceStats();
              assertThat(after.conns()).isGreaterThanOrEqualTo(before.conns() + 5);
              assertThat(after.inPkts()).isGreaterThan(before.inPkts());
              // The director's own replies (local node) go out through it and count as OutPkts
              // of the service; the real servers' never do.
              for (String rip : List.of(RIP1, RIP2)) {
                assertThat(probe.destinationStats(rip).outPkts()).as("OutPkts of " + rip).isZero();
              }
            });
  }

  /** Check 5: removing a RealServer removes its destination and its lo VIP. */
  @Test
  @Order(5)
  void deletingARealServerRemovesItsDestinationAndVip() throws IOException {
    writeManifests(new Lab("rr", 1, 3, false, true));
    await("rs2's destination and lo VIP gone")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(probe.ipvsRules()).noneMatch(r -> r.contains(RIP2));
              assertThat(hosts.check("rs2", "ip", "-o", "-4", "addr", "show", "dev", "lo"))
                  .doesNotContain(VIP);
            });
    await("rs2's ARP sysctls restored")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              for (String dev : List.of("all", "lo", "eth0")) {
                assertThat(probe.sysctl("rs2", "net/ipv4/conf/" + dev + "/arp_ignore"))
                    .isEqualTo("0");
                assertThat(probe.sysctl("rs2", "net/ipv4/conf/" + dev + "/arp_announce"))
                    .isEqualTo("0");
              }
            });
    assertThat(probe.requests(6, CONVERGE)).containsOnly("rs1", "director");
    assertThat(hosts.check("rs1", "ip", "-o", "-4", "addr", "show", "dev", "lo")).contains(VIP);
  }

  /** Check 6: a restarted agent finds everything in place and changes nothing. */
  @Test
  @Order(6)
  void restartingAgentsChangesNothing() {
    Map<String, String> before = kernelSnapshot();
    for (String node : List.of("director", "rs1")) {
      assertThat(agents.get(node).stop(Duration.ofSeconds(60))).as(node + " exit status").isZero();
    }
    startAgent("director");
    startAgent("rs1");
    for (String node : List.of("director", "rs1")) {
      await(node + "'s restarted agent is ready")
          .atMost(FIRST_SYNC)
          .pollInterval(POLL)
          .until(() -> hosts.run(node, "curl", "-sf", "http://127.0.0.1:10731/readyz").ok());
    }
    assertThat(kernelSnapshot()).isEqualTo(before);
    for (String node : List.of("director", "rs1")) {
      String log = DrProbe.read(agents.get(node).log());
      assertThat(DrProbe.changeLines(log))
          .as("kernel changes logged by %s's new agent:%n%s", node, log)
          .isEmpty();
    }
    ipvsBeforeClear = String.join("\n", probe.ipvsRules());
  }

  /** Check 7: {@code ipvsadm -C} behind the agent's back is repaired by the next resync. */
  @Test
  @Order(7)
  void repairsAnIpvsFlushOnTheNextResync() {
    long applied = metric("director", "lvs_agent_sync_steps_applied_total");
    // Flush. Reading the table back, even in the same command, races the agent: a resync that
    // read the kernel between the two commands has already repaired it. The proof that the flush
    // took is the agent's repair steps counted below (the table was gone, or nothing is applied).
    String after = hosts.check("director", "sh", "-c", "ipvsadm -C && ipvsadm -Sn | wc -l");
    System.out.println("IPVS rules right after the flush: " + after.strip());
    await("the service and its destinations back")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> assertThat(String.join("\n", probe.ipvsRules())).isEqualTo(ipvsBeforeClear));
    // The counter is updated after the sync's last kernel step: await it too.
    await("the agent's count of the kernel changes that repaired the flush")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(metric("director", "lvs_agent_sync_steps_applied_total"))
                    .as("the service and two destinations")
                    .isGreaterThanOrEqualTo(applied + 3));
    assertThat(probe.requests(3, CONVERGE)).containsOnly("rs1", "director");
  }

  /**
   * Check 8: a service added by hand is left alone by syncs and by {@code cleanup}, which removes
   * exactly what the agent owns.
   */
  @Test
  @Order(8)
  void leavesUnownedServicesAloneAndCleanupRemovesOnlyWhatItOwns() {
    hosts.check("director", "ipvsadm", "-A", "-t", HAND_MADE, "-s", "rr");
    long syncs = syncCount("director");
    await("two more syncs on the director")
        .atMost(CONVERGE)
        .pollInterval(POLL)
        .until(() -> syncCount("director") >= syncs + 2);
    assertThat(probe.ipvsRules()).contains("-A -t " + HAND_MADE + " -s rr");
    assertThat(String.join("\n", probe.ipvsRules())).contains(ipvsBeforeClear);

    assertThat(agents.remove("director").stop(Duration.ofSeconds(60))).isZero();
    Hosts.Result cleanup =
        hosts.run(
            "director",
            agentCommand("cleanup", "--state-dir", work.resolve("state/director").toString()),
            FIRST_SYNC);
    assertThat(cleanup.exitCode()).as("%s", cleanup).isZero();
    assertThat(probe.ipvsRules()).containsExactly("-A -t " + HAND_MADE + " -s rr");
    assertThat(hosts.check("director", "ip", "-o", "-4", "addr", "show", "dev", "eth0"))
        .doesNotContain(VIP + "/32");
    assertThat(probe.sysctl("director", "net/ipv4/vs/expire_nodest_conn")).isEqualTo("0");
    assertThat(probe.sysctl("director", "net/ipv4/vs/expire_quiescent_template")).isEqualTo("0");
  }

  // --- the lab -----------------------------------------------------------------------------------

  /** What the manifests say: the scheduler, weights, whether rs2 exists, local node. */
  record Lab(String scheduler, int rs1Weight, int rs2Weight, boolean withRs2, boolean localNode) {}

  private void writeManifests(Lab lab) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append(
        """
        apiVersion: lvs.dev/v1alpha1
        kind: VirtualService
        metadata: {name: web, namespace: default}
        spec:
          vip: %s
          port: 80
          protocol: TCP
          scheduler: %s
          forwarding: DirectRouting
          directors: {matchLabels: {lvs.dev/director: "true"}}
          realServerSelector: {matchLabels: {app: web}}
        """
            .formatted(VIP, lab.scheduler()));
    if (lab.localNode()) {
      y.append("  localNode: {enabled: true}\n");
    }
    y.append(realServer("rs1", RIP1, lab.rs1Weight()));
    if (lab.withRs2()) {
      y.append(realServer("rs2", RIP2, lab.rs2Weight()));
    }
    y.append(node("director", DIP, true));
    y.append(node("rs1", RIP1, false));
    y.append(node("rs2", RIP2, false));
    // Atomically: the agents watch the directory and must never read half a file.
    Path tmp = manifests.resolve(".lab.yaml.tmp");
    Files.writeString(tmp, y.toString());
    Files.move(
        tmp,
        manifests.resolve("lab.yaml"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static String realServer(String name, String address, int weight) {
    return """
        ---
        apiVersion: lvs.dev/v1alpha1
        kind: RealServer
        metadata: {name: %s, namespace: default, labels: {app: web}}
        spec: {address: %s, nodeName: %s, weight: %d}
        """
        .formatted(name, address, name, weight);
  }

  private static String node(String name, String internalIp, boolean director) {
    return """
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: %s, labels: {%s}}
        status: {addresses: [{type: InternalIP, address: %s}]}
        """
        .formatted(name, director ? "lvs.dev/director: \"true\"" : "", internalIp);
  }

  private void startAgent(String node) {
    int n = agentStarts.merge(node, 1, Integer::sum);
    Path log = work.resolve("agent-" + node + (n == 1 ? "" : "-" + n) + ".log");
    agents.put(
        node,
        hosts.start(
            node,
            log,
            agentCommand(
                "run",
                "--node-name",
                node,
                "--manifests",
                manifests.toString(),
                "--state-dir",
                work.resolve("state").resolve(node).toString(),
                "--resync-period",
                "5s")));
  }

  /**
   * {@code java ... -jar lvs-agent.jar ARGS}: C1 only and the serial GC (far cheaper under TCG),
   * and the AppCDS archive run-guest-e2e --prepare makes next to the jar, when there is one.
   */
  private List<String> agentCommand(String... args) {
    List<String> command =
        new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    Path archive = repo.resolve("agent/target/lvs-agent.jsa");
    if (Files.isRegularFile(archive)) {
      command.add("-XX:SharedArchiveFile=" + archive);
    }
    command.add("-jar");
    command.add(repo.resolve("agent/target/lvs-agent.jar").toString());
    command.addAll(List.of(args));
    return command;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  // --- observations ------------------------------------------------------------------------------

  private long syncCount(String node) {
    return metric(node, "lvs_agent_syncs_total");
  }

  /** One unlabelled counter from the agent's {@code /metrics}. */
  private long metric(String node, String name) {
    String metrics = hosts.check(node, "curl", "-sf", "http://127.0.0.1:10731/metrics");
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(metrics);
    assertThat(m.find()).as("%s in:%n%s", name, metrics).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** What a restart must not change: IPVS, addresses and ARP sysctls of the agents' nodes. */
  private Map<String, String> kernelSnapshot() {
    Map<String, String> s = new TreeMap<>();
    s.put("director ipvs", String.join("\n", probe.ipvsRules()));
    for (String node : AGENT_NODES) {
      s.put(node + " addresses", hosts.check(node, "ip", "-o", "addr", "show"));
      for (String dev : List.of("all", "lo", "eth0")) {
        for (String p : List.of("arp_ignore", "arp_announce")) {
          String path = "net/ipv4/conf/" + dev + "/" + p;
          s.put(node + " " + path, probe.sysctl(node, path));
        }
      }
    }
    s.put(
        "director expire_nodest_conn", probe.sysctl("director", "net/ipv4/vs/expire_nodest_conn"));
    return s;
  }

  private void awaitListening(Background capture) {
    await("tcpdump listening (" + capture.log().getFileName() + ")")
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(300))
        .until(() -> DrProbe.read(capture.log()).contains("listening on"));
  }
}
