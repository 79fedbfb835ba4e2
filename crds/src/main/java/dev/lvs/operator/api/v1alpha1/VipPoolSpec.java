package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "addresses",
  "namespaceSelector",
  "avoidBuggyIPs",
  "autoAssign",
  "allowSharing"
})
public class VipPoolSpec {

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription(
      "The pool's addresses, IPv4 and IPv6: CIDRs (192.0.2.0/28, canonical: no host bits set),"
          + " ranges (192.0.2.10-192.0.2.20) or single addresses. Loopback, link-local,"
          + " multicast and unspecified addresses and the Nodes' own addresses are never used,"
          + " whatever the pool says.")
  @ValidationRule(value = Rules.POOL_ENTRY, message = Rules.POOL_ENTRY_MSG)
  private List<@Size(max = 91) String> addresses = new ArrayList<>();

  @JsonPropertyDescription(
      "The namespaces whose VirtualServices may use this pool, by their labels (for one"
          + " namespace: kubernetes.io/metadata.name). Absent: every namespace.")
  private LabelSelector namespaceSelector;

  @Default("false")
  @JsonProperty("avoidBuggyIPs")
  @JsonPropertyDescription(
      "Never assign IPv4 addresses ending in .0 or .255, which some old client stacks treat as"
          + " network or broadcast addresses. Explicit VIPs are still admitted.")
  private Boolean avoidBuggyIps;

  @Default("true")
  @JsonPropertyDescription(
      "Assign addresses from this pool to VirtualServices that give no spec.vip. False: the pool"
          + " only admits explicit VIPs.")
  private Boolean autoAssign;

  @Default("false")
  @JsonPropertyDescription(
      "Let VirtualServices of different namespaces share one VIP of this pool (on different"
          + " ports), when they carry the same lvs.dev/allow-shared-vip annotation value."
          + " Services of one namespace may always share a VIP.")
  private Boolean allowSharing;

  public List<String> getAddresses() {
    return addresses;
  }

  public void setAddresses(List<String> addresses) {
    this.addresses = addresses;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  @JsonProperty("avoidBuggyIPs")
  public Boolean getAvoidBuggyIps() {
    return avoidBuggyIps;
  }

  @JsonProperty("avoidBuggyIPs")
  public void setAvoidBuggyIps(Boolean avoidBuggyIps) {
    this.avoidBuggyIps = avoidBuggyIps;
  }

  public Boolean getAutoAssign() {
    return autoAssign;
  }

  public void setAutoAssign(Boolean autoAssign) {
    this.autoAssign = autoAssign;
  }

  public Boolean getAllowSharing() {
    return allowSharing;
  }

  public void setAllowSharing(Boolean allowSharing) {
    this.allowSharing = allowSharing;
  }

  /** avoidBuggyIPs, false when absent. */
  public boolean avoidsBuggyIps() {
    return Boolean.TRUE.equals(avoidBuggyIps);
  }

  /** autoAssign, true when absent. */
  public boolean autoAssigns() {
    return !Boolean.FALSE.equals(autoAssign);
  }

  /** allowSharing, false when absent. */
  public boolean allowsSharing() {
    return Boolean.TRUE.equals(allowSharing);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VipPoolSpec s
        && Objects.equals(addresses, s.addresses)
        && Objects.equals(namespaceSelector, s.namespaceSelector)
        && Objects.equals(avoidBuggyIps, s.avoidBuggyIps)
        && Objects.equals(autoAssign, s.autoAssign)
        && Objects.equals(allowSharing, s.allowSharing);
  }

  @Override
  public int hashCode() {
    return Objects.hash(addresses, namespaceSelector, avoidBuggyIps, autoAssign, allowSharing);
  }
}
