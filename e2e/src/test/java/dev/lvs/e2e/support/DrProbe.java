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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
   * {@code count} new connections from the client to the VIP (one curl, many URLs: the web servers
   * close each connection, so IPVS schedules every request on its own); each answer is the name of
   * the server that answered.
   */
  public List<String> requests(int count, Duration timeout) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "20"));
    cmd.addAll(Collections.nCopies(count, "http://" + service() + "/"));
    Hosts.Result r = hosts.run(client, cmd, timeout).orThrow();
    List<String> answers = r.stdout().lines().map(String::strip).toList();
    assertThat(answers).as("answers from the VIP").hasSize(count);
    return answers;
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
