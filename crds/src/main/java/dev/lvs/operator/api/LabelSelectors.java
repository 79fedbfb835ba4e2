package dev.lvs.operator.api;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector semantics (matchLabels AND every matchExpression), evaluated in memory.
 * Shared by the operator and the agents so both read a selector the same way.
 */
public final class LabelSelectors {
  private LabelSelectors() {}

  /**
   * Whether {@code labels} satisfy the selector. A null selector selects nothing; an empty one
   * selects everything (Kubernetes' meaning; the CRD forbids it for directors). An expression that
   * Kubernetes would reject (no key, an unknown operator, In or NotIn without values, Exists or
   * DoesNotExist with values) selects nothing: {@code {operator: DoesNotExist}} without a key must
   * not make every node a director.
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (e.getValue() == null || !e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, have)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    if (r.getKey() == null || r.getKey().isBlank()) {
      return false;
    }
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String op = r.getOperator() == null ? "" : r.getOperator();
    return switch (op) {
      case "In" -> !values.isEmpty() && value != null && values.contains(value);
      case "NotIn" -> !values.isEmpty() && (value == null || !values.contains(value));
      case "Exists" -> values.isEmpty() && labels.containsKey(r.getKey());
      case "DoesNotExist" -> values.isEmpty() && !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
