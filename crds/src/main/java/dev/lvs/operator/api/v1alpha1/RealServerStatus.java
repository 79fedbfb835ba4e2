package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The observed state of a RealServer. The operator owns {@code observedGeneration}, {@code
 * conditions} and {@code address}; the agent on {@code spec.nodeName} owns {@code vips} and {@code
 * vipsObservedAt} (server-side apply with separate field managers).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RealServerStatus {

  @JsonPropertyDescription("The metadata.generation the operator last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready and Degraded conditions, with CamelCase reasons.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "The address the directors forward to: spec.address, or the node's InternalIP.")
  private String address;

  @JsonPropertyDescription(
      "The VIPs the node's agent holds on lo for the VirtualServices selecting this server.")
  private List<String> vips = new ArrayList<>();

  @JsonPropertyDescription("When the node's agent last reported vips (RFC 3339).")
  private String vipsObservedAt;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public List<String> getVips() {
    return vips;
  }

  public void setVips(List<String> vips) {
    this.vips = vips;
  }

  public String getVipsObservedAt() {
    return vipsObservedAt;
  }

  public void setVipsObservedAt(String vipsObservedAt) {
    this.vipsObservedAt = vipsObservedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RealServerStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(address, s.address)
        && Objects.equals(vips, s.vips)
        && Objects.equals(vipsObservedAt, s.vipsObservedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, address, vips, vipsObservedAt);
  }
}
