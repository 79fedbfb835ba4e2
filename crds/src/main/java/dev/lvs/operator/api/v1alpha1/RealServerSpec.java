package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"address", "nodeName", "weight", "upperThreshold", "lowerThreshold"})
@ValidationRule(value = Rules.ADDRESS_OR_NODE, message = Rules.ADDRESS_OR_NODE_MSG)
@ValidationRule(
    value = Rules.THRESHOLDS_ORDERED,
    message = Rules.THRESHOLDS_ORDERED_MSG,
    fieldPath = ".lowerThreshold")
public class RealServerSpec {

  /** The weight used when none is given. */
  public static final int DEFAULT_WEIGHT = 1;

  @Size(max = 45)
  @JsonPropertyDescription(
      "The real server's IP address (RIP), on the directors' L2 segment. Optional when nodeName"
          + " is set: then the node's InternalIP of the VIP's family is used.")
  @ValidationRule(value = Rules.IS_IP, message = Rules.IS_IP_MSG)
  @ValidationRule(value = Rules.NOT_UNSPECIFIED, message = Rules.NOT_UNSPECIFIED_MSG)
  @ValidationRule(value = Rules.NOT_LOOPBACK, message = Rules.NOT_LOOPBACK_MSG)
  @ValidationRule(value = Rules.NOT_MULTICAST, message = Rules.NOT_MULTICAST_MSG)
  @ValidationRule(value = Rules.NOT_BROADCAST, message = Rules.NOT_BROADCAST_MSG)
  private String address;

  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @JsonPropertyDescription(
      "The cluster node that is this real server. Its agent holds the VIPs on lo as /32 or /128"
          + " aliases and sets arp_ignore=1 / arp_announce=2. Leave it out for a real server"
          + " outside the cluster, which must be configured by hand (or by a standalone agent).")
  private String nodeName;

  @Default("1")
  @Min(0)
  @Max(65535)
  @JsonPropertyDescription(
      "The IPVS weight, 0-65535. 0 drains: existing connections go on, new ones go elsewhere.")
  private Integer weight;

  @Min(0)
  @Max(2147483647)
  @JsonPropertyDescription(
      "Upper connection threshold: the kernel stops sending new connections above it. 0 or"
          + " unset: no limit.")
  private Integer upperThreshold;

  @Min(0)
  @Max(2147483647)
  @JsonPropertyDescription(
      "Lower connection threshold: an overloaded server gets new connections again below it."
          + " Needs an upperThreshold above it.")
  private Integer lowerThreshold;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Integer getUpperThreshold() {
    return upperThreshold;
  }

  public void setUpperThreshold(Integer upperThreshold) {
    this.upperThreshold = upperThreshold;
  }

  public Integer getLowerThreshold() {
    return lowerThreshold;
  }

  public void setLowerThreshold(Integer lowerThreshold) {
    this.lowerThreshold = lowerThreshold;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RealServerSpec s
        && Objects.equals(address, s.address)
        && Objects.equals(nodeName, s.nodeName)
        && Objects.equals(weight, s.weight)
        && Objects.equals(upperThreshold, s.upperThreshold)
        && Objects.equals(lowerThreshold, s.lowerThreshold);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, nodeName, weight, upperThreshold, lowerThreshold);
  }
}
