package dev.lvs.agent.state;

import dev.lvs.agent.election.DirectorRoles;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.pools.VipGate;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything this node should have in its kernel, computed from the API objects alone: the IPVS
 * services and destinations (directors), the VIP addresses (directors and real servers) and the
 * sysctls; plus, for reporting, how the node takes part in each VirtualService, the VIPs each of
 * its RealServers holds, and the problems found in the input.
 *
 * @param involvements by VirtualService, only those this node plays a role in (or would, but for a
 *     conflict or bad input)
 * @param realServerVips by RealServer whose nodeName is this node: the VIPs it holds on lo
 */
public record DesiredState(
    Map<ServiceKey, DesiredService> services,
    Map<AddressKey, DesiredAddress> addresses,
    Map<String, DesiredSysctl> sysctls,
    Map<ObjectRef, Involvement> involvements,
    Map<ObjectRef, List<String>> realServerVips,
    List<Problem> problems) {

  public static final DesiredState EMPTY =
      new DesiredState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of());

  public DesiredState {
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    addresses = Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    involvements = Collections.unmodifiableMap(new LinkedHashMap<>(involvements));
    realServerVips = Collections.unmodifiableMap(new LinkedHashMap<>(realServerVips));
    problems = List.copyOf(problems);
  }

  /**
   * The desired state of node {@code nodeName}, without knowledge of its interfaces: directors find
   * their VIP interface only through {@code --director-interface}.
   */
  public static DesiredState compute(
      List<VirtualService> virtualServices,
      List<RealServer> realServers,
      List<Node> nodes,
      String nodeName,
      AgentSettings settings) {
    return compute(virtualServices, realServers, nodes, nodeName, settings, HostInterfaces.NONE);
  }

  /**
   * The desired state of node {@code nodeName}. Pure: the same input gives the same output, and bad
   * input is skipped and listed in {@link #problems()}, never thrown.
   *
   * @param interfaces which local interface holds which address (to find the main interface)
   */
  public static DesiredState compute(
      List<VirtualService> virtualServices,
      List<RealServer> realServers,
      List<Node> nodes,
      String nodeName,
      AgentSettings settings,
      HostInterfaces interfaces) {
    return compute(
        virtualServices, realServers, nodes, nodeName, settings, interfaces, VipGate.NONE);
  }

  /**
   * The desired state of node {@code nodeName}, with every VIP checked by {@code gate} first: a
   * refused VIP gets nothing on this node, only a {@link Problem.Kind#REFUSED} problem.
   */
  public static DesiredState compute(
      List<VirtualService> virtualServices,
      List<RealServer> realServers,
      List<Node> nodes,
      String nodeName,
      AgentSettings settings,
      HostInterfaces interfaces,
      VipGate gate) {
    return compute(
        virtualServices,
        realServers,
        nodes,
        nodeName,
        settings,
        interfaces,
        gate,
        DirectorRoles.ALL);
  }

  /**
   * As above, with this director's elected roles: a director VIP goes on the interface only where
   * {@code roles} says this node is the VIP's active director.
   */
  public static DesiredState compute(
      List<VirtualService> virtualServices,
      List<RealServer> realServers,
      List<Node> nodes,
      String nodeName,
      AgentSettings settings,
      HostInterfaces interfaces,
      VipGate gate,
      DirectorRoles roles) {
    return new DesiredStateCalculator(nodes, nodeName, settings, interfaces, gate, roles)
        .compute(virtualServices, realServers);
  }
}
