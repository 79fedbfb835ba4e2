package dev.lvs.operator.model;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The cache indexes {@link ClusterView} answers its questions from, as functions from an object to
 * its index keys. The same functions index the informer caches (the informers keep them current on
 * every event) and the in-memory {@link Store}s of unit tests, so both answer alike.
 *
 * <p>Label selectors are indexed by one of their requirements, never evaluated from an index alone:
 * a lookup yields candidates, and {@link dev.lvs.operator.api.LabelSelectors} decides. A selector
 * with {@code matchLabels} is filed under its first label (sorted by key), one without but with an
 * {@code In} expression under each value of the first such expression, any other under {@link
 * #ANY}; a null selector (selects nothing) is not filed.
 */
public final class Indexes {
  private Indexes() {}

  /** The key under which selectors that no label narrows are filed. */
  public static final String ANY = "*";

  /** VirtualService by {@link ServiceKey}. */
  public static final String VS_KEY = "lvs.dev/vs-key";

  /** VirtualService by canonical VIP. */
  public static final String VS_VIP = "lvs.dev/vs-vip";

  /** VirtualService by its realServerSelector: {@code namespace/key=value} or {@code ns/*}. */
  public static final String VS_REAL_SERVER_SELECTOR = "lvs.dev/vs-rs-selector";

  /** VirtualService by its directors selector: {@code key=value} or {@code *}. */
  public static final String VS_DIRECTORS = "lvs.dev/vs-directors";

  /** VirtualService being deleted: one key, {@code true}. */
  public static final String VS_DELETING = "lvs.dev/vs-deleting";

  /** VirtualService by the RealServers its agents report: {@code namespace/name}. */
  public static final String VS_REPORTED_REAL_SERVER = "lvs.dev/vs-reported-rs";

  /** VirtualService by the nodes that have an entry in its status.nodes. */
  public static final String VS_REPORTING_NODE = "lvs.dev/vs-reporting-node";

  /** RealServer by label: {@code namespace/key=value}, one key per label. */
  public static final String RS_LABEL = "lvs.dev/rs-label";

  /** RealServer by namespace. */
  public static final String RS_NAMESPACE = "lvs.dev/rs-namespace";

  /** RealServer by spec.nodeName. */
  public static final String RS_NODE = "lvs.dev/rs-node";

  /** RealServer by canonical spec.address. */
  public static final String RS_ADDRESS = "lvs.dev/rs-address";

  /** RealServer being deleted: one key, {@code true}. */
  public static final String RS_DELETING = "lvs.dev/rs-deleting";

  /** Node by label: {@code key=value}, one key per label. */
  public static final String NODE_LABEL = "lvs.dev/node-label";

  /** Node by canonical InternalIP. */
  public static final String NODE_INTERNAL_IP = "lvs.dev/node-ip";

  static final String DELETING = "true";

  public static Map<String, Function<VirtualService, List<String>>> virtualServices() {
    return Map.of(
        VS_KEY,
        vs -> {
          ServiceKey key = ServiceKey.of(vs);
          return key == null ? List.of() : List.of(key.toString());
        },
        VS_VIP,
        vs -> one(vs.getSpec() == null ? null : IpAddresses.canonical(vs.getSpec().getVip())),
        VS_REAL_SERVER_SELECTOR,
        vs ->
            vs.getSpec() == null
                ? List.of()
                : selectorKeys(namespacePrefix(vs), vs.getSpec().getRealServerSelector()),
        VS_DIRECTORS,
        vs -> vs.getSpec() == null ? List.of() : selectorKeys("", vs.getSpec().getDirectors()),
        VS_DELETING,
        vs -> deleting(vs),
        VS_REPORTED_REAL_SERVER,
        Indexes::reportedRealServers,
        VS_REPORTING_NODE,
        Indexes::reportingNodes);
  }

  public static Map<String, Function<RealServer, List<String>>> realServers() {
    return Map.of(
        RS_LABEL,
        rs -> labelKeys(namespacePrefix(rs), rs.getMetadata().getLabels()),
        RS_NAMESPACE,
        rs -> one(rs.getMetadata().getNamespace()),
        RS_NODE,
        rs -> one(rs.getSpec() == null ? null : rs.getSpec().getNodeName()),
        RS_ADDRESS,
        rs -> one(rs.getSpec() == null ? null : IpAddresses.canonical(rs.getSpec().getAddress())),
        RS_DELETING,
        rs -> deleting(rs));
  }

  public static Map<String, Function<Node, List<String>>> nodes() {
    return Map.of(
        NODE_LABEL,
        n -> labelKeys("", n.getMetadata().getLabels()),
        NODE_INTERNAL_IP,
        n -> Nodes.internalIps(n).stream().map(IpAddresses::canonical).distinct().toList());
  }

  /** The index key of one label, under {@code prefix} (a namespace and a slash, or nothing). */
  static String labelKey(String prefix, String key, String value) {
    return prefix + key + "=" + value;
  }

  static String namespacePrefix(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/";
  }

  static String reportedKey(String namespace, String realServer) {
    return namespace + "/" + realServer;
  }

  static List<String> labelKeys(String prefix, Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return List.of();
    }
    List<String> keys = new ArrayList<>(labels.size());
    labels.forEach((k, v) -> keys.add(labelKey(prefix, k, v)));
    return keys;
  }

  /** The keys a selector is filed under (see the class comment). */
  static List<String> selectorKeys(String prefix, LabelSelector selector) {
    if (selector == null) {
      return List.of();
    }
    if (selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()) {
      var first = new TreeMap<>(selector.getMatchLabels()).firstEntry();
      return List.of(labelKey(prefix, first.getKey(), first.getValue()));
    }
    LabelSelectorRequirement in = firstIn(selector);
    if (in != null) {
      return in.getValues().stream().distinct().map(v -> labelKey(prefix, in.getKey(), v)).toList();
    }
    return List.of(prefix + ANY);
  }

  /** The first {@code In} requirement of a selector, or null. */
  static LabelSelectorRequirement firstIn(LabelSelector selector) {
    if (selector.getMatchExpressions() == null) {
      return null;
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
      if ("In".equals(r.getOperator()) && r.getKey() != null && r.getValues() != null) {
        return r;
      }
    }
    return null;
  }

  static List<String> reportedRealServers(VirtualService vs) {
    if (vs.getStatus() == null || vs.getStatus().getNodes() == null) {
      return List.of();
    }
    Set<String> keys = new LinkedHashSet<>();
    for (NodeReport r : vs.getStatus().getNodes().values()) {
      if (r != null && r.getRealServerGenerations() != null) {
        for (String name : r.getRealServerGenerations().keySet()) {
          keys.add(reportedKey(vs.getMetadata().getNamespace(), name));
        }
      }
    }
    return List.copyOf(keys);
  }

  static List<String> reportingNodes(VirtualService vs) {
    if (vs.getStatus() == null || vs.getStatus().getNodes() == null) {
      return List.of();
    }
    return List.copyOf(vs.getStatus().getNodes().keySet());
  }

  private static List<String> deleting(HasMetadata r) {
    return r.getMetadata().getDeletionTimestamp() == null ? List.of() : List.of(DELETING);
  }

  private static List<String> one(String key) {
    return key == null ? List.of() : List.of(key);
  }
}
