package dev.lvs.operator.model;

import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of everything the operator reasons about: all VirtualServices and
 * RealServers in the cluster and all Nodes, taken from the informer caches. Every cross-object rule
 * (selection, conflicts, placement) is answered here, in memory, so it is unit-testable.
 */
public final class ClusterView {

  /** Oldest first: creationTimestamp, then namespace, then name. */
  public static final Comparator<HasMetadata> OLDEST_FIRST =
      Comparator.comparing((HasMetadata r) -> created(r))
          .thenComparing(r -> Objects.toString(r.getMetadata().getNamespace(), ""))
          .thenComparing(r -> r.getMetadata().getName());

  private final List<VirtualService> virtualServices;
  private final List<RealServer> realServers;
  private final Map<String, Node> nodes;
  private final Map<ServiceKey, List<VirtualService>> byKey = new HashMap<>();

  public ClusterView(
      Collection<VirtualService> virtualServices,
      Collection<RealServer> realServers,
      Collection<Node> nodes) {
    this.virtualServices = List.copyOf(virtualServices);
    this.realServers = List.copyOf(realServers);
    Map<String, Node> n = new TreeMap<>();
    nodes.forEach(node -> n.put(node.getMetadata().getName(), node));
    this.nodes = n;
    for (VirtualService vs : this.virtualServices) {
      ServiceKey key = ServiceKey.of(vs);
      if (key != null) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(vs);
      }
    }
    byKey.values().forEach(l -> l.sort(OLDEST_FIRST));
  }

  /** The same view with {@code vs} replacing its cached copy (the reconciler's fresher one). */
  public ClusterView with(VirtualService vs) {
    List<VirtualService> list = new ArrayList<>();
    for (VirtualService v : virtualServices) {
      if (!sameObject(v, vs)) {
        list.add(v);
      }
    }
    list.add(vs);
    return new ClusterView(list, realServers, nodes.values());
  }

  /** The same view with {@code rs} replacing its cached copy. */
  public ClusterView with(RealServer rs) {
    List<RealServer> list = new ArrayList<>();
    for (RealServer r : realServers) {
      if (!sameObject(r, rs)) {
        list.add(r);
      }
    }
    list.add(rs);
    return new ClusterView(virtualServices, list, nodes.values());
  }

  public List<VirtualService> virtualServices() {
    return virtualServices;
  }

  public List<RealServer> realServers() {
    return realServers;
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(name == null ? null : nodes.get(name));
  }

  public Collection<Node> nodes() {
    return nodes.values();
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

  /** The nodes matching the service's directors selector, sorted by name. */
  public List<String> directorNodes(VirtualService vs) {
    if (vs.getSpec() == null) {
      return List.of();
    }
    return nodes.values().stream()
        .filter(
            n -> LabelSelectors.matches(vs.getSpec().getDirectors(), n.getMetadata().getLabels()))
        .map(n -> n.getMetadata().getName())
        .toList();
  }

  /** The RealServers in the service's namespace that its selector selects, sorted by name. */
  public List<RealServer> selectedRealServers(VirtualService vs) {
    if (vs.getSpec() == null) {
      return List.of();
    }
    String ns = vs.getMetadata().getNamespace();
    return realServers.stream()
        .filter(rs -> Objects.equals(ns, rs.getMetadata().getNamespace()))
        .filter(
            rs ->
                LabelSelectors.matches(
                    vs.getSpec().getRealServerSelector(), rs.getMetadata().getLabels()))
        .sorted(Comparator.comparing(rs -> rs.getMetadata().getName()))
        .toList();
  }

  /** The VirtualServices in the server's namespace whose selector selects it, oldest first. */
  public List<VirtualService> selecting(RealServer rs) {
    String ns = rs.getMetadata().getNamespace();
    return virtualServices.stream()
        .filter(vs -> Objects.equals(ns, vs.getMetadata().getNamespace()))
        .filter(vs -> vs.getSpec() != null)
        .filter(
            vs ->
                LabelSelectors.matches(
                    vs.getSpec().getRealServerSelector(), rs.getMetadata().getLabels()))
        .sorted(OLDEST_FIRST)
        .toList();
  }

  /**
   * The VirtualService that owns this one's vip/port/protocol when it is not this one: the oldest
   * (creationTimestamp, then namespace/name) of all services with the same key.
   */
  public Optional<VirtualService> conflictWinner(VirtualService vs) {
    ServiceKey key = ServiceKey.of(vs);
    if (key == null) {
      return Optional.empty();
    }
    List<VirtualService> same = byKey.getOrDefault(key, List.of());
    if (same.isEmpty() || sameObject(same.get(0), vs)) {
      return Optional.empty();
    }
    return Optional.of(same.get(0));
  }

  /** Whether this service loses a vip/port/protocol conflict. */
  public boolean isConflictLoser(VirtualService vs) {
    return conflictWinner(vs).isPresent();
  }

  /** The VirtualServices (anywhere in the cluster) whose VIP is this address. */
  public List<VirtualService> withVip(String address) {
    String a = IpAddresses.canonical(address);
    return virtualServices.stream()
        .filter(vs -> vs.getSpec() != null && a != null)
        .filter(vs -> a.equals(IpAddresses.canonical(vs.getSpec().getVip())))
        .sorted(OLDEST_FIRST)
        .toList();
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

  public static String id(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private static boolean sameObject(HasMetadata a, HasMetadata b) {
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
}
