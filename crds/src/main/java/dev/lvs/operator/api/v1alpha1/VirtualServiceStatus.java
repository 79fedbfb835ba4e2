package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The observed state of a VirtualService. Two kinds of writers share it without conflict through
 * server-side apply: the operator owns everything but {@code nodes}; each agent owns only its own
 * key of {@code nodes} (a granular map, so each key has its own field manager).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class VirtualServiceStatus {

  @JsonPropertyDescription("The metadata.generation the operator last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Programmed, Conflict and Degraded conditions, with CamelCase reasons.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The nodes selected as directors of this service.")
  private List<String> directorNodes = new ArrayList<>();

  @JsonPropertyDescription(
      "The director that holds the VIP now and answers ARP/ND for it, as the directors report"
          + " (directorRole Active); empty when none does.")
  private String activeDirector;

  @JsonPropertyDescription(
      "The other directors of the VIP: they program the IPVS service and take over when the"
          + " active director fails.")
  private List<String> standbyDirectors = new ArrayList<>();

  @JsonPropertyDescription("The nodes that are real servers of this service (RealServer.nodeName).")
  private List<String> realServerNodes = new ArrayList<>();

  @JsonPropertyDescription("Real servers ready / selected, e.g. 2/2.")
  private String realServers;

  @JsonPropertyDescription("How many selected real servers are programmed and configured.")
  private Integer readyRealServers;

  @JsonPropertyDescription("How many RealServers the selector selects.")
  private Integer totalRealServers;

  @JsonPropertyDescription(
      "The selected RealServers that cannot serve this service (the directors skip them, or no"
          + " agent can configure them), by name, with the reason; their own Degraded condition"
          + " says more. They count in totalRealServers, never in readyRealServers, and do not"
          + " hold back Ready.")
  private List<SkippedRealServer> skippedRealServers = new ArrayList<>();

  @JsonPropertyDescription(
      "What each node's agent applied, keyed by node name. Written by the agents only.")
  private Map<String, NodeReport> nodes = new LinkedHashMap<>();

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

  public List<String> getDirectorNodes() {
    return directorNodes;
  }

  public void setDirectorNodes(List<String> directorNodes) {
    this.directorNodes = directorNodes;
  }

  public List<String> getRealServerNodes() {
    return realServerNodes;
  }

  public void setRealServerNodes(List<String> realServerNodes) {
    this.realServerNodes = realServerNodes;
  }

  public String getRealServers() {
    return realServers;
  }

  public void setRealServers(String realServers) {
    this.realServers = realServers;
  }

  public Integer getReadyRealServers() {
    return readyRealServers;
  }

  public void setReadyRealServers(Integer readyRealServers) {
    this.readyRealServers = readyRealServers;
  }

  public Integer getTotalRealServers() {
    return totalRealServers;
  }

  public void setTotalRealServers(Integer totalRealServers) {
    this.totalRealServers = totalRealServers;
  }

  public List<SkippedRealServer> getSkippedRealServers() {
    return skippedRealServers;
  }

  public void setSkippedRealServers(List<SkippedRealServer> skippedRealServers) {
    this.skippedRealServers = skippedRealServers;
  }

  public Map<String, NodeReport> getNodes() {
    return nodes;
  }

  public void setNodes(Map<String, NodeReport> nodes) {
    this.nodes = nodes;
  }

  public String getActiveDirector() {
    return activeDirector;
  }

  public void setActiveDirector(String activeDirector) {
    this.activeDirector = activeDirector;
  }

  public List<String> getStandbyDirectors() {
    return standbyDirectors;
  }

  public void setStandbyDirectors(List<String> standbyDirectors) {
    this.standbyDirectors = standbyDirectors;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VirtualServiceStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(directorNodes, s.directorNodes)
        && Objects.equals(activeDirector, s.activeDirector)
        && Objects.equals(standbyDirectors, s.standbyDirectors)
        && Objects.equals(realServerNodes, s.realServerNodes)
        && Objects.equals(realServers, s.realServers)
        && Objects.equals(readyRealServers, s.readyRealServers)
        && Objects.equals(totalRealServers, s.totalRealServers)
        && Objects.equals(skippedRealServers, s.skippedRealServers)
        && Objects.equals(nodes, s.nodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        conditions,
        directorNodes,
        activeDirector,
        standbyDirectors,
        realServerNodes,
        realServers,
        readyRealServers,
        totalRealServers,
        skippedRealServers,
        nodes);
  }
}
