package dev.lvs.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.Hosts.Background;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the kernel and the wire say about one LVS-DR service, read on the hosts of a topology: the
 * director's IPVS table and counters, answers to requests from the client, captures, addresses,
 * sysctls. Shared by the end-to-end suites, whatever provides the hosts.
 */
public final class DrProbe {
  private final Hosts hosts;
  private final String director;
  private final String client;
  private final String vip;
  private final int port;

  public DrProbe(Hosts hosts, String director, String client, String vip, int port) {
    this.hosts = hosts;
    this.director = director;
    this.client = client;
    this.vip = vip;
    this.port = port;
  }

  /** The service as ipvsadm prints it: {@code VIP:PORT}. */
  public String service() {
    return vip + ":" + port;
  }

  /**
   * Client ports the requests bind, below Linux's ephemeral range (32768-60999), so no automatic
   * port choice of any other client program can take one. Each is used once per run.
   */
  static final int FIRST_PORT = 20000;

  static final int LAST_PORT = 32000;
  private static final AtomicInteger nextPort = new AtomicInteger(FIRST_PORT);

  /**
   * {@code count} new connections from the client to the VIP; each answer is the name of the server
   * that answered.
   *
   * <p>Every request binds a client port of its own that has no IPVS connection entry on the
   * director, so IPVS schedules each one. A plain {@code connect()} does not guarantee that: the
   * kernel's ephemeral ports of successive processes jump around the range, and on a DR director a
   * closed connection's entry stays in FIN_WAIT for 2 minutes (the director never sees the real
   * server's half of the close). With {@code conn_reuse_mode=1}, the kernel default, a new
   * connection from such a port is not scheduled: it goes to the old entry's real server.
   */
  public List<String> requests(int count, Duration timeout) {
    List<Integer> ports = freshPorts(count);
    StringBuilder script = new StringBuilder("for p in");
    ports.forEach(p -> script.append(' ').append(p));
    script
        .append("; do curl -sS --fail --max-time 20 --local-port \"$p\" http://")
        .append(service())
        .append("/ || exit $?; done");
    Hosts.Result r = hosts.run(client, List.of("bash", "-c", script.toString()), timeout).orThrow();
    List<String> answers = r.stdout().lines().map(String::strip).toList();
    assertThat(answers).as("answers from the VIP (client ports %s)", ports).hasSize(count);
    return answers;
  }

  /**
   * What IPVS scheduled: {@code count} {@link #requests}, with the new connections each destination
   * got meanwhile (its Conns counter, read after IPVS has folded it).
   */
  public record Scheduled(Map<String, Long> answers, Map<String, Long> connections) {}

  /**
   * {@link #requests} and, for each of {@code destinations} (address to name), how many new
   * connections IPVS scheduled to it meanwhile. The counters are read after a quiet 2.5 s, before
   * and after: IPVS folds them every 2 s.
   */
  public Scheduled scheduled(int count, Duration timeout, Map<String, String> destinations) {
    sleepQuietly(Duration.ofMillis(2500));
    Map<String, Long> before = connsOf(destinations);
    List<String> answers = requests(count, timeout);
    sleepQuietly(Duration.ofMillis(2500));
    Map<String, Long> after = connsOf(destinations);
    Map<String, Long> delta = new TreeMap<>();
    after.forEach((name, n) -> delta.put(name, n - before.get(name)));
    return new Scheduled(count(answers), delta);
  }

  private Map<String, Long> connsOf(Map<String, String> destinations) {
    Map<String, Long> conns = new TreeMap<>();
    destinations.forEach((address, name) -> conns.put(name, destinationStats(address).conns()));
    return conns;
  }

  /** {@code count} client ports below the ephemeral range that have no entry on the director. */
  List<Integer> freshPorts(int count) {
    Set<Integer> taken = new TreeSet<>();
    for (Connection c : connections()) {
      taken.add(c.clientPort());
    }
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < count) {
      int p = nextPort.getAndUpdate(n -> n >= LAST_PORT ? FIRST_PORT : n + 1);
      if (!taken.contains(p)) {
        ports.add(p);
      }
    }
    return ports;
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** An IPVS connection entry ({@code ipvsadm -Lnc}). */
  public record Connection(String state, String client, int clientPort, String destination) {}

  /** The director's IPVS connection entries for this service. */
  public List<Connection> connections() {
    return parseConnections(hosts.check(director, "ipvsadm", "-Lnc"), service());
  }

  /** The director's {@code ipvsadm -Lnc} as it printed it. */
  public String connectionTable() {
    return hosts.check(director, "ipvsadm", "-Lnc");
  }

  static List<Connection> parseConnections(String table, String service) {
    List<Connection> out = new ArrayList<>();
    for (String line : table.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      // pro expire state source virtual destination
      if (f.length == 6 && f[4].equals(service)) {
        int colon = f[3].lastIndexOf(':');
        out.add(
            new Connection(
                f[2],
                f[3].substring(0, colon),
                Integer.parseInt(f[3].substring(colon + 1)),
                f[5].substring(0, f[5].lastIndexOf(':'))));
      }
    }
    return out;
  }

  public static Map<String, Long> count(List<String> answers) {
    return answers.stream()
        .collect(Collectors.groupingBy(a -> a, TreeMap::new, Collectors.counting()));
  }

  /** The director's IPVS table as {@code ipvsadm -Sn} lines. */
  public List<String> ipvsRules() {
    return hosts
        .check(director, "ipvsadm", "-Sn")
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** Connections, packets in and packets out. */
  public record Stats(long conns, long inPkts, long outPkts) {}

  /** The service's total counters ({@code ipvsadm -Ln --stats --exact}). */
  public Stats serviceStats() {
    return stats("TCP", service());
  }

  /** One destination's counters. */
  public Stats destinationStats(String address) {
    return stats("->", address + ":" + port);
  }

  private Stats stats(String first, String second) {
    String out = hosts.check(director, "ipvsadm", "-Ln", "--stats", "--exact");
    boolean inService = false;
    for (String line : out.lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && !f[0].equals("->")) {
        inService = f[1].equals(service());
      }
      if (f.length >= 5
          && f[0].equals(first)
          && f[1].equals(second)
          && (inService || first.equals("TCP"))) {
        return new Stats(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
      }
    }
    throw new AssertionError("no " + second + " in:\n" + out);
  }

  public String sysctl(String host, String path) {
    return hosts.check(host, "cat", "/proc/sys/" + path).strip();
  }

  public String mac(String host, String dev) {
    String link = hosts.check(host, "ip", "-o", "link", "show", "dev", dev);
    Matcher m = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(link);
    assertThat(m.find()).as(link).isTrue();
    return m.group(1);
  }

  /** {@code ip -o -4 addr show} of a host (all devices, or one). */
  public String addresses(String host, String... dev) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-o", "-4", "addr", "show"));
    if (dev.length > 0) {
      cmd.add("dev");
      cmd.add(dev[0]);
    }
    return hosts.run(host, cmd, Hosts.DEFAULT_TIMEOUT).orThrow().stdout();
  }

  /** Starts tcpdump on {@code host} for packets from the VIP's port, with link-level headers. */
  public Background captureReplies(String host, Path log) {
    Background b =
        hosts.start(
            host,
            log,
            List.of(
                "tcpdump",
                "-i",
                "eth0",
                "-n",
                "-e",
                "-l",
                "src host " + vip + " and src port " + port));
    await("tcpdump listening on " + host)
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> read(log).contains("listening on"));
    return b;
  }

  /** The source MACs of the captured packets. */
  public static Set<String> sourceMacs(String capture) {
    Set<String> macs = new TreeSet<>();
    Matcher m = Pattern.compile("^\\S+ ([0-9a-f:]{17}) > ", Pattern.MULTILINE).matcher(capture);
    while (m.find()) {
      macs.add(m.group(1));
    }
    return macs;
  }

  /** An agent's one-line-per-kernel-change log lines. */
  public static List<String> changeLines(String log) {
    return log.lines()
        .filter(
            l ->
                l.contains("ipvs: ")
                    || l.contains("addr: ")
                    || l.contains("sysctl: ")
                    || l.matches(".*sync: [1-9]\\d* change.*"))
        .toList();
  }

  public static List<String> lines(String log, String containing) {
    return log.lines().filter(l -> l.contains(containing)).toList();
  }

  public static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
