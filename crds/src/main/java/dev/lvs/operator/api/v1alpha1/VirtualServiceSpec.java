package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "vip",
  "port",
  "protocol",
  "scheduler",
  "forwarding",
  "persistence",
  "directors",
  "realServerSelector",
  "localNode"
})
@ValidationRule(
    value = Rules.NETMASK_IPV4_ONLY,
    message = Rules.NETMASK_IPV4_ONLY_MSG,
    fieldPath = ".persistence.netmask")
@ValidationRule(
    value = Rules.PREFIX_FITS_FAMILY,
    message = Rules.PREFIX_FITS_FAMILY_MSG,
    fieldPath = ".persistence.prefixLength")
@ValidationRule(
    value = Rules.PREFIX_IPV6_NOT_ZERO,
    message = Rules.PREFIX_IPV6_NOT_ZERO_MSG,
    fieldPath = ".persistence.prefixLength")
public class VirtualServiceSpec {

  @Required
  @Size(max = 45)
  @JsonPropertyDescription(
      "The virtual IP clients connect to, IPv4 or IPv6. The directors hold it on their"
          + " interface and answer ARP/ND for it; real servers hold it on lo without announcing"
          + " it.")
  @ValidationRule(value = Rules.IS_IP, message = Rules.IS_IP_MSG)
  @ValidationRule(value = Rules.NOT_UNSPECIFIED, message = Rules.NOT_UNSPECIFIED_MSG)
  @ValidationRule(value = Rules.NOT_LOOPBACK, message = Rules.NOT_LOOPBACK_MSG)
  @ValidationRule(value = Rules.NOT_MULTICAST, message = Rules.NOT_MULTICAST_MSG)
  @ValidationRule(value = Rules.NOT_BROADCAST, message = Rules.NOT_BROADCAST_MSG)
  private String vip;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "The service port, 1-65535. In Direct Routing the real servers listen on the same port.")
  private Integer port;

  @Default("TCP")
  @JsonPropertyDescription("The transport protocol: TCP, UDP or SCTP.")
  private Protocol protocol;

  @Default("wlc")
  @JsonPropertyDescription(
      "The kernel's IPVS scheduler: rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh"
          + " or twos.")
  private Scheduler scheduler;

  @Default(LvsApi.FORWARDING_DIRECT_ROUTING)
  @Size(max = 32)
  @JsonPropertyDescription(
      "The LVS forwarding method. DirectRouting (the default) rewrites only the destination MAC,"
          + " so directors and real servers must share an L2 segment and replies bypass the"
          + " director. Tunnel and Masquerade are not implemented yet.")
  @ValidationRule(value = Rules.FORWARDING_KNOWN, message = Rules.FORWARDING_KNOWN_MSG)
  @ValidationRule(value = Rules.FORWARDING_IMPLEMENTED, message = Rules.FORWARDING_IMPLEMENTED_MSG)
  private String forwarding;

  @JsonPropertyDescription(
      "Client affinity (ipvsadm -p): connections from one client network go to the same real"
          + " server while they keep coming within the timeout.")
  private Persistence persistence;

  @Required
  @JsonPropertyDescription(
      "Selects the nodes that act as directors of this service, by node labels. It must not be"
          + " empty.")
  @ValidationRule(value = Rules.NON_EMPTY_SELECTOR, message = Rules.NON_EMPTY_SELECTOR_MSG)
  private LabelSelector directors;

  @Required
  @JsonPropertyDescription(
      "Selects the RealServers, in this namespace, that receive this service's traffic.")
  private LabelSelector realServerSelector;

  @JsonPropertyDescription(
      "The LVS Local Node feature: the director serves a share of the requests itself.")
  private LocalNode localNode;

  public String getVip() {
    return vip;
  }

  public void setVip(String vip) {
    this.vip = vip;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Protocol getProtocol() {
    return protocol;
  }

  public void setProtocol(Protocol protocol) {
    this.protocol = protocol;
  }

  public Scheduler getScheduler() {
    return scheduler;
  }

  public void setScheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  public String getForwarding() {
    return forwarding;
  }

  public void setForwarding(String forwarding) {
    this.forwarding = forwarding;
  }

  public Persistence getPersistence() {
    return persistence;
  }

  public void setPersistence(Persistence persistence) {
    this.persistence = persistence;
  }

  public LabelSelector getDirectors() {
    return directors;
  }

  public void setDirectors(LabelSelector directors) {
    this.directors = directors;
  }

  public LabelSelector getRealServerSelector() {
    return realServerSelector;
  }

  public void setRealServerSelector(LabelSelector realServerSelector) {
    this.realServerSelector = realServerSelector;
  }

  public LocalNode getLocalNode() {
    return localNode;
  }

  public void setLocalNode(LocalNode localNode) {
    this.localNode = localNode;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VirtualServiceSpec s
        && Objects.equals(vip, s.vip)
        && Objects.equals(port, s.port)
        && protocol == s.protocol
        && scheduler == s.scheduler
        && Objects.equals(forwarding, s.forwarding)
        && Objects.equals(persistence, s.persistence)
        && Objects.equals(directors, s.directors)
        && Objects.equals(realServerSelector, s.realServerSelector)
        && Objects.equals(localNode, s.localNode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        vip,
        port,
        protocol,
        scheduler,
        forwarding,
        persistence,
        directors,
        realServerSelector,
        localNode);
  }
}
