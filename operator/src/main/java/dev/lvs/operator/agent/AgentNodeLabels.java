package dev.lvs.operator.agent;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Agent placement by node label. The operator sets {@value #LABEL}{@code =true} on every node that
 * needs an agent and the DaemonSet's pod template selects that label, so the template never changes
 * with the node set and a node joining or leaving rolls no agent.
 *
 * <p>A node keeps the label (and so its agent) while its agent may still own kernel state: the
 * agent publishes how many kernel objects it owns in the Node annotation {@value #OWNED_ANNOTATION}
 * after each sync, and a labelled node without a role loses the label only once that count is
 * {@code 0}. No annotation, or one that is not a number, counts as owning state: an agent that
 * never reported cannot be shown to be clean. So a VirtualService whose finalizer opened without
 * the agents' confirmation (AgentGone, DeletionTimedOut) does not take the agent away from a node
 * that still holds its VIP.
 *
 * <p>The label is the operator's: it writes that one label with its own field manager ({@value
 * #FIELD_MANAGER}) and leaves every other label alone. Pure.
 */
public final class AgentNodeLabels {
  private AgentNodeLabels() {}

  public static final String LABEL = "lvs.dev/agent";
  public static final String VALUE = "true";

  /** Written by the agent on its own Node: how many kernel objects it owns, e.g. {@code "3"}. */
  public static final String OWNED_ANNOTATION = "lvs.dev/agent-owned-objects";

  /** The field manager of the operator's label writes (never the DaemonSet's manager). */
  public static final String FIELD_MANAGER = "lvs-operator-placement";

  /** The DaemonSet's node selector. */
  public static Map<String, String> nodeSelector() {
    return Map.of(LABEL, VALUE);
  }

  /** The label writes that make the labelled nodes those that need an agent. */
  public record Changes(SortedSet<String> label, SortedSet<String> unlabel) {
    public boolean isEmpty() {
      return label.isEmpty() && unlabel.isEmpty();
    }
  }

  /**
   * @param nodes every Node
   * @param needed the nodes with a role or a {@code status.nodes} entry ({@link AgentPlacement})
   */
  public static Changes changes(Collection<Node> nodes, Set<String> needed) {
    SortedSet<String> label = new TreeSet<>();
    SortedSet<String> unlabel = new TreeSet<>();
    for (Node node : nodes) {
      if (node.isMarkedForDeletion()) {
        continue;
      }
      String name = node.getMetadata().getName();
      boolean labelled = labelled(node);
      if (needed.contains(name)) {
        if (!labelled) {
          label.add(name);
        }
      } else if (labelled && !agentMayOwnState(node)) {
        unlabel.add(name);
      }
    }
    return new Changes(label, unlabel);
  }

  public static boolean labelled(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && VALUE.equals(labels.get(LABEL));
  }

  /**
   * Whether the node's agent may own kernel state: its last published count is not {@code 0}, or it
   * published none.
   */
  public static boolean agentMayOwnState(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    String owned = annotations == null ? null : annotations.get(OWNED_ANNOTATION);
    return owned == null || !owned.strip().equals("0");
  }

  /** The merge patch that sets the label. */
  static String labelPatch() {
    return "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"" + VALUE + "\"}}}";
  }

  /** The merge patch that removes the label. */
  static String unlabelPatch() {
    return "{\"metadata\":{\"labels\":{\"" + LABEL + "\":null}}}";
  }
}
