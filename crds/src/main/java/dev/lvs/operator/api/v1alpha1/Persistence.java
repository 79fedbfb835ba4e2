package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Client persistence (ipvsadm {@code -p TIMEOUT -M NETMASK}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Rules.NETMASK_OR_PREFIX, message = Rules.NETMASK_OR_PREFIX_MSG)
public class Persistence {

  @Required
  @Min(1)
  @Max(2592000)
  @JsonPropertyDescription(
      "How long, in seconds, a client keeps going to the same real server after its last"
          + " connection, 1-2592000 (30 days).")
  private Integer timeoutSeconds;

  @Size(max = 15)
  @JsonPropertyDescription(
      "IPv4 only: the netmask that groups clients for persistence, e.g. 255.255.255.0."
          + " Default 255.255.255.255 (each client on its own).")
  @ValidationRule(value = Rules.IS_NETMASK, message = Rules.IS_NETMASK_MSG)
  private String netmask;

  @Min(0)
  @Max(128)
  @JsonPropertyDescription(
      "The prefix length that groups clients for persistence: 0-32 for IPv4, 1-128 for IPv6."
          + " Default: the full address length.")
  private Integer prefixLength;

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public String getNetmask() {
    return netmask;
  }

  public void setNetmask(String netmask) {
    this.netmask = netmask;
  }

  public Integer getPrefixLength() {
    return prefixLength;
  }

  public void setPrefixLength(Integer prefixLength) {
    this.prefixLength = prefixLength;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Persistence p
        && Objects.equals(timeoutSeconds, p.timeoutSeconds)
        && Objects.equals(netmask, p.netmask)
        && Objects.equals(prefixLength, p.prefixLength);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeoutSeconds, netmask, prefixLength);
  }
}
