package dev.lvs.agent.bench;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.fake.TimedAddressClient;
import dev.lvs.agent.fake.TimedIpvsClient;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient;
import dev.lvs.agent.netlink.rtnl.RtnlAddressClient;
import dev.lvs.agent.report.SyncMetrics;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.sync.Applier;
import dev.lvs.agent.sync.KernelReader;
import dev.lvs.agent.sync.SyncResult;
import dev.lvs.agent.sync.Syncer;
import dev.lvs.agent.sysctl.ProcSysctls;
import dev.lvs.agent.sysctl.Sysctls;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;

/**
 * Benchmark (not a test): programs N VirtualServices x 4 RealServers with the real {@link Syncer}
 * from empty, changes one weight with N present, measures resident memory, and times {@code ipvsadm
 * -R} on the same configuration as the reference. Each measurement runs in a fresh network
 * namespace (made with {@code ip netns add}, entered with setns(2) by this JVM's main thread, which
 * then opens its netlink sockets and reads /proc/sys there). Needs root and the ip_vs module: run
 * through {@code agent/src/test/sh/run-benchmark} in the qemu guest. With {@code --fake} it runs
 * against the in-memory fakes instead (CPU cost only; no kernel, any machine).
 *
 * <p>Prints one {@code RESULT} line per measurement and a Markdown summary.
 */
public final class SyncBenchmark {
  static final String NODE = "lb1";
  static final String NODE_IP = "10.0.0.1";
  static final int CLONE_NEWNET = 0x40000000;
  static final int O_RDONLY = 0;

  /** setns(2) and friends. */
  public interface LibC {
    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  final int[] sizes;
  final int repeats;
  final int changes;
  final boolean fake;
  final Path work;
  final Map<String, List<Double>> samples = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  final List<String> namespaces = new ArrayList<>();
  LibC libc;

  SyncBenchmark(int[] sizes, int repeats, int changes, boolean fake, Path work) {
    this.sizes = sizes;
    this.repeats = repeats;
    this.changes = changes;
    this.fake = fake;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    int[] sizes = {1000, 10000};
    int repeats = 3;
    int changes = 5;
    boolean fake = false;
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "lvs-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" ->
            sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--changes" -> changes = Integer.parseInt(args[++i]);
        case "--fake" -> fake = true;
        case "--work" -> work = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: SyncBenchmark [--sizes 1000,10000] [--repeats 3] [--changes 5] [--fake]"
                  + " [--work DIR]");
          System.exit(2);
        }
      }
    }
    Files.createDirectories(work);
    SyncBenchmark b = new SyncBenchmark(sizes, repeats, changes, fake, work);
    try {
      b.run();
    } finally {
      b.cleanupNamespaces();
    }
    System.exit(0); // informer-free, but jnr and the JIT keep no threads worth waiting for
  }

  void run() throws Exception {
    say(
        "benchmark: sizes %s x 4 destinations, %d repeat(s), %d change(s) per repeat, %s",
        Arrays.toString(sizes),
        repeats,
        changes,
        fake ? "in-memory fakes (no kernel)" : "real kernel, fresh network namespaces");
    say(
        "jvm: %s %s, %d cpu(s), max heap %d MiB, args %s",
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (!fake) {
      libc = LibraryLoader.create(LibC.class).load("c");
      say("kernel: %s", Files.readString(Path.of("/proc/version")).trim());
    }
    for (int r = 1; r <= repeats; r++) {
      for (int n : sizes) {
        agentRun(n, r);
        if (!fake) {
          ipvsadmRun(n, r);
        }
      }
    }
    summary();
  }

  // The agent.

  void agentRun(int n, int run) throws Exception {
    if (!fake) {
      enterFreshNamespace("lvsb-agent-" + n + "-" + run);
    }
    Path state = Files.createTempDirectory(work, "state-");
    IpvsClient rawIpvs = fake ? new FakeIpvsClient() : NetlinkIpvsClient.open();
    AddressClient rawAddrs = fake ? FakeAddressClient.withEth0(NODE_IP) : RtnlAddressClient.open();
    Sysctls sysctls = fake ? new FakeSysctls() : new ProcSysctls();
    TimedIpvsClient ipvs = new TimedIpvsClient(rawIpvs);
    TimedAddressClient addrs = new TimedAddressClient(rawAddrs);
    try {
      List<VirtualService> services = new ArrayList<>(n);
      List<RealServer> servers = new ArrayList<>(4 * n);
      generate(n, services, servers);
      List<Node> nodes = List.of(director(NODE, NODE_IP));
      StaticSource source = new StaticSource().set(services, servers, nodes);
      Syncer syncer =
          new Syncer(
              NODE,
              AgentSettings.COMMAND_LINE,
              source,
              new KernelReader(ipvs, addrs, sysctls),
              new Applier(ipvs, addrs, sysctls),
              OwnershipStore.open(state),
              result -> {},
              new SyncMetrics(),
              new Object(),
              Clock.systemUTC());

      // 1. Everything from empty (startup: a full sync).
      ipvs.reset();
      addrs.reset();
      long t0 = System.nanoTime();
      SyncResult full = syncer.sync(true);
      long wall = System.nanoTime() - t0;
      check(full.applyOk(), "the full sync failed: " + full.applied().failures());
      check(
          full.applied().applied().size() >= 6 * n,
          "expected at least " + (6 * n) + " steps, got " + full.applied().applied().size());
      record(n, run, "full sync from empty: wall", ms(wall));
      record(n, run, "full sync from empty: IPVS netlink", ms(ipvs.nanos()));
      record(n, run, "full sync from empty: address netlink", ms(addrs.nanos()));
      record(
          n,
          run,
          "full sync from empty: rest (compute, diff, log, state file)",
          ms(wall - ipvs.nanos() - addrs.nanos()));
      say("  calls: ipvs %s, addresses %s", ipvs.counts(), addrs.counts());
      int listed = rawIpvs.listServices().size();
      check(listed == n, "the kernel lists " + listed + " services, expected " + n);

      // 2. One weight changed, N present: a change-triggered sync (the cached kernel view).
      for (int c = 0; c < changes; c++) {
        int which = (n / 2 + c * 7919) % n;
        List<RealServer> changed = new ArrayList<>(servers);
        int index = 4 * which;
        RealServer old = changed.get(index);
        int weight = old.getSpec().getWeight() == 1 ? 2 : 1;
        changed.set(
            index, rs(old.getMetadata().getName(), old.getSpec().getAddress(), null, weight));
        changed.get(index).getMetadata().setLabels(old.getMetadata().getLabels());
        servers = changed;
        source.set(services, servers, nodes);
        ipvs.reset();
        addrs.reset();
        t0 = System.nanoTime();
        SyncResult one = syncer.sync(false);
        wall = System.nanoTime() - t0;
        check(one.applyOk(), "the change failed: " + one.applied().failures());
        check(
            one.applied().applied().size() == 1
                && ipvs.count("updateDestination") == 1
                && ipvs.lists() == 0
                && addrs.counts().isEmpty()
                && !syncer.lastSyncReadKernel(),
            "expected exactly one SET_DEST and no listing, got ipvs "
                + ipvs.counts()
                + ", addresses "
                + addrs.counts());
        record(n, run, "one weight change (triggered sync): wall", ms(wall));
        record(
            n,
            run,
            "one weight change (triggered sync): netlink",
            ms(ipvs.nanos() + addrs.nanos()));
      }

      // 3. The periodic full resync with N present and nothing to change (a full re-list), then
      //    one weight change synced through a full re-list, as every sync did before the cache.
      ipvs.reset();
      addrs.reset();
      t0 = System.nanoTime();
      SyncResult resync = syncer.sync(true);
      wall = System.nanoTime() - t0;
      check(resync.plan().isEmpty() && resync.applyOk(), "the resync planned " + resync.plan());
      record(n, run, "periodic resync, nothing to change: wall", ms(wall));
      record(
          n, run, "periodic resync, nothing to change: netlink", ms(ipvs.nanos() + addrs.nanos()));
      say("  calls: ipvs %s, addresses %s", ipvs.counts(), addrs.counts());

      // 4. Memory with N services programmed, after GC: this JVM holds what the agent's process
      //    holds (the objects, the kernel cache, the ownership record) plus the benchmark's lists.
      for (int i = 0; i < 3; i++) {
        System.gc();
        TimeUnit.MILLISECONDS.sleep(100);
      }
      Runtime rt = Runtime.getRuntime();
      record(n, run, "JVM resident memory (VmRSS) after GC, MiB", vmRssKib() / 1024.0);
      record(
          n, run, "JVM heap used after GC, MiB", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
      if (syncer.hashCode() == 42) {
        say("%s", source); // keep the syncer and its cache reachable until after the measurement
      }
    } finally {
      ipvs.close();
      addrs.close();
    }
  }

  /** N VirtualServices (distinct VIPs, port 80, wlc) each selecting its own 4 RealServers. */
  static void generate(int n, List<VirtualService> services, List<RealServer> servers) {
    for (int i = 0; i < n; i++) {
      String app = "svc-" + i;
      services.add(
          vs(
              app,
              vip(i),
              80,
              spec -> {
                spec.setScheduler(Scheduler.WLC);
                spec.setRealServerSelector(
                    new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build());
              }));
      for (int r = 0; r < 4; r++) {
        RealServer s = rs(app + "-" + r, destination(4 * i + r), null, 1);
        s.getMetadata().setLabels(Map.of("app", app));
        servers.add(s);
      }
    }
  }

  static String vip(int i) {
    return "172.16." + (i / 250) + "." + (i % 250 + 1);
  }

  static String destination(int k) {
    return "10." + (1 + k / 62500) + "." + (k / 250 % 250) + "." + (k % 250 + 1);
  }

  // The reference: ipvsadm -R.

  void ipvsadmRun(int n, int run) throws Exception {
    Path rules = work.resolve("ipvsadm-" + n + ".rules");
    if (!Files.exists(rules)) {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(rules))) {
        for (int i = 0; i < n; i++) {
          w.println("-A -t " + vip(i) + ":80 -s wlc");
          for (int r = 0; r < 4; r++) {
            w.println("-a -t " + vip(i) + ":80 -r " + destination(4 * i + r) + ":80 -g -w 1");
          }
        }
      }
    }
    enterFreshNamespace("lvsb-ipvsadm-" + n + "-" + run);
    // The cost of starting ipvsadm at all, to set against the restore.
    long empty = timeProcess(work.resolve("empty.rules"), "ipvsadm", "-R");
    long wall = timeProcess(rules, "ipvsadm", "-R");
    record(n, run, "ipvsadm -R: wall (process included)", ms(wall));
    record(n, run, "ipvsadm -R of an empty file: wall (process start)", ms(empty));
    try (NetlinkIpvsClient check = NetlinkIpvsClient.open()) {
      int listed = check.listServices().size();
      check(listed == n, "after ipvsadm -R the kernel lists " + listed + " services");
    }
  }

  long timeProcess(Path input, String... command) throws Exception {
    if (!Files.exists(input)) {
      Files.writeString(input, "");
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectInput(input.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    long t0 = System.nanoTime();
    Process p = pb.start();
    int rc = p.waitFor();
    long took = System.nanoTime() - t0;
    check(rc == 0, String.join(" ", command) + " < " + input + " exited " + rc);
    return took;
  }

  // Network namespaces.

  /**
   * Makes a fresh namespace (lo up, a dummy eth0 holding 10.0.0.1/8: the node's InternalIP, and the
   * subnet route that makes every destination routable) and moves this thread into it.
   */
  void enterFreshNamespace(String name) throws Exception {
    String script =
        "set -e; ip netns add NAME; ip -n NAME link set lo up;"
            + " ip -n NAME link add eth0 type dummy; ip -n NAME addr add "
            + NODE_IP
            + "/8 dev eth0; ip -n NAME link set eth0 up";
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script.replace("NAME", name));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.redirectInput(new File("/dev/null"));
    int rc = pb.start().waitFor();
    check(rc == 0, "could not make network namespace " + name);
    namespaces.add(name);
    int fd = libc.open("/run/netns/" + name, O_RDONLY);
    check(fd >= 0, "cannot open /run/netns/" + name);
    try {
      check(libc.setns(fd, CLONE_NEWNET) == 0, "setns " + name + " failed");
    } finally {
      libc.close(fd);
    }
    String link = Files.readString(Path.of("/proc/thread-self/net/dev"));
    check(link.contains("eth0"), "setns did not move this thread into " + name);
  }

  void cleanupNamespaces() {
    for (String ns : namespaces) {
      try {
        new ProcessBuilder("ip", "netns", "del", ns)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor();
      } catch (Exception e) {
        System.err.println("could not delete namespace " + ns + ": " + e);
      }
    }
  }

  // Results.

  void record(int n, int run, String what, double value) {
    System.out.printf(Locale.ROOT, "RESULT n=%d run=%d %s = %.3f%n", n, run, what, value);
    System.out.flush();
    samples.computeIfAbsent(n + "\t" + what, k -> new ArrayList<>()).add(value);
  }

  double median(int n, String what) {
    List<Double> v = samples.get(n + "\t" + what);
    if (v == null || v.isEmpty()) {
      return Double.NaN;
    }
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  void summary() {
    System.out.println();
    System.out.println("## Summary (median, [min-max], samples)");
    System.out.println();
    System.out.println("| services x 4 | measurement | median | min | max | samples |");
    System.out.println("|---:|---|---:|---:|---:|---:|");
    for (Map.Entry<String, List<Double>> e : samples.entrySet()) {
      String[] key = e.getKey().split("\t");
      double[] a = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      String unit = key[1].contains("MiB") ? "" : " ms";
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.1f%s | %.1f | %.1f | %d |%n",
          key[0],
          key[1],
          median(Integer.parseInt(key[0]), key[1]),
          unit,
          a[0],
          a[a.length - 1],
          a.length);
    }
    if (fake) {
      return;
    }
    System.out.println();
    System.out.println("| services x 4 | ratio (medians) | value |");
    System.out.println("|---:|---|---:|");
    for (int n : sizes) {
      double ref = median(n, "ipvsadm -R: wall (process included)");
      double wall = median(n, "full sync from empty: wall");
      double ipvsNl = median(n, "full sync from empty: IPVS netlink");
      ratio(n, "agent full sync (wall, VIP addresses included) / ipvsadm -R", wall / ref);
      ratio(n, "agent full sync, IPVS netlink only / ipvsadm -R", ipvsNl / ref);
      System.out.printf(
          Locale.ROOT,
          "| %d | one weight change: netlink ms (target < 5) | %.2f |%n",
          n,
          median(n, "one weight change (triggered sync): netlink"));
    }
  }

  void ratio(int n, String what, double value) {
    System.out.printf(Locale.ROOT, "| %d | %s | %.2f |%n", n, what, value);
  }

  static long vmRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
