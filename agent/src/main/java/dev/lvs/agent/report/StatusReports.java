package dev.lvs.agent.report;

import dev.lvs.agent.election.DirectorRoles;
import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.state.Involvement;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.Problem;
import dev.lvs.agent.sync.SyncResult;
import dev.lvs.operator.api.Texts;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides, purely, which status entries this node's agent must write after a sync: only those whose
 * content (ignoring timestamps) differs from what the API server already has.
 */
public final class StatusReports {
  public static final String STATE_APPLIED = "Applied";
  public static final String STATE_FAILED = "Failed";
  public static final String STATE_CONFLICT = "Conflict";
  static final int MAX_MESSAGE = 1024;

  private StatusReports() {}

  /** A write of {@code status.nodes.<node>} of one VirtualService; null report: remove it. */
  public record NodeReportWrite(ObjectRef virtualService, NodeReport report) {}

  /** A write of {@code status.vips} of one RealServer; empty: remove them. */
  public record VipsWrite(ObjectRef realServer, List<String> vips) {}

  public record Writes(List<NodeReportWrite> nodeReports, List<VipsWrite> vips) {
    public boolean isEmpty() {
      return nodeReports.isEmpty() && vips.isEmpty();
    }
  }

  public static Writes compute(SyncResult result, String nodeName) {
    return compute(result, nodeName, result.desired().addresses().values());
  }

  /** {@link #compute(SyncResult, String)} with the desired addresses passed in (tests count). */
  static Writes compute(
      SyncResult result, String nodeName, Collection<DesiredAddress> desiredAddresses) {
    Map<ObjectRef, List<Problem>> problems = new LinkedHashMap<>();
    for (Problem p : result.problems()) {
      if (p.virtualService() != null) {
        problems.computeIfAbsent(p.virtualService(), k -> new ArrayList<>()).add(p);
      }
    }
    // Removals that failed (the kernel state of a service or RealServer this node no longer
    // serves). Until the next syncs get them through, this node
    // keeps the entries and VIPs it is leaving, marked Failed: a finalizer waiting for them must
    // not open while the kernel still holds that state.
    List<String> failedRemovals =
        result.applied().failures().stream()
            .filter(f -> f.step().isRemoval())
            .map(f -> f.step().describe() + ": " + f.message())
            .distinct()
            .toList();
    List<NodeReportWrite> reports = new ArrayList<>();
    Map<ObjectRef, Involvement> involvements = result.desired().involvements();
    for (VirtualService vs : result.snapshot().virtualServices()) {
      ObjectRef ref = ObjectRef.of(vs);
      NodeReport current =
          vs.getStatus() == null || vs.getStatus().getNodes() == null
              ? null
              : vs.getStatus().getNodes().get(nodeName);
      Involvement inv = involvements.get(ref);
      if (inv == null) {
        if (current != null && failedRemovals.isEmpty()) {
          reports.add(new NodeReportWrite(ref, null));
        } else if (current != null) {
          NodeReport leaving = leavingWithFailures(current, failedRemovals);
          if (!withoutTime(leaving).equals(withoutTime(current))) {
            reports.add(new NodeReportWrite(ref, leaving));
          }
        }
        continue;
      }
      NodeReport want = report(inv, problems.getOrDefault(ref, List.of()));
      if (inv.isDirector() && result.roles().elected() && vs.getSpec() != null) {
        want.setDirectorRole(
            Ips.parse(vs.getSpec().getVip())
                .flatMap(vip -> result.roles().of(vip.getHostAddress()))
                .map(
                    role ->
                        role.role() == DirectorRoles.Role.ACTIVE
                            ? LvsApi.DIRECTOR_ACTIVE
                            : LvsApi.DIRECTOR_STANDBY)
                .orElse(null));
      }
      if (!withoutTime(want).equals(withoutTime(current))) {
        reports.add(new NodeReportWrite(ref, want));
      }
    }
    List<VipsWrite> vips = new ArrayList<>();
    Set<String> loVips = healthyLoVips(desiredAddresses, problems);
    for (RealServer rs : result.snapshot().realServers()) {
      if (rs.getSpec() == null || !nodeName.equals(rs.getSpec().getNodeName())) {
        continue;
      }
      ObjectRef ref = ObjectRef.of(rs);
      List<String> want = heldVips(result, ref, loVips);
      List<String> current =
          rs.getStatus() == null || rs.getStatus().getVips() == null
              ? List.of()
              : rs.getStatus().getVips();
      if (!failedRemovals.isEmpty()) {
        // A lo VIP whose removal failed may still be held: keep listing what was listed.
        want = Stream.concat(want.stream(), current.stream()).distinct().sorted().toList();
      }
      if (!want.equals(current)) {
        vips.add(new VipsWrite(ref, want));
      }
    }
    return new Writes(reports, vips);
  }

  /**
   * The VIPs a RealServer holds: those wanted on lo by a VirtualService without conflicts or
   * failures. {@code healthyLoVips} is built once per sync ({@link #healthyLoVips}).
   */
  private static List<String> heldVips(SyncResult result, ObjectRef rs, Set<String> healthyLoVips) {
    List<String> wanted = result.desired().realServerVips().getOrDefault(rs, List.of());
    List<String> held = new ArrayList<>();
    for (String vip : wanted) {
      if (healthyLoVips.contains(vip)) {
        held.add(vip);
      }
    }
    return held;
  }

  /**
   * The real-server (lo) VIPs wanted by at least one VirtualService whose problems are at most bad
   * input: one pass over the desired addresses.
   */
  private static Set<String> healthyLoVips(
      Collection<DesiredAddress> desiredAddresses, Map<ObjectRef, List<Problem>> problems) {
    Set<String> healthy = new HashSet<>();
    for (DesiredAddress a : desiredAddresses) {
      if (a.isDirectorVip()) {
        continue;
      }
      for (ObjectRef vs : a.wantedBy()) {
        if (problems.getOrDefault(vs, List.of()).stream()
            .noneMatch(p -> p.kind() != Problem.Kind.INVALID)) {
          healthy.add(a.address().getHostAddress());
          break;
        }
      }
    }
    return healthy;
  }

  /** The entry of a service this node is leaving, while removals of kernel state fail. */
  static NodeReport leavingWithFailures(NodeReport current, List<String> failedRemovals) {
    NodeReport r = withoutTime(current);
    r.setState(STATE_FAILED);
    String message =
        "leaving this service, but removing kernel state failed (retried on every sync): "
            + String.join("; ", failedRemovals);
    r.setMessage(Texts.cut(message, MAX_MESSAGE));
    return r;
  }

  static NodeReport report(Involvement inv, List<Problem> problems) {
    NodeReport r = new NodeReport();
    r.setRoles(new ArrayList<>(inv.roles()));
    r.setObservedGeneration(inv.generation());
    if (inv.isDirector()) {
      r.setRealServerGenerations(new LinkedHashMap<>(inv.realServerGenerations()));
      r.setQuiescedRealServers(new ArrayList<>(inv.quiescedRealServers().keySet()));
    }
    boolean conflict = problems.stream().anyMatch(p -> p.kind() == Problem.Kind.CONFLICT);
    r.setState(conflict ? STATE_CONFLICT : problems.isEmpty() ? STATE_APPLIED : STATE_FAILED);
    if (!problems.isEmpty()) {
      String message =
          problems.stream().map(Problem::message).distinct().collect(Collectors.joining("; "));
      r.setMessage(Texts.cut(message, MAX_MESSAGE));
    }
    return r;
  }

  /** A copy without lastUpdateTime, with empty collections normalised, for comparison. */
  static NodeReport withoutTime(NodeReport r) {
    if (r == null) {
      return null;
    }
    NodeReport c = new NodeReport();
    c.setRoles(r.getRoles() == null ? new ArrayList<>() : new ArrayList<>(r.getRoles()));
    c.setObservedGeneration(r.getObservedGeneration());
    c.setRealServerGenerations(
        r.getRealServerGenerations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(r.getRealServerGenerations()));
    c.setQuiescedRealServers(
        r.getQuiescedRealServers() == null
            ? new ArrayList<>()
            : new ArrayList<>(r.getQuiescedRealServers()));
    c.setDirectorRole(r.getDirectorRole());
    c.setState(r.getState());
    c.setMessage(r.getMessage());
    return c;
  }
}
