package dev.lvs.operator.status;

import static dev.lvs.operator.status.Conditions.CONFLICT;
import static dev.lvs.operator.status.Conditions.DEGRADED;
import static dev.lvs.operator.status.Conditions.PROGRAMMED;
import static dev.lvs.operator.status.Conditions.READY;

import dev.lvs.operator.api.pools.PoolAdmission;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.SkippedRealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import dev.lvs.operator.election.ActiveDirectors;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.IpAddresses;
import dev.lvs.operator.model.Nodes;
import dev.lvs.operator.model.ServiceKey;
import dev.lvs.operator.pools.VipCheck;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds the operator-owned part of VirtualService and RealServer status from a {@link
 * ClusterView}: the agents' reports ({@code status.nodes}, {@code status.vips}) in, conditions and
 * counts out. Pure: no client, no clock (the caller passes {@code now}). The agent-owned fields are
 * never part of the result, so writing it can never take them over.
 */
public final class StatusAggregator {

  /** The state an agent reports once it has applied a generation. */
  public static final String STATE_APPLIED = "Applied";

  private final DeletionGate deletionGate;

  public StatusAggregator(DeletionGate deletionGate) {
    this.deletionGate = deletionGate;
  }

  /** A problem found by validation: a reason and a message a human can act on. */
  record Problem(String reason, String message) {}

  // ---------------------------------------------------------------- VirtualService

  public VirtualServiceStatus virtualService(VirtualService vs, ClusterView view, Instant now) {
    return virtualService(vs, view, now, VipCheck.NONE);
  }

  /** As {@link #virtualService(VirtualService, ClusterView, Instant)}, judging the VIP too. */
  public VirtualServiceStatus virtualService(
      VirtualService vs, ClusterView view, Instant now, VipCheck vipCheck) {
    Long generation = vs.getMetadata().getGeneration();
    List<Condition> previous =
        vs.getStatus() == null ? List.of() : nonNull(vs.getStatus().getConditions());
    Map<String, NodeReport> reports =
        vs.getStatus() == null || vs.getStatus().getNodes() == null
            ? Map.of()
            : vs.getStatus().getNodes();
    String ns = vs.getMetadata().getNamespace();

    List<String> directors = view.directorNodes(vs);
    // RealServers being deleted are out at once: the agents drop them from their desired state
    // (their finalizer waits for that), so no director reports them any more.
    List<RealServer> selected =
        view.selectedRealServers(vs).stream().filter(rs -> !rs.isMarkedForDeletion()).toList();
    // Bad RealServers are skipped: the service serves from the others and does not wait for them.
    SortedMap<String, SkippedRealServer> skipped =
        SkippedRealServers.of(vs, selected, directors, reports, view);
    List<RealServer> serving =
        selected.stream().filter(rs -> !skipped.containsKey(rs.getMetadata().getName())).toList();
    Map<String, Long> expectedGenerations = new TreeMap<>();
    serving.forEach(rs -> expectedGenerations.put(rs.getMetadata().getName(), generationOf(rs)));
    SortedSet<String> rsNodes = new TreeSet<>();
    selected.stream()
        .map(rs -> rs.getSpec() == null ? null : rs.getSpec().getNodeName())
        .filter(Objects::nonNull)
        .forEach(rsNodes::add);
    Optional<VirtualService> winner = view.conflictWinner(vs);
    ServiceKey key = ServiceKey.of(vs);

    // Real-server nodes that are lost (Ready condition there and not True): the directors quiesce
    // their RealServers (weight 0), and their agents cannot report, so they are not waited for.
    SortedMap<String, String> lostNodes = new TreeMap<>();
    for (String n : rsNodes) {
      view.node(n).flatMap(Nodes::notReady).ifPresent(ready -> lostNodes.put(n, ready));
    }
    List<RealServer> quiesced =
        serving.stream()
            .filter(rs -> nodeNameOf(rs) != null && lostNodes.containsKey(nodeNameOf(rs)))
            .toList();
    // The real-server nodes to wait for: those of the RealServers that serve.
    SortedSet<String> servingNodes = new TreeSet<>();
    serving.stream()
        .map(StatusAggregator::nodeNameOf)
        .filter(n -> n != null && !lostNodes.containsKey(n))
        .forEach(servingNodes::add);

    // What the agents have applied.
    SortedSet<String> pending = new TreeSet<>();
    SortedSet<String> failed = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (String d : directors) {
      NodeReport r = reports.get(d);
      if (AgentReports.failed(r, ns)) {
        failed.add(d);
        failures.add("node " + d + ": " + AgentReports.describeFailure(r));
      } else if (!AgentReports.applied(r, generation, ns)
          || !expectedGenerations.equals(
              SkippedRealServers.withoutSkipped(r.getRealServerGenerations(), skipped.keySet()))) {
        pending.add(d);
      }
    }
    for (String n : servingNodes) {
      NodeReport r = reports.get(n);
      if (AgentReports.failed(r, ns)) {
        if (failed.add(n)) {
          failures.add("node " + n + ": " + AgentReports.describeFailure(r));
        }
      } else if (!AgentReports.applied(r, generation, ns)) {
        pending.add(n);
      }
    }
    int ready = 0;
    for (RealServer rs : serving) {
      boolean onLostNode = nodeNameOf(rs) != null && lostNodes.containsKey(nodeNameOf(rs));
      if (!onLostNode && realServerProgrammed(rs, directors, reports, generation, ns)) {
        ready++;
      }
    }

    // Validation across objects.
    List<Problem> problems = new ArrayList<>();
    // With --vip-pools=Warn a VIP in no pool changes nothing here (the agents program it; the
    // admission policy warned, the agents log it): clusters upgraded without pools stay as they
    // were. A forbidden VIP is refused by the agents in every mode, so it is always reported.
    Optional<PoolAdmission.Decision.Refused> vipRefused =
        vipCheck.refusal(vs).filter(vipCheck::blocksReady);
    vipRefused.ifPresent(r -> problems.add(new Problem(r.reason(), r.message())));
    if (directors.isEmpty()) {
      problems.add(
          new Problem(
              Reasons.NO_DIRECTOR_NODES,
              "spec.directors matches no node: label the director nodes (kubectl label node NODE"
                  + " KEY=VALUE) or fix the selector "
                  + describe(vs.getSpec() == null ? null : vs.getSpec().getDirectors())));
    }
    if (selected.isEmpty()) {
      problems.add(
          new Problem(
              Reasons.NO_REAL_SERVERS,
              "spec.realServerSelector selects no RealServer in namespace "
                  + ns
                  + ": create RealServers labelled "
                  + describe(vs.getSpec() == null ? null : vs.getSpec().getRealServerSelector())
                  + " or fix the selector"));
    }
    boolean localNode =
        vs.getSpec() != null
            && vs.getSpec().getLocalNode() != null
            && Boolean.TRUE.equals(vs.getSpec().getLocalNode().getEnabled());
    if (!skipped.isEmpty()) {
      problems.add(SkippedRealServers.problem(skipped.size(), selected.size()));
    }
    for (RealServer rs : quiesced) {
      problems.add(
          new Problem(
              Reasons.REAL_SERVER_NODE_NOT_READY,
              "RealServer "
                  + rs.getMetadata().getName()
                  + ": node "
                  + nodeNameOf(rs)
                  + " is not Ready (Ready="
                  + lostNodes.get(nodeNameOf(rs))
                  + "); the directors give it weight 0, so it gets no new connections until the"
                  + " node is Ready again"));
    }
    if (!failures.isEmpty()) {
      problems.add(new Problem(Reasons.AGENT_FAILED, String.join("; ", failures)));
    }
    DeletionGate.State deletion = null;
    if (vs.isMarkedForDeletion()) {
      deletion = deletionGate.virtualService(vs, view, now);
      if (!deletion.goneAgents().isEmpty()) {
        problems.add(new Problem(Reasons.AGENT_GONE, deletion.goneMessage()));
      }
    }

    // Conditions.
    List<Condition> conditions = new ArrayList<>();
    if (winner.isPresent()) {
      conditions.add(
          Conditions.of(
              CONFLICT,
              true,
              Reasons.DUPLICATE_VIRTUAL_SERVICE,
              "VirtualService "
                  + ClusterView.id(winner.get())
                  + " (created "
                  + winner.get().getMetadata().getCreationTimestamp()
                  + ") already uses "
                  + key
                  + " and wins as the older one; this service is not programmed. Change vip,"
                  + " port or protocol, or delete one of them",
              generation,
              previous,
              now));
    } else {
      conditions.add(
          Conditions.of(
              CONFLICT,
              false,
              Reasons.NO_CONFLICT,
              key == null ? "spec is incomplete" : "no other VirtualService uses " + key,
              generation,
              previous,
              now));
    }
    conditions.add(degraded(problems, generation, previous, now));

    String programmedReason;
    String programmedMessage;
    if (winner.isPresent()) {
      programmedReason = Reasons.CONFLICT_LOST;
      programmedMessage = "not programmed: " + key + " belongs to " + ClusterView.id(winner.get());
    } else if (directors.isEmpty()) {
      programmedReason = Reasons.NO_DIRECTOR_NODES;
      programmedMessage = "no director node is selected";
    } else if (!failed.isEmpty()) {
      programmedReason = Reasons.AGENT_FAILED;
      programmedMessage = String.join("; ", failures);
    } else if (!pending.isEmpty()) {
      // Counts, not names: a list of the pending nodes would change the message (and so the
      // whole status) with every agent's report; status.nodes says which node applied what.
      SortedSet<String> expected = new TreeSet<>(directors);
      expected.addAll(servingNodes);
      long pendingDirectors = pending.stream().filter(directors::contains).count();
      programmedReason = Reasons.AGENTS_PENDING;
      programmedMessage =
          "waiting for "
              + pending.size()
              + " of "
              + expected.size()
              + " agents ("
              + plural(pendingDirectors, "director")
              + ", "
              + plural(pending.size() - pendingDirectors, "real-server node")
              + ") to apply generation "
              + generation
              + "; status.nodes shows what each has applied";
    } else {
      programmedReason = Reasons.ALL_AGENTS_APPLIED;
      programmedMessage =
          directors.size()
              + " director(s) and "
              + servingNodes.size()
              + " real-server node(s) applied generation "
              + generation
              + (skipped.isEmpty() ? "" : "; " + skipped.size() + " RealServer(s) skipped")
              + (lostNodes.isEmpty()
                  ? ""
                  : "; not waiting for real-server node(s) "
                      + String.join(", ", lostNodes.keySet())
                      + ", not Ready");
    }
    boolean programmed = Reasons.ALL_AGENTS_APPLIED.equals(programmedReason);
    conditions.add(
        Conditions.of(
            PROGRAMMED,
            programmed,
            programmedReason,
            programmedMessage,
            generation,
            previous,
            now));

    if (deletion != null) {
      conditions.add(
          Conditions.of(
              READY,
              false,
              Reasons.TERMINATING,
              deletion.waitingOn().isEmpty()
                  ? "being deleted"
                  : deletion.waitingMessage("VirtualService"),
              generation,
              previous,
              now));
    } else if (vipRefused.isPresent()) {
      conditions.add(
          Conditions.of(
              READY,
              false,
              vipRefused.get().reason(),
              vipRefused.get().message()
                  + (PoolAdmission.FORBIDDEN.equals(vipRefused.get().reason())
                      ? "; the agents refuse it"
                      : "; the agents refuse it with --vip-pools=Enforce"),
              generation,
              previous,
              now));
    } else if (programmed && selected.isEmpty()) {
      conditions.add(
          Conditions.of(
              READY,
              false,
              Reasons.NO_REAL_SERVERS,
              "no RealServer is selected",
              generation,
              previous,
              now));
    } else if (programmed && !localNode && serving.isEmpty()) {
      conditions.add(
          Conditions.of(
              READY,
              false,
              Reasons.REAL_SERVERS_SKIPPED,
              "no selected RealServer can serve: all "
                  + skipped.size()
                  + " are skipped (see status.skippedRealServers)",
              generation,
              previous,
              now));
    } else if (programmed && !localNode && quiesced.size() == serving.size()) {
      conditions.add(
          Conditions.of(
              READY,
              false,
              Reasons.REAL_SERVER_NODE_NOT_READY,
              "no real server can take new connections: the node of every selected RealServer is"
                  + " not Ready ("
                  + quiesced.stream()
                      .map(
                          rs ->
                              rs.getMetadata().getName()
                                  + " on "
                                  + nodeNameOf(rs)
                                  + ": Ready="
                                  + lostNodes.get(nodeNameOf(rs)))
                      .collect(Collectors.joining(", "))
                  + ")",
              generation,
              previous,
              now));
    } else {
      conditions.add(
          Conditions.of(
              READY, programmed, programmedReason, programmedMessage, generation, previous, now));
    }

    VirtualServiceStatus status = new VirtualServiceStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions);
    status.setDirectorNodes(new ArrayList<>(directors));
    status.setActiveDirector(ActiveDirectors.active(reports, directors).orElse(null));
    List<String> standbys = new ArrayList<>(ActiveDirectors.standbys(reports, directors));
    standbys.remove(status.getActiveDirector());
    status.setStandbyDirectors(standbys);
    status.setRealServerNodes(new ArrayList<>(rsNodes));
    status.setTotalRealServers(selected.size());
    status.setReadyRealServers(ready);
    status.setRealServers(ready + "/" + selected.size());
    status.setSkippedRealServers(new ArrayList<>(skipped.values()));
    return status;
  }

  /** Every director programmed this server's current generation, and its node applied. */
  private static boolean realServerProgrammed(
      RealServer rs,
      List<String> directors,
      Map<String, NodeReport> reports,
      Long generation,
      String ns) {
    if (directors.isEmpty()) {
      return false;
    }
    String name = rs.getMetadata().getName();
    Long rsGeneration = generationOf(rs);
    for (String d : directors) {
      NodeReport r = reports.get(d);
      if (!AgentReports.applied(r, generation, ns)
          || !Objects.equals(rsGeneration, nonNull(r.getRealServerGenerations()).get(name))) {
        return false;
      }
    }
    String node = rs.getSpec() == null ? null : rs.getSpec().getNodeName();
    return node == null || AgentReports.applied(reports.get(node), generation, ns);
  }

  // ---------------------------------------------------------------- RealServer

  public RealServerStatus realServer(RealServer rs, ClusterView view, Instant now) {
    Long generation = rs.getMetadata().getGeneration();
    List<Condition> previous =
        rs.getStatus() == null ? List.of() : nonNull(rs.getStatus().getConditions());
    String name = rs.getMetadata().getName();
    String node = rs.getSpec() == null ? null : rs.getSpec().getNodeName();
    // Services being deleted or losing a conflict are not programmed for it by any agent.
    List<VirtualService> selecting =
        view.selecting(rs).stream()
            .filter(vs -> !vs.isMarkedForDeletion() && !view.isConflictLoser(vs))
            .toList();
    boolean ipv6 =
        !selecting.isEmpty()
            && selecting.get(0).getSpec() != null
            && IpAddresses.isIpv6(selecting.get(0).getSpec().getVip());
    Optional<String> address = view.resolvedAddress(rs, ipv6);
    boolean nodeMissing = node != null && view.node(node).isEmpty();
    Optional<String> nodeNotReady = view.node(node).flatMap(Nodes::notReady);

    List<Problem> problems = new ArrayList<>();
    if (nodeMissing) {
      problems.add(
          new Problem(
              Reasons.NODE_NOT_FOUND,
              "spec.nodeName "
                  + node
                  + " is not a node of the cluster: fix nodeName, or remove it for a real server"
                  + " outside the cluster"));
    } else if (address.isEmpty()) {
      problems.add(
          new Problem(
              Reasons.ADDRESS_UNRESOLVED,
              "no spec.address and node " + node + " has no InternalIP: set spec.address"));
    }
    address
        .flatMap(a -> view.withVip(a).stream().findFirst())
        .ifPresent(
            owner ->
                problems.add(
                    new Problem(
                        Reasons.ADDRESS_IS_VIP,
                        "address "
                            + address.get()
                            + " is the VIP of VirtualService "
                            + ClusterView.id(owner)
                            + ": a real server needs its own address (RIP)")));
    if (node != null) {
      for (VirtualService vs : selecting) {
        boolean localNode =
            vs.getSpec().getLocalNode() != null
                && Boolean.TRUE.equals(vs.getSpec().getLocalNode().getEnabled());
        if (!localNode && view.directorNodes(vs).contains(node)) {
          problems.add(
              new Problem(
                  Reasons.ON_DIRECTOR_NODE,
                  "node "
                      + node
                      + " is a director of VirtualService "
                      + ClusterView.id(vs)
                      + "; Direct Routing cannot forward to the director itself: move this"
                      + " RealServer to another node, or set spec.localNode.enabled on the"
                      + " VirtualService"));
        }
      }
    }
    DeletionGate.State deletion = null;
    if (rs.isMarkedForDeletion()) {
      deletion = deletionGate.realServer(rs, view, now);
      if (!deletion.goneAgents().isEmpty()) {
        problems.add(new Problem(Reasons.AGENT_GONE, deletion.goneMessage()));
      }
    }

    // What the agents report for this server.
    SortedSet<String> pending = new TreeSet<>();
    int pendingDirectorReports = 0;
    boolean pendingVips = false;
    Long rsGeneration = generationOf(rs);
    IpSet vipsHeld = new IpSet(rs.getStatus() == null ? null : rs.getStatus().getVips());
    for (VirtualService vs : selecting) {
      Map<String, NodeReport> reports =
          vs.getStatus() == null || vs.getStatus().getNodes() == null
              ? Map.of()
              : vs.getStatus().getNodes();
      for (String d : view.directorNodes(vs)) {
        NodeReport r = reports.get(d);
        boolean ok =
            AgentReports.skipsOnly(r, rs.getMetadata().getNamespace()).isPresent()
                && Objects.equals(rsGeneration, nonNull(r.getRealServerGenerations()).get(name));
        if (!ok) {
          pending.add("director " + d + " of " + vs.getMetadata().getName());
          pendingDirectorReports++;
        }
      }
      if (node != null && !vipsHeld.contains(vs.getSpec().getVip())) {
        pending.add("node " + node + " to hold VIP " + vs.getSpec().getVip());
        pendingVips = true;
      }
    }

    String reason;
    String message;
    boolean ready = false;
    if (deletion != null) {
      reason = Reasons.TERMINATING;
      message =
          deletion.waitingOn().isEmpty() ? "being deleted" : deletion.waitingMessage("RealServer");
    } else if (nodeMissing) {
      reason = Reasons.NODE_NOT_FOUND;
      message = problems.get(0).message();
    } else if (address.isEmpty()) {
      reason = Reasons.ADDRESS_UNRESOLVED;
      message = problems.get(0).message();
    } else if (selecting.isEmpty()) {
      reason = Reasons.NOT_SELECTED;
      message =
          "no VirtualService in namespace "
              + rs.getMetadata().getNamespace()
              + " selects this RealServer (or only ones that lost a conflict)";
    } else if (nodeNotReady.isPresent()) {
      reason = Reasons.NODE_NOT_READY;
      message =
          "node "
              + node
              + " is not Ready (Ready="
              + nodeNotReady.get()
              + "): the directors of "
              + selecting.stream()
                  .map(vs -> vs.getMetadata().getName())
                  .collect(Collectors.joining(", "))
              + " give it weight 0, so it gets no new connections until the node is Ready again";
    } else if (!pending.isEmpty()) {
      // Counts, not names (see the VirtualService's Programmed message).
      List<String> parts = new ArrayList<>();
      if (pendingDirectorReports > 0) {
        parts.add(plural(pendingDirectorReports, "director report"));
      }
      if (pendingVips) {
        parts.add("this node's VIPs");
      }
      reason = Reasons.AGENTS_PENDING;
      message =
          "waiting for "
              + String.join(" and ", parts)
              + " ("
              + plural(selecting.size(), "VirtualService")
              + "): the VirtualServices' status.nodes and this status.vips show what is applied";
    } else {
      ready = true;
      reason = Reasons.ALL_AGENTS_APPLIED;
      message =
          "programmed for "
              + selecting.stream()
                  .map(vs -> vs.getMetadata().getName())
                  .collect(Collectors.joining(", "));
    }

    RealServerStatus status = new RealServerStatus();
    status.setObservedGeneration(generation);
    status.setAddress(address.orElse(null));
    status.setConditions(
        List.of(
            Conditions.of(READY, ready, reason, message, generation, previous, now),
            degraded(problems, generation, previous, now)));
    return status;
  }

  // ---------------------------------------------------------------- helpers

  /** The operator-owned part of a status, for comparison with what the aggregator builds. */
  public static VirtualServiceStatus operatorPart(VirtualServiceStatus s) {
    VirtualServiceStatus p = new VirtualServiceStatus();
    if (s != null) {
      p.setObservedGeneration(s.getObservedGeneration());
      p.setConditions(nonNull(s.getConditions()));
      p.setDirectorNodes(nonNull(s.getDirectorNodes()));
      p.setActiveDirector(s.getActiveDirector());
      p.setStandbyDirectors(nonNull(s.getStandbyDirectors()));
      p.setRealServerNodes(nonNull(s.getRealServerNodes()));
      p.setRealServers(s.getRealServers());
      p.setReadyRealServers(s.getReadyRealServers());
      p.setTotalRealServers(s.getTotalRealServers());
      p.setSkippedRealServers(nonNull(s.getSkippedRealServers()));
    }
    return p;
  }

  /** The operator-owned part of a RealServer status. */
  public static RealServerStatus operatorPart(RealServerStatus s) {
    RealServerStatus p = new RealServerStatus();
    if (s != null) {
      p.setObservedGeneration(s.getObservedGeneration());
      p.setConditions(nonNull(s.getConditions()));
      p.setAddress(s.getAddress());
    }
    return p;
  }

  private static Condition degraded(
      List<Problem> problems, Long generation, List<Condition> previous, Instant now) {
    if (problems.isEmpty()) {
      return Conditions.of(
          DEGRADED, false, Reasons.AS_EXPECTED, "no problems found", generation, previous, now);
    }
    return Conditions.of(
        DEGRADED,
        true,
        problems.get(0).reason(),
        problems.stream().map(Problem::message).collect(Collectors.joining("; ")),
        generation,
        previous,
        now);
  }

  private static String nodeNameOf(RealServer rs) {
    return rs.getSpec() == null ? null : rs.getSpec().getNodeName();
  }

  private static Long generationOf(RealServer rs) {
    return rs.getMetadata().getGeneration();
  }

  private static String describe(io.fabric8.kubernetes.api.model.LabelSelector selector) {
    if (selector == null) {
      return "(none)";
    }
    List<String> parts = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> parts.add(k + "=" + v));
    }
    if (selector.getMatchExpressions() != null) {
      selector
          .getMatchExpressions()
          .forEach(
              e ->
                  parts.add(
                      e.getKey()
                          + " "
                          + e.getOperator()
                          + (e.getValues() == null || e.getValues().isEmpty()
                              ? ""
                              : " " + e.getValues())));
    }
    return "{" + String.join(", ", parts) + "}";
  }

  private static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  /** A set of IP literals compared in canonical form. */
  private static final class IpSet {
    private final java.util.Set<String> canonical = new java.util.HashSet<>();

    IpSet(List<String> ips) {
      if (ips != null) {
        ips.forEach(ip -> canonical.add(IpAddresses.canonical(ip)));
      }
    }

    boolean contains(String ip) {
      return canonical.contains(IpAddresses.canonical(ip));
    }
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
