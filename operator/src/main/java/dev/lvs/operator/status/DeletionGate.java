package dev.lvs.operator.status;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides when a deleted VirtualService or RealServer may lose its finalizer: when no live agent
 * still reports kernel state for it, or when the deletion timeout has passed. An agent whose Node
 * is missing or not Ready cannot report, so it never blocks: it is named in {@link
 * State#goneAgents()} instead.
 */
public final class DeletionGate {
  private final Duration timeout;

  public DeletionGate(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * @param waitingOn live nodes whose agents still report state for the object, sorted
   * @param goneAgents nodes that still report but whose agent is gone, with the reason
   * @param deadline when the wait gives up
   * @param timedOut the deadline has passed while live agents still report
   */
  public record State(
      SortedSet<String> waitingOn,
      SortedMap<String, String> goneAgents,
      Instant deadline,
      boolean timedOut) {

    /** The finalizer may go. */
    public boolean mayRemoveFinalizer() {
      return waitingOn.isEmpty() || timedOut;
    }

    public String waitingMessage(String what) {
      return "waiting for the agents on nodes "
          + String.join(", ", waitingOn)
          + " to remove the kernel state of this "
          + what
          + "; deletion proceeds anyway at "
          + deadline;
    }

    public String goneMessage() {
      List<String> parts = new ArrayList<>();
      goneAgents.forEach((node, why) -> parts.add(why));
      return "the agents on nodes "
          + String.join(", ", goneAgents.keySet())
          + " cannot confirm cleanup ("
          + String.join("; ", parts)
          + "); deletion does not wait for them, so stale kernel state may remain there";
    }
  }

  /** A VirtualService waits for every node that still has a {@code status.nodes} entry. */
  public State virtualService(VirtualService vs, ClusterView view, Instant now) {
    SortedSet<String> reporters = new TreeSet<>();
    if (vs.getStatus() != null && vs.getStatus().getNodes() != null) {
      reporters.addAll(vs.getStatus().getNodes().keySet());
    }
    return state(vs, reporters, view, now);
  }

  /**
   * A RealServer waits for every director that still lists it in realServerGenerations (of any
   * VirtualService in its namespace), and for its own node while that node's agent reports VIPs.
   */
  public State realServer(RealServer rs, ClusterView view, Instant now) {
    SortedSet<String> reporters = new TreeSet<>();
    String name = rs.getMetadata().getName();
    for (VirtualService vs : view.reporting(rs)) {
      for (Map.Entry<String, NodeReport> e : vs.getStatus().getNodes().entrySet()) {
        var gens = e.getValue().getRealServerGenerations();
        if (gens != null && gens.containsKey(name)) {
          reporters.add(e.getKey());
        }
      }
    }
    if (rs.getSpec() != null
        && rs.getSpec().getNodeName() != null
        && rs.getStatus() != null
        && rs.getStatus().getVips() != null
        && !rs.getStatus().getVips().isEmpty()) {
      reporters.add(rs.getSpec().getNodeName());
    }
    return state(rs, reporters, view, now);
  }

  private State state(HasMetadata obj, SortedSet<String> reporters, ClusterView view, Instant now) {
    SortedSet<String> waiting = new TreeSet<>();
    SortedMap<String, String> gone = new TreeMap<>();
    for (String node : reporters) {
      view.agentGoneReason(node)
          .ifPresentOrElse(why -> gone.put(node, why), () -> waiting.add(node));
    }
    Instant deadline = deletionTimestamp(obj, now).plus(timeout);
    boolean timedOut = !waiting.isEmpty() && !now.isBefore(deadline);
    return new State(waiting, gone, deadline, timedOut);
  }

  private static Instant deletionTimestamp(HasMetadata obj, Instant now) {
    String ts = obj.getMetadata().getDeletionTimestamp();
    if (ts == null) {
      return now;
    }
    try {
      return Instant.parse(ts);
    } catch (DateTimeParseException e) {
      return now;
    }
  }
}
