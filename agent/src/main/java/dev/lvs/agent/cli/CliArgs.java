package dev.lvs.agent.cli;

import dev.lvs.agent.election.ElectionSettings;
import dev.lvs.agent.election.SyncDaemonSettings;
import dev.lvs.agent.pools.PoolEnforcement;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.Ips;
import dev.lvs.operator.util.BoundedShutdown;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the agent's command line. No library: the grammar is small and fixed. */
public final class CliArgs {
  private CliArgs() {}

  public static final String DEFAULT_STATE_DIR = "/var/lib/lvs-agent";
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MIN_SYNC_INTERVAL = Duration.ofSeconds(1);

  /**
   * Not 9100 (node-exporter's) nor anything in 9100-9999, the range of Prometheus' exporter port
   * allocations, which is fully allocated; not a port of the Kubernetes node components (kubelet
   * 10248/10250/10255, kube-proxy 10249/10256, 10257/10259) either.
   */
  public static final int DEFAULT_METRICS_PORT = 10731;

  /** Without --metrics-address and $HOST_IP: loopback, never every address. */
  public static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1";

  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = BoundedShutdown.DEFAULT_TIMEOUT;

  static final String USAGE =
      """
      Usage: lvs-agent <command> [options]

      The lvs-operator node agent: programs IPVS Direct Routing on director nodes and the
      silent VIPs (lo) and ARP sysctls on real-server nodes, from VirtualService and RealServer
      objects in Kubernetes or from YAML manifests.

      Commands:
        run       sync the kernel with the desired state, continuously or --once
        cleanup   remove everything the agent's state file says it created, then exit
        help      show this help (also: --help, -h; "run --help" for run's options)
      """;

  static final String RUN_USAGE =
      """
      Usage: lvs-agent run --node-name NAME [options]

      Syncs this node's kernel (IPVS services and destinations, VIP addresses, sysctls) with
      the desired state, on every change and every --resync-period. Only what the agent created
      is ever changed or removed. On SIGTERM it stops and leaves the data plane as it is, and
      exits (status 0) within --shutdown-timeout whether the API server answers or not.

      Options:
        --node-name NAME          this node's Kubernetes name (default: $NODE_NAME)
        --manifests DIR           read VirtualService/RealServer/Node YAML from DIR (re-read on
                                  change) instead of the Kubernetes API; no status is written
        --once                    run one sync and exit: 0 when everything was applied, 1 if not
        --state-dir DIR           where owned.json records what the agent created
                                  (default: /var/lib/lvs-agent)
        --director-interface IF   put director VIPs on IF (default: the interface holding the
                                  node's InternalIP of the VIP's family)
        --resync-period DURATION  full resync period, repairs drift (default: 30s)
        --min-sync-interval DURATION
                                  minimum time between two syncs (default: 1s)
        --expire-nodest-conn 0|1  net.ipv4.vs.expire_nodest_conn on directors (default: 1)
        --expire-quiescent-template 0|1
                                  net.ipv4.vs.expire_quiescent_template on directors: 1 moves
                                  persistent clients off a weight-0 real server (default: 1)
        --conn-reuse-mode N       net.ipv4.vs.conn_reuse_mode on directors (default: unchanged)
        --vip-pools Enforce|Warn|Off
                                  a VIP in no VipPool admitting its namespace: Enforce refuses
                                  it (nothing programmed, reported), Warn programs it and logs,
                                  Off ignores pools (default: Warn). Node, host-interface,
                                  loopback, link-local and multicast addresses are refused in
                                  every mode. Manifests (--manifests) have no pools: Off.
        --director-election On|Off
                                  with several directors for a VIP, elect one to hold it
                                  (Leases in --lease-namespace); Off: every director holds
                                  every VIP it serves (default: On; always Off with
                                  --manifests: standalone directors are single)
        --lease-namespace NS      the directors' Leases (default: $POD_NAMESPACE, else
                                  lvs-system)
        --director-lease-duration DURATION
                                  a director whose Lease is not renewed for this long loses its
                                  VIPs (the kernel removes them) and a standby takes over
                                  (default: 3s, minimum 2s)
        --director-renew-interval DURATION
                                  how often a director renews its Lease, at most a third of
                                  the lease duration (default: 500ms)
        --director-rebalance-after DURATION
                                  no preemption: a director that restarts or recovers takes
                                  back VIPs held by others only after holding its Lease this
                                  long; 0 preempts at once (default: 10m)
        --sync-daemon On|Off      run the kernel's IPVS connection sync daemons (master and
                                  backup) on directors that elect, so that connections survive
                                  a failover (default: On)
        --sync-interface IF       the interface the sync daemons multicast on (default: the
                                  interface holding the node's IPv4 InternalIP)
        --sync-id N               the sync daemons' syncid, 0-255: give each LVS cluster on a
                                  segment its own (default: 0, the kernel's: backups accept
                                  every syncid)
        --sync-group IP           the multicast group (default: the kernel's, 224.0.0.81)
        --sync-port PORT          the UDP port (default: the kernel's, 8848)
        --metrics-port PORT       /healthz, /readyz, /metrics port; 0 disables (default: 10731)
        --metrics-address IP      the one address they listen on (default: $HOST_IP, the node's
                                  IP from the downward API, else 127.0.0.1); 0.0.0.0 or :: for
                                  every address, which on a director includes its VIPs
        --shutdown-timeout DURATION
                                  on SIGTERM, how long the orderly stop may take before the
                                  agent exits anyway; a sync's kernel changes are never cut
                                  short (default: 10s)
        -h, --help                show this help

      Durations: 500ms, 30s, 5m, 1h, or plain seconds. Without --manifests the agent uses the
      in-cluster service account, or $KUBECONFIG / ~/.kube/config.
      """;

  static final String CLEANUP_USAGE =
      """
      Usage: lvs-agent cleanup [--state-dir DIR]

      Removes every IPVS service, destination and address recorded in DIR/owned.json (tolerating
      ones already gone), restores the sysctls it changed if they still hold the agent's value,
      and touches nothing else. Run it on uninstall, after the agent has stopped.

      Options:
        --state-dir DIR   default: /var/lib/lvs-agent
        -h, --help        show this help
      """;

  private static final Set<String> RUN_FLAGS =
      Set.of(
          "--node-name",
          "--manifests",
          "--state-dir",
          "--director-interface",
          "--resync-period",
          "--min-sync-interval",
          "--expire-nodest-conn",
          "--expire-quiescent-template",
          "--conn-reuse-mode",
          "--vip-pools",
          "--director-election",
          "--lease-namespace",
          "--director-lease-duration",
          "--director-renew-interval",
          "--director-rebalance-after",
          "--sync-daemon",
          "--sync-interface",
          "--sync-id",
          "--sync-group",
          "--sync-port",
          "--metrics-port",
          "--metrics-address",
          "--shutdown-timeout");
  private static final Set<String> RUN_SWITCHES = Set.of("--once");

  public static Command parse(String[] args, Map<String, String> env) throws UsageException {
    if (args.length == 0) {
      throw new UsageException("no command given\n\n" + USAGE);
    }
    String command = args[0];
    switch (command) {
      case "-h", "--help", "help" -> {
        return new Command.Help(USAGE);
      }
      case "run" -> {
        return parseRun(args, env);
      }
      case "cleanup" -> {
        return parseCleanup(args);
      }
      default -> throw new UsageException("unknown command \"" + command + "\"\n\n" + USAGE);
    }
  }

  private static Command parseRun(String[] args, Map<String, String> env) throws UsageException {
    Map<String, String> opts = new HashMap<>();
    boolean help = collect(args, RUN_FLAGS, RUN_SWITCHES, opts);
    if (help) {
      return new Command.Help(RUN_USAGE);
    }
    String node = opts.getOrDefault("--node-name", env.get("NODE_NAME"));
    if (node == null || node.isBlank()) {
      throw new UsageException("run: --node-name is required (or set NODE_NAME)");
    }
    Optional<Integer> expire =
        Optional.of(bool01(opts, "--expire-nodest-conn", AgentSettings.DEFAULT_EXPIRE_NODEST_CONN));
    Optional<Integer> expireTemplate =
        Optional.of(
            bool01(
                opts,
                "--expire-quiescent-template",
                AgentSettings.DEFAULT_EXPIRE_QUIESCENT_TEMPLATE));
    Optional<Integer> reuse = Optional.empty();
    if (opts.containsKey("--conn-reuse-mode")) {
      int v = integer(opts, "--conn-reuse-mode");
      if (v < 0) {
        throw new UsageException("run: --conn-reuse-mode must not be negative");
      }
      reuse = Optional.of(v);
    }
    int port = DEFAULT_METRICS_PORT;
    if (opts.containsKey("--metrics-port")) {
      port = integer(opts, "--metrics-port");
      if (port < 0 || port > 65535) {
        throw new UsageException("run: --metrics-port must be 0-65535, not " + port);
      }
    }
    String addressText =
        opts.getOrDefault(
            "--metrics-address",
            env.getOrDefault("HOST_IP", "").isBlank()
                ? DEFAULT_METRICS_ADDRESS
                : env.get("HOST_IP"));
    InetAddress metricsAddress =
        Ips.parse(addressText.trim())
            .orElseThrow(
                () ->
                    new UsageException(
                        "run: --metrics-address (or $HOST_IP) must be an IP address, not \""
                            + addressText
                            + "\""));
    Duration shutdownTimeout = duration(opts, "--shutdown-timeout", DEFAULT_SHUTDOWN_TIMEOUT);
    if (shutdownTimeout.isZero()) {
      throw new UsageException("run: --shutdown-timeout must be positive");
    }
    PoolEnforcement vipPools = PoolEnforcement.WARN;
    if (opts.containsKey("--vip-pools")) {
      try {
        vipPools = PoolEnforcement.parse(opts.get("--vip-pools"));
      } catch (IllegalArgumentException e) {
        throw new UsageException("run: " + e.getMessage());
      }
    }
    boolean manifests = opts.containsKey("--manifests");
    boolean elect = onOff(opts, "--director-election", true) && !manifests;
    ElectionSettings election;
    try {
      election =
          new ElectionSettings(
              elect,
              duration(opts, "--director-lease-duration", ElectionSettings.DEFAULT_LEASE_DURATION),
              duration(opts, "--director-renew-interval", ElectionSettings.DEFAULT_RENEW_INTERVAL),
              duration(
                  opts, "--director-rebalance-after", ElectionSettings.DEFAULT_REBALANCE_AFTER),
              opts.getOrDefault(
                  "--lease-namespace",
                  env.getOrDefault("POD_NAMESPACE", "").isBlank()
                      ? DEFAULT_LEASE_NAMESPACE
                      : env.get("POD_NAMESPACE")));
    } catch (IllegalArgumentException e) {
      throw new UsageException("run: " + e.getMessage());
    }
    SyncDaemonSettings syncDaemon = syncDaemon(opts, elect);
    Optional<String> iface = Optional.ofNullable(opts.get("--director-interface"));
    if (iface.isPresent() && (iface.get().isEmpty() || iface.get().length() > 15)) {
      throw new UsageException("run: --director-interface must be an interface name (1-15 bytes)");
    }
    return new Command.Run(
        new RunOptions(
            node,
            Optional.ofNullable(opts.get("--manifests")).map(Path::of),
            opts.containsKey("--once"),
            Path.of(opts.getOrDefault("--state-dir", DEFAULT_STATE_DIR)),
            iface,
            duration(opts, "--resync-period", DEFAULT_RESYNC),
            duration(opts, "--min-sync-interval", DEFAULT_MIN_SYNC_INTERVAL),
            expire,
            expireTemplate,
            reuse,
            metricsAddress,
            port,
            shutdownTimeout,
            vipPools,
            election,
            syncDaemon));
  }

  static final String DEFAULT_LEASE_NAMESPACE = "lvs-system";

  private static SyncDaemonSettings syncDaemon(Map<String, String> opts, boolean elect)
      throws UsageException {
    boolean on = onOff(opts, "--sync-daemon", true) && elect;
    Optional<String> iface = Optional.ofNullable(opts.get("--sync-interface"));
    if (iface.isPresent() && (iface.get().isEmpty() || iface.get().length() > 15)) {
      throw new UsageException("run: --sync-interface must be an interface name (1-15 bytes)");
    }
    int syncId = opts.containsKey("--sync-id") ? integer(opts, "--sync-id") : 0;
    if (syncId < 0 || syncId > 255) {
      throw new UsageException("run: --sync-id must be 0-255, not " + syncId);
    }
    Optional<InetAddress> group = Optional.empty();
    if (opts.containsKey("--sync-group")) {
      String text = opts.get("--sync-group").trim();
      InetAddress g =
          Ips.parse(text)
              .filter(InetAddress::isMulticastAddress)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "run: --sync-group must be a multicast address, not \"" + text + "\""));
      group = Optional.of(g);
    }
    int port = opts.containsKey("--sync-port") ? integer(opts, "--sync-port") : 0;
    if (port < 0 || port > 65535) {
      throw new UsageException("run: --sync-port must be 1-65535, not " + port);
    }
    return new SyncDaemonSettings(on, iface, syncId, group, port);
  }

  private static boolean onOff(Map<String, String> opts, String flag, boolean dflt)
      throws UsageException {
    String v = opts.get(flag);
    if (v == null) {
      return dflt;
    }
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new UsageException("run: " + flag + " must be On or Off, not \"" + v + "\"");
    };
  }

  private static Command parseCleanup(String[] args) throws UsageException {
    Map<String, String> opts = new HashMap<>();
    if (collect(args, Set.of("--state-dir"), Set.of(), opts)) {
      return new Command.Help(CLEANUP_USAGE);
    }
    return new Command.Cleanup(Path.of(opts.getOrDefault("--state-dir", DEFAULT_STATE_DIR)));
  }

  /**
   * Collects {@code --flag value}, {@code --flag=value} and switches; returns whether help was
   * asked.
   */
  private static boolean collect(
      String[] args, Set<String> flags, Set<String> switches, Map<String, String> into)
      throws UsageException {
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        return true;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (switches.contains(name)) {
        if (value != null) {
          throw new UsageException(args[0] + ": " + name + " takes no value");
        }
        into.put(name, "true");
      } else if (flags.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException(args[0] + ": " + name + " needs a value");
          }
          value = args[++i];
        }
        into.put(name, value);
      } else {
        throw new UsageException(
            args[0] + ": unknown option \"" + a + "\" (see lvs-agent " + args[0] + " --help)");
      }
    }
    return false;
  }

  /** A 0-or-1 flag's value, or {@code fallback} when it is not given. */
  private static int bool01(Map<String, String> opts, String name, int fallback)
      throws UsageException {
    if (!opts.containsKey(name)) {
      return fallback;
    }
    int v = integer(opts, name);
    if (v != 0 && v != 1) {
      throw new UsageException("run: " + name + " must be 0 or 1, not " + v);
    }
    return v;
  }

  private static int integer(Map<String, String> opts, String name) throws UsageException {
    try {
      return Integer.parseInt(opts.get(name).trim());
    } catch (NumberFormatException e) {
      throw new UsageException(
          "run: " + name + " must be an integer, not \"" + opts.get(name) + "\"");
    }
  }

  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)?$");

  private static Duration duration(Map<String, String> opts, String name, Duration fallback)
      throws UsageException {
    String v = opts.get(name);
    if (v == null) {
      return fallback;
    }
    return parseDuration(v.trim())
        .orElseThrow(
            () ->
                new UsageException(
                    "run: "
                        + name
                        + " must be a duration such as 30s, 500ms or 5m, not \""
                        + v
                        + "\""));
  }

  static Optional<Duration> parseDuration(String v) {
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return Optional.of(
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        });
  }
}
