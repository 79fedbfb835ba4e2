package dev.lvs.agent.state;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent reads from a Node's {@code Ready} condition. The node lifecycle controller sets it
 * to {@code Unknown} when the kubelet stops reporting (after its grace period, 40 s by default),
 * and the kubelet sets it to {@code False} when it knows the node cannot run pods.
 */
public final class NodeReadiness {
  private NodeReadiness() {}

  public static final String READY = "Ready";
  public static final String TRUE = "True";

  /** The status of the node's Ready condition, if it has one. */
  public static Optional<String> readyStatus(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> READY.equals(c.getType()))
        .map(NodeCondition::getStatus)
        .filter(Objects::nonNull)
        .findFirst();
  }

  /**
   * The Ready status of a node that is lost ({@code False}, {@code Unknown}, ...): the node has a
   * Ready condition and it is not {@code True}. Empty for a Ready node, and for a node without a
   * Ready condition (hand-written Nodes of standalone manifests have none), which counts as usable.
   */
  public static Optional<String> notReady(Node node) {
    return readyStatus(node).filter(s -> !TRUE.equals(s));
  }
}
