package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The LVS "Local Node" feature: the director is also a destination of the service and serves its
 * share of requests itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Rules.WEIGHT_NEEDS_ENABLED, message = Rules.WEIGHT_NEEDS_ENABLED_MSG)
public class LocalNode {

  /** The weight used when {@code enabled} is true and no weight is given. */
  public static final int DEFAULT_WEIGHT = 1;

  @Default("false")
  @JsonPropertyDescription("Whether each director also serves this service itself.")
  private Boolean enabled;

  @Min(0)
  @Max(65535)
  @JsonPropertyDescription(
      "The directors' own weight, 0-65535, default 1. Only valid with enabled: true.")
  private Integer weight;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalNode l
        && Objects.equals(enabled, l.enabled)
        && Objects.equals(weight, l.weight);
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, weight);
  }
}
