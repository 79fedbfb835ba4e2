package dev.lvs.agent.election;

import dev.lvs.agent.election.DirectorRoles.Role;
import dev.lvs.agent.election.DirectorRoles.VipRole;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.NodeReadiness;
import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure decision of this director's role for each VIP, from what every agent sees alike: the
 * VirtualServices, the Nodes, and the directors' Leases. No I/O; the elector supplies liveness.
 *
 * <p>For each VIP (every VirtualService with that VIP moves with it), the eligible directors are
 * the nodes that every such VirtualService's {@code spec.directors} selects, that are Ready, whose
 * Lease is live, and that can hold the VIP's family. {@link Assignment} picks the active one.
 *
 * <p>Handover is release-before-take: a director chosen as active adds the VIP only once no other
 * live director's Lease lists it as held; the one that held it drops it first (it is no longer
 * chosen) and says so in its Lease. A director whose Lease lapses is not live, so its listing no
 * longer counts; by then the kernel has removed its VIP (its address lifetime ran out).
 */
public final class Election {
  private Election() {}

  /**
   * What one decision needs.
   *
   * @param self this director's node name
   * @param leases every director's Lease, by node
   * @param live the nodes whose Lease is live now (this node only if its own renewals are current)
   * @param warm false during the first lease duration after start: the agent then keeps exactly the
   *     VIPs it holds, because peers that are gone still look live until then
   * @param holding the VIPs this director holds now: its own, and on its interface in the kernel
   * @param holdingUnbounded those of them it holds without a lifetime (it had no standby): kept
   *     while its own Lease cannot be renewed, since no peer may take them then
   */
  public record Input(
      String self,
      List<VirtualService> virtualServices,
      List<Node> nodes,
      Map<String, LeaseView> leases,
      Set<String> live,
      boolean warm,
      Set<String> holding,
      Set<String> holdingUnbounded,
      Instant now,
      Duration rebalanceAfter) {}

  public static DirectorRoles decide(Input in) {
    Map<String, Node> nodesByName = new HashMap<>();
    for (Node n : in.nodes()) {
      nodesByName.put(n.getMetadata().getName(), n);
    }
    Node self = nodesByName.get(in.self());
    if (self == null) {
      return new DirectorRoles(true, Map.of());
    }
    // VIP -> the distinct director selectors of its VirtualServices.
    Map<String, List<LabelSelector>> selectorsByVip = new TreeMap<>();
    Map<String, String> familyByVip = new HashMap<>();
    for (VirtualService vs : in.virtualServices()) {
      if (vs.getMetadata().getDeletionTimestamp() != null || vs.getSpec() == null) {
        continue;
      }
      Optional<InetAddress> vip = Ips.parse(vs.getSpec().getVip());
      if (vip.isEmpty() || vs.getSpec().getDirectors() == null) {
        continue;
      }
      String key = vip.get().getHostAddress();
      familyByVip.put(key, Ips.isIpv6(vip.get()) ? LeaseView.IPV6 : LeaseView.IPV4);
      List<LabelSelector> selectors = selectorsByVip.computeIfAbsent(key, k -> new ArrayList<>());
      if (!selectors.contains(vs.getSpec().getDirectors())) {
        selectors.add(vs.getSpec().getDirectors());
      }
    }
    // Nodes matched per distinct selector: services mostly share a few selectors.
    Map<LabelSelector, List<String>> matched = new HashMap<>();
    Map<String, Instant> acquired = new HashMap<>();
    in.leases().forEach((node, lease) -> acquired.put(node, lease.acquired()));
    Map<String, VipRole> roles = new TreeMap<>();
    for (Map.Entry<String, List<LabelSelector>> e : selectorsByVip.entrySet()) {
      String vip = e.getKey();
      List<LabelSelector> selectors = e.getValue();
      if (!selectors.stream()
          .allMatch(s -> LabelSelectors.matches(s, self.getMetadata().getLabels()))) {
        continue; // not a director of this VIP
      }
      Set<String> directors = null;
      for (LabelSelector s : selectors) {
        Set<String> these =
            new LinkedHashSet<>(
                matched.computeIfAbsent(
                    s,
                    sel ->
                        in.nodes().stream()
                            .filter(n -> LabelSelectors.matches(sel, n.getMetadata().getLabels()))
                            .map(n -> n.getMetadata().getName())
                            .sorted()
                            .toList()));
        if (directors == null) {
          directors = these;
        } else {
          directors.retainAll(these);
        }
      }
      String family = familyByVip.get(vip);
      List<String> eligible = new ArrayList<>();
      for (String node : directors) {
        if (ineligibility(node, family, nodesByName, in).isEmpty()) {
          eligible.add(node);
        }
      }
      roles.put(vip, roleOf(vip, family, eligible, acquired, nodesByName, in));
    }
    return new DirectorRoles(true, roles);
  }

  /** Why {@code node} cannot hold a VIP of {@code family} now, or empty when it can. */
  static Optional<String> ineligibility(
      String node, String family, Map<String, Node> nodesByName, Input in) {
    Optional<String> notReady = NodeReadiness.notReady(nodesByName.get(node));
    if (notReady.isPresent()) {
      return Optional.of("node " + node + " is not Ready (Ready=" + notReady.get() + ")");
    }
    LeaseView lease = in.leases().get(node);
    if (lease == null) {
      return Optional.of("director " + node + " has no Lease (its agent is not running)");
    }
    if (!in.live().contains(node)) {
      return Optional.of("director " + node + "'s Lease has lapsed");
    }
    if (lease.ineligible() != null) {
      return Optional.of("director " + node + ": " + lease.ineligible());
    }
    if (!lease.families().contains(family)) {
      return Optional.of(
          "director " + node + " has no interface with an " + family + " InternalIP");
    }
    return Optional.empty();
  }

  private static VipRole roleOf(
      String vip,
      String family,
      List<String> eligible,
      Map<String, Instant> acquired,
      Map<String, Node> nodesByName,
      Input in) {
    List<String> holders = new ArrayList<>();
    for (String n : eligible) {
      LeaseView l = in.leases().get(n);
      if (n.equals(in.self()) ? in.holding().contains(vip) : l != null && l.holds(vip)) {
        holders.add(n);
      }
    }
    String active =
        Assignment.activeFor(vip, eligible, holders, acquired, in.now(), in.rebalanceAfter())
            .orElse(null);
    List<String> standbys = eligible.stream().filter(n -> !n.equals(active)).sorted().toList();
    if (!in.warm()) {
      boolean holds = in.holding().contains(vip);
      return new VipRole(
          vip,
          holds ? Role.ACTIVE : Role.STANDBY,
          active,
          standbys,
          "starting: keeps the VIPs it holds for one lease duration before it takes or gives up"
              + " any");
    }
    if (!in.live().contains(in.self())) {
      boolean keep = in.holdingUnbounded().contains(vip);
      return new VipRole(
          vip,
          keep ? Role.ACTIVE : Role.STANDBY,
          active,
          standbys,
          keep
              ? "its Lease cannot be renewed; keeps this VIP, held without a lifetime (no standby"
                  + " can take it over)"
              : "its own Lease is not renewed: it may hold no VIP");
    }
    if (active == null) {
      return new VipRole(
          vip, Role.STANDBY, null, standbys, "no director of this VIP is eligible now");
    }
    if (!active.equals(in.self())) {
      String why =
          eligible.contains(in.self())
              ? "director " + active + " is chosen to hold it"
              : ineligibility(in.self(), family, nodesByName, in).orElse("not eligible");
      return new VipRole(vip, Role.STANDBY, active, standbys, why);
    }
    Set<String> stillHeldBy = new TreeSet<>();
    in.leases()
        .forEach(
            (node, lease) -> {
              if (node.equals(in.self())) {
                return;
              }
              if (in.live().contains(node) && lease.holds(vip)) {
                stillHeldBy.add(node);
              } else if (lease.unboundedVips().contains(vip)
                  && nodesByName.containsKey(node)
                  && NodeReadiness.notReady(nodesByName.get(node)).isEmpty()) {
                // It held the VIP with no lifetime (it had no standby then) and its agent is
                // gone: only the node's own death (not Ready, or deleted) proves the VIP gone.
                stillHeldBy.add(
                    node + " (held without a lifetime; taken over once " + node + " is not Ready)");
              }
            });
    if (!stillHeldBy.isEmpty()) {
      return new VipRole(
          vip,
          Role.WAITING,
          active,
          standbys,
          "chosen to hold it; waiting for " + String.join(", ", stillHeldBy) + " to release it");
    }
    return new VipRole(vip, Role.ACTIVE, active, standbys, "chosen to hold it");
  }
}
