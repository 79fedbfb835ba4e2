package dev.lvs.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which nodes get and lose the agent label. */
class AgentNodeLabelsTest {

  /** A node; labelledBy: the field manager that set the agent label, or null for none. */
  private static Node node(String name, String labelledBy, String owned) {
    Map<String, String> labels = new HashMap<>();
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    if (labelledBy != null) {
      labels.put(AgentNodeLabels.LABEL, AgentNodeLabels.VALUE);
      FieldsV1 fields = new FieldsV1();
      fields.setAdditionalProperty(
          "f:metadata", Map.of("f:labels", Map.of("f:" + AgentNodeLabels.LABEL, Map.of())));
      b.editMetadata()
          .withManagedFields(
              new ManagedFieldsEntryBuilder()
                  .withManager(labelledBy)
                  .withOperation("Update")
                  .withFieldsType("FieldsV1")
                  .withFieldsV1(fields)
                  .build())
          .endMetadata();
    }
    b.editMetadata().withLabels(labels).endMetadata();
    if (owned != null) {
      b.editMetadata()
          .withAnnotations(Map.of(AgentNodeLabels.OWNED_ANNOTATION, owned))
          .endMetadata();
    }
    return b.build();
  }

  private static final String OP = AgentNodeLabels.FIELD_MANAGER;

  @Test
  void labelsEveryNeededNodeThatLacksTheLabel() {
    var c =
        AgentNodeLabels.changes(
            List.of(node("a", null, null), node("b", OP, "0"), node("c", null, null)),
            Set.of("a", "b"));
    assertThat(c.label()).containsExactly("a");
    assertThat(c.unlabel()).isEmpty();
  }

  @Test
  void aNodeWithoutARoleLosesTheLabelOnlyOnceItsAgentOwnsNothing() {
    var c =
        AgentNodeLabels.changes(
            List.of(
                node("clean", OP, "0"),
                node("owns", OP, "3"),
                node("silent", OP, null),
                node("garbled", OP, "many")),
            Set.of());
    assertThat(c.unlabel()).containsExactly("clean");
    assertThat(c.label()).isEmpty();
  }

  @Test
  void aNodeBeingDeletedIsNotWritten() {
    Node gone = node("gone", null, null);
    gone.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(AgentNodeLabels.changes(List.of(gone), Set.of("gone")).isEmpty()).isTrue();
  }

  @Test
  void thePatchesTouchTheOneLabel() {
    assertThat(AgentNodeLabels.labelPatch())
        .isEqualTo("{\"metadata\":{\"labels\":{\"lvs.dev/agent\":\"true\"}}}");
    assertThat(AgentNodeLabels.unlabelPatch())
        .isEqualTo("{\"metadata\":{\"labels\":{\"lvs.dev/agent\":null}}}");
  }
}
