package dev.lvs.operator.model;

import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything the operator reasons about: the VirtualServices, RealServers and Nodes of the cluster.
 * Every cross-object rule (selection, conflicts, placement) is answered here, in memory, so it is
 * unit-testable.
 *
 * <p>A view reads three {@link Store}s through the {@link Indexes}; it copies nothing, so building
 * one costs nothing and a question costs what it touches (a selector's candidates, the services of
 * one vip/port/protocol), not the size of the cluster. In the operator the stores are the informer
 * caches, which the informers keep current: a view is live, not a snapshot. A controller keeps one
 * view over its caches for its whole life, and each reconcile layers its own, fresher copy of the
 * primary on top ({@link #with(VirtualService)}, {@link #with(RealServer)}). Two questions in one
 * reconcile may see caches a few events apart; the later events then trigger another reconcile.
 */
public final class ClusterView {

  /** Oldest first: creationTimestamp, then namespace, then name. */
  public static final Comparator<HasMetadata> OLDEST_FIRST =
      Comparator.comparing((HasMetadata r) -> created(r))
          .thenComparing(r -> Objects.toString(r.getMetadata().getNamespace(), ""))
          .thenComparing(r -> r.getMetadata().getName());

  private static final Comparator<HasMetadata> BY_NAME =
      Comparator.comparing((HasMetadata r) -> Objects.toString(r.getMetadata().getNamespace(), ""))
          .thenComparing(r -> r.getMetadata().getName());

  private final Store<VirtualService> virtualServices;
  private final Store<RealServer> realServers;
  private final Store<Node> nodes;
  private final VirtualService vsOverride;
  private final RealServer rsOverride;

  /** An in-memory view of these objects. */
  public ClusterView(
      Collection<VirtualService> virtualServices,
      Collection<RealServer> realServers,
      Collection<Node> nodes) {
    this(
        Store.of(virtualServices, Indexes.virtualServices()),
        Store.of(realServers, Indexes.realServers()),
        Store.of(nodes, Indexes.nodes()),
        null,
        null);
  }

  private ClusterView(
      Store<VirtualService> virtualServices,
      Store<RealServer> realServers,
      Store<Node> nodes,
      VirtualService vsOverride,
      RealServer rsOverride) {
    this.virtualServices = virtualServices;
    this.realServers = realServers;
    this.nodes = nodes;
    this.vsOverride = vsOverride;
    this.rsOverride = rsOverride;
  }

  /** A view of stores indexed by all of {@link Indexes}' indexers for their kind. */
  public static ClusterView of(
      Store<VirtualService> virtualServices, Store<RealServer> realServers, Store<Node> nodes) {
    return new ClusterView(virtualServices, realServers, nodes, null, null);
  }

  /** The same view with {@code vs} replacing its stored copy (the reconciler's fresher one). */
  public ClusterView with(VirtualService vs) {
    return new ClusterView(virtualServices, realServers, nodes, vs, rsOverride);
  }

  /** The same view with {@code rs} replacing its stored copy. */
  public ClusterView with(RealServer rs) {
    return new ClusterView(virtualServices, realServers, nodes, vsOverride, rs);
  }

  // ---------------------------------------------------------------- single objects

  /** Every VirtualService, in no particular order. */
  public List<VirtualService> virtualServices() {
    return overlay(virtualServices.list(), vsOverride, vs -> true);
  }

  public Optional<RealServer> realServer(String namespace, String name) {
    if (rsOverride != null
        && Objects.equals(namespace, rsOverride.getMetadata().getNamespace())
        && Objects.equals(name, rsOverride.getMetadata().getName())) {
      return Optional.of(rsOverride);
    }
    return realServers.get(namespace, name);
  }

  public Optional<Node> node(String name) {
    return name == null ? Optional.empty() : nodes.get(null, name);
  }

  /** A node whose agent can still act: the Node exists and is Ready. */
  public boolean agentAlive(String nodeName) {
    return node(nodeName).map(Nodes::isReady).orElse(false);
  }

  /** Why a node's agent cannot act, or empty when it can. */
  public Optional<String> agentGoneReason(String nodeName) {
    Optional<Node> node = node(nodeName);
    if (node.isEmpty()) {
      return Optional.of("node " + nodeName + " does not exist");
    }
    if (!Nodes.isReady(node.get())) {
      return Optional.of(
          "node "
              + nodeName
              + " is not Ready (Ready="
              + Nodes.readyStatus(node.get()).orElse("Unknown")
              + ")");
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- selection

  /** The nodes matching the service's directors selector, sorted by name. */
  public List<String> directorNodes(VirtualService vs) {
    if (vs.getSpec() == null) {
      return List.of();
    }
    LabelSelector selector = vs.getSpec().getDirectors();
    return candidates(nodes, Indexes.NODE_LABEL, "", selector, nodes::list)
        .filter(n -> LabelSelectors.matches(selector, n.getMetadata().getLabels()))
        .map(n -> n.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** The RealServers in the service's namespace that its selector selects, sorted by name. */
  public List<RealServer> selectedRealServers(VirtualService vs) {
    if (vs.getSpec() == null) {
      return List.of();
    }
    String ns = vs.getMetadata().getNamespace();
    LabelSelector selector = vs.getSpec().getRealServerSelector();
    Stream<RealServer> candidates =
        candidates(
            realServers,
            Indexes.RS_LABEL,
            ns + "/",
            selector,
            () -> realServers.byIndex(Indexes.RS_NAMESPACE, ns).stream());
    return overlay(
        candidates,
        rsOverride,
        rs ->
            Objects.equals(ns, rs.getMetadata().getNamespace())
                && LabelSelectors.matches(selector, rs.getMetadata().getLabels()),
        BY_NAME);
  }

  /** The VirtualServices in the server's namespace whose selector selects it, oldest first. */
  public List<VirtualService> selecting(RealServer rs) {
    String ns = rs.getMetadata().getNamespace();
    Map<String, String> labels = rs.getMetadata().getLabels();
    return overlay(
        filedUnder(virtualServices, Indexes.VS_REAL_SERVER_SELECTOR, ns + "/", labels),
        vsOverride,
        vs ->
            Objects.equals(ns, vs.getMetadata().getNamespace())
                && vs.getSpec() != null
                && LabelSelectors.matches(vs.getSpec().getRealServerSelector(), labels),
        OLDEST_FIRST);
  }

  /** The VirtualServices whose directors selector matches the node's labels, oldest first. */
  public List<VirtualService> directing(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return overlay(
        filedUnder(virtualServices, Indexes.VS_DIRECTORS, "", labels),
        vsOverride,
        vs -> vs.getSpec() != null && LabelSelectors.matches(vs.getSpec().getDirectors(), labels),
        OLDEST_FIRST);
  }

  /** The RealServers whose spec.nodeName is this node, sorted by namespace and name. */
  public List<RealServer> realServersOn(String nodeName) {
    if (nodeName == null) {
      return List.of();
    }
    return overlay(
        realServers.byIndex(Indexes.RS_NODE, nodeName).stream(),
        rsOverride,
        rs -> rs.getSpec() != null && nodeName.equals(rs.getSpec().getNodeName()),
        BY_NAME);
  }

  /**
   * The RealServers that may resolve to this address: those with it as spec.address, and those
   * without a spec.address on a node with it as an InternalIP. Sorted by namespace and name.
   */
  public List<RealServer> realServersAt(String address) {
    String a = IpAddresses.canonical(address);
    if (a == null) {
      return List.of();
    }
    List<String> nodeNames =
        nodes.byIndex(Indexes.NODE_INTERNAL_IP, a).stream()
            .map(n -> n.getMetadata().getName())
            .toList();
    Stream<RealServer> candidates =
        Stream.concat(
            realServers.byIndex(Indexes.RS_ADDRESS, a).stream(),
            nodeNames.stream().flatMap(n -> realServers.byIndex(Indexes.RS_NODE, n).stream()));
    return overlay(
        candidates,
        rsOverride,
        rs ->
            rs.getSpec() != null
                && (rs.getSpec().getAddress() == null
                    ? nodeNames.contains(rs.getSpec().getNodeName())
                    : a.equals(IpAddresses.canonical(rs.getSpec().getAddress()))),
        BY_NAME);
  }

  // ---------------------------------------------------------------- conflicts and addresses

  /** The VirtualServices with the same vip/port/protocol as {@code vs}, oldest first. */
  public List<VirtualService> sameKey(VirtualService vs) {
    ServiceKey key = ServiceKey.of(vs);
    if (key == null) {
      return List.of();
    }
    return overlay(
        virtualServices.byIndex(Indexes.VS_KEY, key.toString()).stream(),
        vsOverride,
        other -> key.equals(ServiceKey.of(other)),
        OLDEST_FIRST);
  }

  /**
   * The VirtualService that owns this one's vip/port/protocol when it is not this one: the oldest
   * (creationTimestamp, then namespace/name) of the services with the same key that are not being
   * deleted. A service being deleted competes with none, exactly as the agents decide (they drop it
   * from their desired state at once): the next oldest owns the key from then on, and the operator
   * must place agents and report status for that one, not for the leaving one.
   */
  public Optional<VirtualService> conflictWinner(VirtualService vs) {
    if (vs.isMarkedForDeletion()) {
      return Optional.empty();
    }
    return sameKey(vs).stream()
        .filter(other -> !other.isMarkedForDeletion())
        .findFirst()
        .filter(oldest -> !sameObject(oldest, vs));
  }

  /** Whether this service loses a vip/port/protocol conflict. */
  public boolean isConflictLoser(VirtualService vs) {
    return conflictWinner(vs).isPresent();
  }

  /** The VirtualServices (anywhere in the cluster) whose VIP is this address, oldest first. */
  public List<VirtualService> withVip(String address) {
    String a = IpAddresses.canonical(address);
    if (a == null) {
      return List.of();
    }
    return overlay(
        virtualServices.byIndex(Indexes.VS_VIP, a).stream(),
        vsOverride,
        vs -> vs.getSpec() != null && a.equals(IpAddresses.canonical(vs.getSpec().getVip())),
        OLDEST_FIRST);
  }

  /**
   * The address the directors forward to: spec.address, else the InternalIP of spec.nodeName (IPv4
   * preferred unless {@code ipv6}).
   */
  public Optional<String> resolvedAddress(RealServer rs, boolean ipv6) {
    if (rs.getSpec() == null) {
      return Optional.empty();
    }
    if (rs.getSpec().getAddress() != null) {
      return Optional.of(rs.getSpec().getAddress());
    }
    return node(rs.getSpec().getNodeName()).flatMap(n -> Nodes.internalIp(n, ipv6));
  }

  // ---------------------------------------------------------------- deletion

  /** The VirtualServices being deleted, oldest first. */
  public List<VirtualService> deletingVirtualServices() {
    return overlay(
        virtualServices.byIndex(Indexes.VS_DELETING, Indexes.DELETING).stream(),
        vsOverride,
        HasMetadata::isMarkedForDeletion,
        OLDEST_FIRST);
  }

  /** The RealServers being deleted, sorted by namespace and name. */
  public List<RealServer> deletingRealServers() {
    return overlay(
        realServers.byIndex(Indexes.RS_DELETING, Indexes.DELETING).stream(),
        rsOverride,
        HasMetadata::isMarkedForDeletion,
        BY_NAME);
  }

  /**
   * The VirtualServices in the server's namespace some of whose agents list it in
   * realServerGenerations, oldest first.
   */
  public List<VirtualService> reporting(RealServer rs) {
    String ns = rs.getMetadata().getNamespace();
    String name = rs.getMetadata().getName();
    return overlay(
        virtualServices
            .byIndex(Indexes.VS_REPORTED_REAL_SERVER, Indexes.reportedKey(ns, name))
            .stream(),
        vsOverride,
        vs ->
            Objects.equals(ns, vs.getMetadata().getNamespace())
                && Indexes.reportedRealServers(vs).contains(Indexes.reportedKey(ns, name)),
        OLDEST_FIRST);
  }

  /** The VirtualServices with an entry of {@code nodeName} in their status.nodes, oldest first. */
  public List<VirtualService> reportedBy(String nodeName) {
    return overlay(
        virtualServices.byIndex(Indexes.VS_REPORTING_NODE, nodeName).stream(),
        vsOverride,
        vs -> Indexes.reportingNodes(vs).contains(nodeName),
        OLDEST_FIRST);
  }

  // ---------------------------------------------------------------- helpers

  public static String id(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  public static boolean sameObject(HasMetadata a, HasMetadata b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }

  static Instant created(HasMetadata r) {
    String ts = r.getMetadata().getCreationTimestamp();
    if (ts == null) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(ts);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }

  /**
   * The objects whose labels may satisfy {@code selector}, from a label index ({@code prefix} +
   * key=value): the smallest bucket of its matchLabels, else the buckets of the values of its first
   * In expression, else {@code all}. A superset; the caller evaluates the selector.
   */
  private static <R extends HasMetadata> Stream<R> candidates(
      Store<R> store,
      String labelIndex,
      String prefix,
      LabelSelector selector,
      Supplier<Stream<R>> all) {
    if (selector == null) {
      return Stream.empty();
    }
    if (selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()) {
      List<R> best = null;
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        List<R> bucket =
            store.byIndex(labelIndex, Indexes.labelKey(prefix, e.getKey(), e.getValue()));
        if (best == null || bucket.size() < best.size()) {
          best = bucket;
        }
        if (best.isEmpty()) {
          break;
        }
      }
      return best.stream();
    }
    LabelSelectorRequirement in = Indexes.firstIn(selector);
    if (in != null) {
      return in.getValues().stream()
          .distinct()
          .flatMap(
              v -> store.byIndex(labelIndex, Indexes.labelKey(prefix, in.getKey(), v)).stream());
    }
    return all.get();
  }

  /**
   * The objects whose selector (filed by {@link Indexes#selectorKeys}) may match {@code labels}:
   * those filed under one of the labels, or under {@link Indexes#ANY}. A superset.
   */
  private static <R extends HasMetadata> Stream<R> filedUnder(
      Store<R> store, String selectorIndex, String prefix, Map<String, String> labels) {
    Stream<R> any = store.byIndex(selectorIndex, prefix + Indexes.ANY).stream();
    if (labels == null || labels.isEmpty()) {
      return any;
    }
    return Stream.concat(
        any,
        labels.entrySet().stream()
            .flatMap(
                e ->
                    store
                        .byIndex(selectorIndex, Indexes.labelKey(prefix, e.getKey(), e.getValue()))
                        .stream()));
  }

  private static <R extends HasMetadata> List<R> overlay(
      Stream<R> stored, R override, Predicate<R> keep) {
    return overlay(stored, override, keep, null);
  }

  /**
   * The stored objects that {@code keep} accepts, without duplicates, with {@code override}
   * replacing its stored copy (and tested itself, since its index keys may have changed).
   */
  private static <R extends HasMetadata> List<R> overlay(
      Stream<R> stored, R override, Predicate<R> keep, Comparator<HasMetadata> order) {
    Map<String, R> out = new LinkedHashMap<>();
    stored
        .filter(r -> override == null || !sameObject(r, override))
        .filter(keep)
        .forEach(r -> out.putIfAbsent(id(r), r));
    if (override != null && keep.test(override)) {
      out.put(id(override), override);
    }
    List<R> result = new ArrayList<>(out.values());
    if (order != null) {
      result.sort(order);
    }
    return result;
  }
}
