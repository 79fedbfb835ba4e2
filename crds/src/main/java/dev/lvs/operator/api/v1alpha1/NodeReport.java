package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What one node's agent applied for one VirtualService. Written only by that node's agent. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NodeReport {

  @JsonPropertyDescription("The roles this node plays for the service: Director, RealServer.")
  private List<String> roles = new ArrayList<>();

  @JsonPropertyDescription("The VirtualService metadata.generation the agent applied.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Directors only: the RealServers programmed as destinations, with the metadata.generation"
          + " of each that was applied.")
  private Map<String, Long> realServerGenerations = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Directors only: the RealServers (names, a subset of realServerGenerations) programmed with"
          + " weight 0 because their node is not Ready: they get no new connections, and keep"
          + " their existing ones, until the node is Ready again.")
  private List<String> quiescedRealServers = new ArrayList<>();

  @JsonPropertyDescription(
      "Directors only, when several directors serve the VIP: Active (this director holds the VIP"
          + " and answers ARP/ND for it) or Standby (it programs the IPVS service only).")
  private String directorRole;

  @JsonPropertyDescription("Applied, Failed or Conflict.")
  private String state;

  @JsonPropertyDescription("A human-readable explanation when state is not Applied.")
  private String message;

  @JsonPropertyDescription("When the agent last wrote this entry (RFC 3339).")
  private String lastUpdateTime;

  public List<String> getRoles() {
    return roles;
  }

  public void setRoles(List<String> roles) {
    this.roles = roles;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Map<String, Long> getRealServerGenerations() {
    return realServerGenerations;
  }

  public void setRealServerGenerations(Map<String, Long> realServerGenerations) {
    this.realServerGenerations = realServerGenerations;
  }

  public List<String> getQuiescedRealServers() {
    return quiescedRealServers;
  }

  public void setQuiescedRealServers(List<String> quiescedRealServers) {
    this.quiescedRealServers = quiescedRealServers;
  }

  public String getDirectorRole() {
    return directorRole;
  }

  public void setDirectorRole(String directorRole) {
    this.directorRole = directorRole;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastUpdateTime() {
    return lastUpdateTime;
  }

  public void setLastUpdateTime(String lastUpdateTime) {
    this.lastUpdateTime = lastUpdateTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeReport r
        && Objects.equals(roles, r.roles)
        && Objects.equals(observedGeneration, r.observedGeneration)
        && Objects.equals(realServerGenerations, r.realServerGenerations)
        && Objects.equals(quiescedRealServers, r.quiescedRealServers)
        && Objects.equals(directorRole, r.directorRole)
        && Objects.equals(state, r.state)
        && Objects.equals(message, r.message)
        && Objects.equals(lastUpdateTime, r.lastUpdateTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        roles,
        observedGeneration,
        realServerGenerations,
        quiescedRealServers,
        directorRole,
        state,
        message,
        lastUpdateTime);
  }
}
