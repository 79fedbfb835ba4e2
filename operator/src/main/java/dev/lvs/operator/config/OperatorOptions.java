package dev.lvs.operator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's command line. Every option can be given, from lowest to highest precedence, in a
 * YAML config file ({@code --config FILE}, keys are the option names without dashes, e.g. {@code
 * agent-image: ...}; structured options take YAML lists or maps), as an environment variable
 * ({@code LVS_OPERATOR_} + the name upper-cased with underscores, e.g. {@code
 * LVS_OPERATOR_AGENT_IMAGE}) or as a flag ({@code --agent-image=IMG} or {@code --agent-image IMG}).
 */
public final class OperatorOptions {
  private OperatorOptions() {}

  /** Bad command line or configuration: the message says what to fix. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** The result of parsing: either a configuration to run with, or help was asked for. */
  public record Parsed(OperatorConfig config, boolean help) {}

  /** One option: name, whether it may repeat, its default (as text) and help. */
  record Option(String name, boolean repeatable, String defaultValue, String help) {
    String env() {
      return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
  }

  static final String ENV_PREFIX = "LVS_OPERATOR_";

  /**
   * Half the memory limit for the heap: at 10,000 services the agent's heap in use is 120 MiB and
   * its non-heap about 150 MiB (docs/benchmarks.md), so 256 MiB of heap fits the 512 MiB limit.
   */
  static final String AGENT_JAVA_TOOL_OPTIONS =
      "-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError";

  static final String DEFAULT_NAMESPACE = "lvs-system";
  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  static final List<Option> OPTIONS =
      List.of(
          new Option("config", false, null, "YAML file with any of these options as keys"),
          new Option(
              "namespace",
              false,
              null,
              "the operator's namespace, where the agent DaemonSet and the Lease live (default:"
                  + " $POD_NAMESPACE, the service account's namespace, else lvs-system)"),
          new Option("deletion-timeout", false, "2m", "how long deletion waits for agents"),
          new Option(
              "vip-pools",
              false,
              "Warn",
              "Enforce, Warn or Off: a VirtualService whose VIP is in no VipPool admitting its"
                  + " namespace is Ready=False (Enforce) or Degraded (Warn), reason VipNotInPool"),
          new Option(
              "requeue-period",
              false,
              "5m",
              "reconcile every object at least this often, and retry a failing reconcile at"
                  + " least this often, forever: a lost timer never stalls a deletion"),
          new Option(
              "metrics-port",
              false,
              "8080",
              "port of /metrics, /healthz and /readyz; 0 disables them, a negative value picks"
                  + " a free port (for tests)"),
          new Option("leader-election", false, "true", "elect a leader through a Lease"),
          new Option("lease-name", false, "lvs-operator-leader", "the Lease's name"),
          new Option("lease-namespace", false, null, "the Lease's namespace (default: namespace)"),
          new Option("identity", false, null, "this replica's Lease identity (default: $HOSTNAME)"),
          new Option("lease-duration", false, "15s", "Lease validity without renewal"),
          new Option("renew-deadline", false, "10s", "how long the leader tries to renew"),
          new Option("retry-period", false, "2s", "how often candidates retry"),
          new Option(
              "exit-on-lost-leadership",
              false,
              "true",
              "exit when leadership is lost, so two replicas never reconcile at once"),
          new Option(
              "shutdown-timeout",
              false,
              "10s",
              "on SIGTERM, how long the orderly stop may take; then the process exits anyway"
                  + " (status 0), whatever the API server does"),
          new Option("agent-daemonset-name", false, "lvs-agent", "the agent DaemonSet's name"),
          new Option("agent-image", false, "lvs-agent:latest", "the agent image"),
          new Option("agent-image-pull-policy", false, "IfNotPresent", "the agent pull policy"),
          new Option("agent-image-pull-secrets", true, null, "pull Secret names (repeat or list)"),
          new Option("agent-service-account", false, "lvs-agent", "the agents' ServiceAccount"),
          new Option(
              "agent-command",
              false,
              "java -cp @/app/jib-classpath-file dev.lvs.agent.Main",
              "the agent container's command (words, or a YAML list)"),
          new Option(
              "agent-args",
              true,
              null,
              "extra agent arguments, after 'run --node-name $(NODE_NAME) --state-dir DIR"
                  + " [--metrics-port N]', e.g. --agent-args=--resync-period=30s (repeat or"
                  + " list)"),
          new Option("agent-state-dir", false, "/var/lib/lvs-agent", "the agents' host state dir"),
          new Option(
              "agent-metrics-port",
              false,
              "10731",
              "the agents' metrics port (on the node's IP only); 0 for none"),
          new Option("agent-env", true, null, "extra agent env NAME=VALUE (repeat or map)"),
          new Option("agent-labels", true, null, "extra labels KEY=VALUE (repeat or map)"),
          new Option(
              "agent-annotations", true, null, "extra pod annotations KEY=VALUE (repeat or map)"),
          new Option(
              "agent-tolerations",
              false,
              "[{operator: Exists}]",
              "the agents' tolerations, YAML/JSON list (default: tolerate every taint)"),
          new Option(
              "agent-resources",
              false,
              "{requests: {cpu: 50m, memory: 256Mi}, limits: {memory: 512Mi}}",
              "the agent's resources, YAML/JSON"),
          new Option(
              "agent-java-tool-options",
              false,
              AGENT_JAVA_TOOL_OPTIONS,
              "the agents' JAVA_TOOL_OPTIONS (empty for none; JAVA_TOOL_OPTIONS in agent-env"
                  + " wins)"),
          new Option(
              "agent-privileged",
              false,
              "false",
              "run agents privileged (an escape hatch); false drops every capability but"
                  + " agent-capabilities"),
          new Option(
              "agent-capabilities",
              true,
              "[NET_ADMIN, NET_RAW]",
              "capabilities added when not privileged (repeat or list)"),
          new Option(
              "agent-priority-class",
              false,
              "system-node-critical",
              "the agents' priorityClassName; empty for none"),
          new Option("agent-max-unavailable", false, "1", "rolling update maxUnavailable"),
          new Option("help", false, null, "print this help and exit"));

  /** YAML, and so JSON too. */
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  public static String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: java -jar lvs-operator.jar [OPTIONS]\n\n")
        .append("Runs the lvs-operator: reconciles VirtualService and RealServer (lvs.dev)\n")
        .append("into the agent DaemonSet, validates across objects and aggregates status.\n\n")
        .append("Every option may also be set as an environment variable (")
        .append(ENV_PREFIX)
        .append("NAME)\nor as a key of the --config YAML file. Flags win over the environment,\n")
        .append("which wins over the file.\n\nOptions:\n");
    for (Option o : OPTIONS) {
      b.append(String.format("  --%-26s %s%n", o.name(), o.help()));
      if (o.defaultValue() != null) {
        b.append(String.format("  %-28s default: %s%n", "", o.defaultValue()));
      }
    }
    return b.toString();
  }

  /** Parses flags, environment and config file into a configuration. */
  public static Parsed parse(String[] args, Map<String, String> env) throws UsageException {
    Map<String, Object> flags = parseFlags(args);
    if (flags.containsKey("help")) {
      return new Parsed(null, true);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    String configFile = firstString(flags.get("config"));
    if (configFile == null) {
      configFile = env.get(option("config").env());
    }
    if (configFile != null) {
      values.putAll(readFile(Path.of(configFile)));
    }
    for (Option o : OPTIONS) {
      String v = env.get(o.env());
      if (v != null) {
        values.put(o.name(), v);
      }
    }
    values.putAll(flags);
    return new Parsed(build(new Values(values), env), false);
  }

  private static Map<String, Object> parseFlags(String[] args) throws UsageException {
    Map<String, Object> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h")) {
        a = "--help";
      }
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument '" + a + "' (see --help)");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Option o = option(name);
      if (o == null) {
        throw new UsageException("unknown option --" + name + " (see --help)");
      }
      if (value == null && !name.equals("help")) {
        if (i + 1 >= args.length) {
          throw new UsageException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      if (o.repeatable()) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) flags.computeIfAbsent(name, k -> new ArrayList<>());
        l.add(value);
      } else {
        flags.put(name, value == null ? "true" : value);
      }
    }
    return flags;
  }

  private static Map<String, Object> readFile(Path file) throws UsageException {
    try {
      Object parsed = YAML.readValue(Files.readString(file), Object.class);
      if (parsed == null) {
        return Map.of();
      }
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new UsageException(file + ": expected a YAML map of option names to values");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (var e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (option(key) == null || key.equals("config") || key.equals("help")) {
          throw new UsageException(file + ": unknown option '" + key + "'");
        }
        values.put(key, e.getValue());
      }
      return values;
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new UsageException("config file " + file + " is not valid: " + e.getMessage());
    }
  }

  private static OperatorConfig build(Values v, Map<String, String> env) throws UsageException {
    String namespace = v.string("namespace");
    if (namespace == null) {
      namespace = env.get("POD_NAMESPACE");
    }
    if (namespace == null && Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      try {
        namespace = Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
      } catch (IOException e) {
        namespace = null;
      }
    }
    if (namespace == null || namespace.isBlank()) {
      namespace = DEFAULT_NAMESPACE;
    }
    String identity = v.string("identity");
    if (identity == null) {
      identity =
          Optional.ofNullable(env.get("HOSTNAME")).orElse("lvs-operator-" + UUID.randomUUID());
    }
    AgentConfig agent =
        new AgentConfig(
            v.string("agent-daemonset-name"),
            v.string("agent-image"),
            v.string("agent-image-pull-policy"),
            v.list("agent-image-pull-secrets"),
            v.string("agent-service-account"),
            v.list("agent-command"),
            v.list("agent-args"),
            v.string("agent-state-dir"),
            v.integer("agent-metrics-port"),
            v.map("agent-env"),
            v.map("agent-labels"),
            v.map("agent-annotations"),
            List.of(v.object("agent-tolerations", Toleration[].class)),
            v.object("agent-resources", ResourceRequirements.class),
            v.string("agent-java-tool-options"),
            v.bool("agent-privileged"),
            v.list("agent-capabilities"),
            v.string("agent-priority-class"),
            v.string("agent-max-unavailable"));
    if (agent.image() == null || agent.image().isBlank()) {
      throw new UsageException("--agent-image must not be empty");
    }
    if (agent.command().isEmpty()) {
      throw new UsageException("--agent-command must not be empty");
    }
    String leaseNamespace = v.string("lease-namespace");
    Duration shutdownTimeout = v.duration("shutdown-timeout");
    if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
      throw new UsageException("--shutdown-timeout must be positive, not " + shutdownTimeout);
    }
    return new OperatorConfig(
        namespace,
        agent,
        v.duration("deletion-timeout"),
        positive("requeue-period", v.duration("requeue-period")),
        v.integer("metrics-port"),
        v.bool("leader-election"),
        v.string("lease-name"),
        leaseNamespace == null ? namespace : leaseNamespace,
        identity,
        v.duration("lease-duration"),
        v.duration("renew-deadline"),
        v.duration("retry-period"),
        v.bool("exit-on-lost-leadership"),
        shutdownTimeout,
        vipPools(v.string("vip-pools")));
  }

  private static String vipPools(String value) throws UsageException {
    for (String mode : List.of("Enforce", "Warn", "Off")) {
      if (mode.equalsIgnoreCase(value == null ? "" : value.trim())) {
        return mode;
      }
    }
    throw new UsageException("--vip-pools must be Enforce, Warn or Off, not \"" + value + "\"");
  }

  private static Duration positive(String name, Duration d) throws UsageException {
    if (d.isNegative() || d.isZero()) {
      throw new UsageException("--" + name + " must be positive, got " + d);
    }
    return d;
  }

  static Option option(String name) {
    return OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
  }

  private static String firstString(Object o) {
    if (o instanceof List<?> l) {
      return l.isEmpty() ? null : String.valueOf(l.get(0));
    }
    return o == null ? null : String.valueOf(o);
  }

  /** Parses "30s", "2m", "1h", "500ms" or ISO-8601 ("PT2M"). */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    return Duration.parse(t);
  }

  /** Typed access to the merged raw values, with defaults. */
  private static final class Values {
    private final Map<String, Object> raw;

    Values(Map<String, Object> raw) {
      this.raw = raw;
    }

    private Object get(String name) {
      Object v = raw.get(name);
      return v != null ? v : option(name).defaultValue();
    }

    String string(String name) {
      Object v = get(name);
      if (v instanceof List<?> || v instanceof Map<?, ?>) {
        throw new IllegalArgumentException("--" + name + ": expected a single value, got " + v);
      }
      return v == null ? null : String.valueOf(v);
    }

    boolean bool(String name) throws UsageException {
      String s = string(name).trim().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "true", "yes", "1" -> true;
        case "false", "no", "0" -> false;
        default -> throw new UsageException("--" + name + ": expected true or false, got " + s);
      };
    }

    int integer(String name) throws UsageException {
      try {
        return Integer.parseInt(string(name).trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + ": expected a number, got " + string(name));
      }
    }

    Duration duration(String name) throws UsageException {
      try {
        return parseDuration(string(name));
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--" + name + ": expected a duration like 30s, 2m or PT2M, got " + string(name));
      }
    }

    /** A list: a YAML list, repeated flags, a YAML list in text, or whitespace-separated words. */
    List<String> list(String name) throws UsageException {
      Object v = get(name);
      List<String> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (v instanceof List<?> l) {
        for (Object item : l) {
          if (item instanceof String s && s.trim().startsWith("[")) {
            out.addAll(parseList(name, s));
          } else {
            out.add(String.valueOf(item));
          }
        }
        return out;
      }
      String s = String.valueOf(v).trim();
      if (s.startsWith("[")) {
        return parseList(name, s);
      }
      for (String w : s.split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
      return out;
    }

    /** A map: a YAML map, repeated KEY=VALUE flags, a YAML map in text, or "K=V,K2=V2". */
    Map<String, String> map(String name) throws UsageException {
      Object v = get(name);
      Map<String, String> out = new LinkedHashMap<>();
      if (v == null) {
        return out;
      }
      if (v instanceof Map<?, ?> m) {
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
      }
      List<?> items = v instanceof List<?> l ? l : List.of(v);
      for (Object item : items) {
        String s = String.valueOf(item).trim();
        if (s.startsWith("{")) {
          Object parsed = unmarshal(name, s, Object.class);
          if (parsed instanceof Map<?, ?> m) {
            m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
            continue;
          }
        }
        List<String> pairs = v instanceof List<?> ? List.of(s) : List.of(s.split(","));
        for (String pair : pairs) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new UsageException("--" + name + ": expected KEY=VALUE, got '" + pair + "'");
          }
          out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
      }
      return out;
    }

    <T> T object(String name, Class<T> type) throws UsageException {
      Object v = get(name);
      if (v instanceof String s) {
        return unmarshal(name, s, type);
      }
      try {
        return YAML.convertValue(v, type);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--" + name + ": " + e.getMessage());
      }
    }

    private List<String> parseList(String name, String s) throws UsageException {
      Object parsed = unmarshal(name, s, Object.class);
      if (!(parsed instanceof List<?> l)) {
        throw new UsageException("--" + name + ": expected a list, got " + s);
      }
      return l.stream().map(String::valueOf).toList();
    }

    private static <T> T unmarshal(String name, String s, Class<T> type) throws UsageException {
      try {
        return YAML.readValue(s, type);
      } catch (JsonProcessingException | RuntimeException e) {
        throw new UsageException("--" + name + ": cannot parse '" + s + "': " + e.getMessage());
      }
    }
  }

  /** For tests and callers that build configurations in code. */
  public static Function<String[], OperatorConfig> withEnv(Map<String, String> env) {
    return args -> {
      try {
        return parse(args, env).config();
      } catch (UsageException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    };
  }
}
