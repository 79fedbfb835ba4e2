package dev.lvs.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorsTest {

  static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  static Stream<Arguments> cases() {
    Map<String, String> zoneA = Map.of("zone", "a", "lvs", "");
    return Stream.of(
        Arguments.of(
            "matchLabels hit",
            new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "a")).build(),
            zoneA,
            true),
        Arguments.of(
            "matchLabels miss",
            new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "b")).build(),
            zoneA,
            false),
        Arguments.of("In hit", expr("zone", "In", "a", "b"), zoneA, true),
        Arguments.of("In miss", expr("zone", "In", "c"), zoneA, false),
        Arguments.of("In absent key", expr("rack", "In", "a"), zoneA, false),
        Arguments.of("NotIn hit", expr("zone", "NotIn", "c"), zoneA, true),
        Arguments.of("NotIn miss", expr("zone", "NotIn", "a"), zoneA, false),
        Arguments.of("NotIn absent key", expr("rack", "NotIn", "a"), zoneA, true),
        Arguments.of("Exists with empty value", expr("lvs", "Exists"), zoneA, true),
        Arguments.of("Exists miss", expr("rack", "Exists"), zoneA, false),
        Arguments.of("DoesNotExist hit", expr("rack", "DoesNotExist"), zoneA, true),
        Arguments.of("DoesNotExist miss", expr("zone", "DoesNotExist"), zoneA, false),
        Arguments.of("unknown operator", expr("zone", "Gt", "1"), zoneA, false),
        // Expressions Kubernetes would reject select nothing, even where they would otherwise
        // select everything.
        Arguments.of("DoesNotExist without a key", expr(null, "DoesNotExist"), zoneA, false),
        Arguments.of("NotIn with a blank key", expr(" ", "NotIn", "a"), zoneA, false),
        Arguments.of("NotIn without values", expr("rack", "NotIn"), zoneA, false),
        Arguments.of("In without values", expr("zone", "In"), zoneA, false),
        Arguments.of("DoesNotExist with values", expr("rack", "DoesNotExist", "x"), zoneA, false),
        Arguments.of("Exists with values", expr("zone", "Exists", "a"), zoneA, false),
        Arguments.of("no operator", expr("rack", null), zoneA, false),
        Arguments.of("null selector", null, zoneA, false),
        Arguments.of(
            "labels AND expressions",
            new LabelSelectorBuilder(expr("zone", "In", "a"))
                .withMatchLabels(Map.of("lvs", "x"))
                .build(),
            zoneA,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(String name, LabelSelector selector, Map<String, String> labels, boolean expected) {
    assertThat(LabelSelectors.matches(selector, labels)).isEqualTo(expected);
  }
}
