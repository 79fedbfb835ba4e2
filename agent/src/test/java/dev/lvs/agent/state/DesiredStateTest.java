package dev.lvs.agent.state;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.localNode;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.persistence;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static dev.lvs.agent.fake.TestObjects.withReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.Protocol;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The desired-state function, on objects shaped like examples/dr-web.yaml. */
class DesiredStateTest {
  static final ObjectRef WEB = new ObjectRef("default", "web");
  static final ServiceKey WEB_KEY = ServiceKey.of(6, Ips.literal("172.16.58.1"), 80);

  static final List<RealServer> SERVERS =
      List.of(rs("rs1", "172.16.58.7", "rs1", 2), rs("rs2", "172.16.58.8", "rs2", 1));
  static final List<Node> NODES =
      List.of(
          director("lb1", "172.16.58.2"),
          node("rs1", Map.of(), "172.16.58.7"),
          node("rs2", Map.of(), "172.16.58.8"),
          node("other", Map.of(), "172.16.58.9"));

  static DesiredState compute(String nodeName, String internalIp) {
    return compute(List.of(web()), SERVERS, nodeName, internalIp);
  }

  static DesiredState compute(
      List<VirtualService> vs, List<RealServer> rs, String nodeName, String internalIp) {
    return DesiredState.compute(
        vs, rs, NODES, nodeName, AgentSettings.COMMAND_LINE, HostInterfaces.of("eth0", internalIp));
  }

  static Stream<Arguments> roles() {
    return Stream.of(
        Arguments.of("lb1", "172.16.58.2", List.of(LvsApi.ROLE_DIRECTOR), 1, "eth0"),
        Arguments.of("rs1", "172.16.58.7", List.of(LvsApi.ROLE_REAL_SERVER), 0, "lo"),
        Arguments.of("rs2", "172.16.58.8", List.of(LvsApi.ROLE_REAL_SERVER), 0, "lo"),
        Arguments.of("other", "172.16.58.9", List.of(), 0, null));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("roles")
  void rolesFollowLabelsAndNodeNames(
      String nodeName, String ip, List<String> roles, int services, String vipInterface) {
    DesiredState d = compute(nodeName, ip);
    assertThat(d.problems()).isEmpty();
    assertThat(d.services()).hasSize(services);
    if (roles.isEmpty()) {
      assertThat(d.involvements()).isEmpty();
      assertThat(d.addresses()).isEmpty();
      assertThat(d.sysctls()).isEmpty();
    } else {
      assertThat(d.involvements().get(WEB).roles()).containsExactlyElementsOf(roles);
      assertThat(d.addresses().keySet())
          .containsExactly(new AddressKey(vipInterface, Ips.literal("172.16.58.1")));
    }
  }

  @Test
  void directorWantsServiceDestinationsVipAndIpvsSysctls() {
    DesiredState d =
        DesiredState.compute(
            List.of(web()),
            SERVERS,
            NODES,
            "lb1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.2"));
    DesiredService s = d.services().get(WEB_KEY);
    assertThat(s.service()).isEqualTo(new IpvsService(WEB_KEY, "wlc", 0, 0, 0xffffffff));
    assertThat(s.destinations().values())
        .extracting(DesiredDestination::destination)
        .containsExactly(
            new IpvsDestination(
                Ips.literal("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 2, 0, 0),
            new IpvsDestination(
                Ips.literal("172.16.58.8"), 80, ForwardMethod.DIRECT_ROUTE, 1, 0, 0));
    DesiredAddress vip = d.addresses().values().iterator().next();
    assertThat(vip.prefixLength()).isEqualTo(32);
    assertThat(vip.label()).isEqualTo("eth0:lvs");
    assertThat(d.sysctls())
        .containsOnlyKeys(SysctlPaths.EXPIRE_NODEST_CONN, SysctlPaths.EXPIRE_QUIESCENT_TEMPLATE);
    assertThat(d.sysctls().get(SysctlPaths.EXPIRE_NODEST_CONN).value()).isEqualTo("1");
    // Persistent clients of a quiesced (weight 0) destination move on: their templates expire.
    assertThat(d.sysctls().get(SysctlPaths.EXPIRE_QUIESCENT_TEMPLATE).value()).isEqualTo("1");
    assertThat(d.sysctls().get(SysctlPaths.EXPIRE_QUIESCENT_TEMPLATE).wantedBy())
        .containsExactly(WEB);
    assertThat(d.involvements().get(WEB).realServerGenerations())
        .isEqualTo(Map.of("rs1", 3L, "rs2", 3L));
  }

  @Test
  void directorSysctlsFollowTheSettingsAndEmptyLeavesThemAlone() {
    AgentSettings s =
        new AgentSettings(Optional.empty(), Optional.empty(), Optional.of(0), Optional.empty());
    DesiredState d =
        DesiredState.compute(
            List.of(web()), SERVERS, NODES, "lb1", s, HostInterfaces.of("eth0", "172.16.58.2"));
    assertThat(d.sysctls()).containsOnlyKeys(SysctlPaths.EXPIRE_QUIESCENT_TEMPLATE);
    assertThat(d.sysctls().get(SysctlPaths.EXPIRE_QUIESCENT_TEMPLATE).value()).isEqualTo("0");
  }

  @Test
  void realServerWantsVipOnLoAndArpSysctlsIncludingMainInterface() {
    DesiredState d = compute("rs1", "172.16.58.7");
    DesiredAddress vip = d.addresses().values().iterator().next();
    assertThat(vip.interfaceName()).isEqualTo("lo");
    assertThat(vip.label()).isEqualTo("lo:lvs");
    assertThat(vip.prefixLength()).isEqualTo(32);
    assertThat(d.sysctls())
        .containsOnlyKeys(
            "net/ipv4/conf/all/arp_ignore",
            "net/ipv4/conf/all/arp_announce",
            "net/ipv4/conf/lo/arp_ignore",
            "net/ipv4/conf/lo/arp_announce",
            "net/ipv4/conf/eth0/arp_ignore",
            "net/ipv4/conf/eth0/arp_announce");
    assertThat(d.sysctls().get("net/ipv4/conf/eth0/arp_ignore").value()).isEqualTo("1");
    assertThat(d.sysctls().get("net/ipv4/conf/all/arp_announce").value()).isEqualTo("2");
    assertThat(d.realServerVips())
        .containsExactlyEntriesOf(Map.of(new ObjectRef("default", "rs1"), List.of("172.16.58.1")));
  }

  @Test
  void nodeBothDirectorAndRealServerSkipsItselfAndSaysWhy() {
    List<RealServer> servers =
        List.of(rs("rs1", "172.16.58.7", "rs1", 2), rs("lb", null, "lb1", 1));
    DesiredState d = compute(List.of(web()), servers, "lb1", "172.16.58.2");
    assertThat(d.involvements().get(WEB).roles())
        .containsExactly(LvsApi.ROLE_DIRECTOR, LvsApi.ROLE_REAL_SERVER);
    assertThat(d.services().get(WEB_KEY).destinations()).hasSize(1);
    assertThat(d.addresses().keySet())
        .extracting(AddressKey::interfaceName)
        .containsExactly("eth0");
    assertThat(d.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("default/lb", "localNode"));
  }

  @Test
  void directorsSelectedByExpressions() {
    VirtualService v =
        vs(
            "web",
            "172.16.58.1",
            80,
            s ->
                s.setDirectors(
                    new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("zone")
                        .withOperator("In")
                        .withValues("a", "b")
                        .endMatchExpression()
                        .addNewMatchExpression()
                        .withKey("edge")
                        .withOperator("DoesNotExist")
                        .endMatchExpression()
                        .build()));
    List<Node> nodes =
        List.of(
            node("za", Map.of("zone", "a"), "10.0.0.1"),
            node("zc", Map.of("zone", "c"), "10.0.0.2"),
            node("zb-edge", Map.of("zone", "b", "edge", ""), "10.0.0.3"));
    for (Node n : nodes) {
      DesiredState d =
          DesiredState.compute(
              List.of(v),
              SERVERS,
              nodes,
              n.getMetadata().getName(),
              AgentSettings.COMMAND_LINE,
              HostInterfaces.NONE);
      assertThat(d.services().isEmpty())
          .as(n.getMetadata().getName())
          .isEqualTo(!n.getMetadata().getName().equals("za"));
    }
  }

  @Test
  void realServerWithoutAddressUsesItsNodeInternalIpOfTheVipFamily() {
    List<Node> nodes =
        List.of(
            director("lb1", "172.16.58.2", "2001:db8::2"),
            node("rs3", Map.of(), "172.16.58.13", "2001:db8::13"));
    RealServer rs3 = rs("rs3", null, "rs3", null);
    DesiredState v4 =
        DesiredState.compute(
            List.of(web()),
            List.of(rs3),
            nodes,
            "lb1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.2"));
    assertThat(v4.services().get(WEB_KEY).destinations().values())
        .extracting(
            dd -> dd.destination().address().getHostAddress(), dd -> dd.destination().weight())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("172.16.58.13", 1));
    DesiredState v6 =
        DesiredState.compute(
            List.of(vs("web", "2001:db8::1", 80, s -> {})),
            List.of(rs3),
            nodes,
            "lb1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.2", "2001:db8::2"));
    DesiredService s6 = v6.services().values().iterator().next();
    assertThat(s6.service().key().family()).isEqualTo(ServiceKey.AF_INET6);
    assertThat(s6.service().netmask()).isEqualTo(128);
    assertThat(s6.destinations().values())
        .extracting(dd -> dd.destination().address())
        .containsExactly(Ips.literal("2001:db8::13"));
    DesiredAddress vip6 = v6.addresses().values().iterator().next();
    assertThat(vip6.prefixLength()).isEqualTo(128);
    assertThat(vip6.label()).isNull();
    assertThat(vip6.interfaceName()).isEqualTo("eth0");
  }

  @Test
  void ipv6RealServerGetsVipOnLoWithoutArpSysctls() {
    DesiredState d =
        DesiredState.compute(
            List.of(vs("web", "2001:db8::1", 80, s -> {})),
            List.of(rs("rs1", "2001:db8::7", "rs1", 1)),
            NODES,
            "rs1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.NONE);
    assertThat(d.addresses().values())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.interfaceName()).isEqualTo("lo");
              assertThat(a.prefixLength()).isEqualTo(128);
            });
    assertThat(d.sysctls()).isEmpty();
  }

  static Stream<Arguments> persistenceCases() {
    return Stream.of(
        Arguments.of("172.16.58.1", persistence(300, null, null), 300, 0xffffffff),
        Arguments.of("172.16.58.1", persistence(300, "255.255.255.0", null), 300, 0xffffff00),
        Arguments.of("172.16.58.1", persistence(60, null, 16), 60, 0xffff0000),
        Arguments.of("2001:db8::1", persistence(60, null, null), 60, 128),
        Arguments.of("2001:db8::1", persistence(60, null, 64), 60, 64));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("persistenceCases")
  void persistenceSetsFlagTimeoutAndNetmask(
      String vip, dev.lvs.operator.api.v1alpha1.Persistence p, int timeout, int netmask) {
    VirtualService v =
        vs(
            "web",
            vip,
            443,
            s -> {
              s.setPersistence(p);
              s.setScheduler(Scheduler.RR);
              s.setProtocol(Protocol.UDP);
            });
    DesiredState d =
        DesiredState.compute(
            List.of(v), List.of(), NODES, "lb1", AgentSettings.COMMAND_LINE, HostInterfaces.NONE);
    IpvsService s = d.services().values().iterator().next().service();
    assertThat(s.key().protocol()).isEqualTo(ServiceKey.IPPROTO_UDP);
    assertThat(s.scheduler()).isEqualTo("rr");
    assertThat(s.flags()).isEqualTo(IpvsService.F_PERSISTENT);
    assertThat(s.timeoutSeconds()).isEqualTo(timeout);
    assertThat(s.netmask()).isEqualTo(netmask);
  }

  @Test
  void localNodeAddsTheDirectorItselfOnLoopback() {
    VirtualService v4 = vs("web", "172.16.58.1", 80, s -> s.setLocalNode(localNode(5)));
    VirtualService v6 = vs("web6", "2001:db8::1", 80, s -> s.setLocalNode(localNode(null)));
    DesiredState d =
        DesiredState.compute(
            List.of(v4, v6),
            List.of(),
            NODES,
            "lb1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.NONE);
    assertThat(d.services().values())
        .flatExtracting(s -> s.destinations().values())
        .extracting(
            dd -> dd.destination().address().getHostAddress(),
            dd -> dd.destination().weight(),
            DesiredDestination::localNode)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", 5, true),
            org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:1", 1, true));
  }

  @Test
  void conflictOldestWinsThenNamespaceAndName() {
    VirtualService old = vs("zz-old", "172.16.58.1", 80, s -> {});
    old.getMetadata().setCreationTimestamp("2023-01-01T00:00:00Z");
    VirtualService young = vs("aa-young", "172.16.58.1", 80, s -> s.setScheduler(Scheduler.RR));
    VirtualService tieA = vs("tie-a", "172.16.58.3", 80, s -> {});
    VirtualService tieB = vs("tie-b", "172.16.58.3", 80, s -> {});
    VirtualService otherPort = vs("other-port", "172.16.58.1", 443, s -> {});
    DesiredState d =
        compute(List.of(young, old, tieB, tieA, otherPort), SERVERS, "lb1", "172.16.58.2");
    assertThat(d.services().values())
        .extracting(s -> s.virtualService().name())
        .containsExactlyInAnyOrder("zz-old", "tie-a", "other-port");
    Involvement loser = d.involvements().get(new ObjectRef("default", "aa-young"));
    assertThat(loser.hasConflict()).isTrue();
    assertThat(loser.problems().get(0).message()).contains("default/zz-old");
    assertThat(d.involvements().get(new ObjectRef("default", "tie-b")).hasConflict()).isTrue();
    assertThat(d.involvements().get(new ObjectRef("default", "zz-old")).hasConflict()).isFalse();
    // The shared VIP is wanted once, by both winners on it.
    assertThat(d.addresses().get(new AddressKey("eth0", Ips.literal("172.16.58.1"))).wantedBy())
        .extracting(ObjectRef::name)
        .containsExactly("other-port", "zz-old");
  }

  @Test
  void badInputIsSkippedAndReported() {
    RealServer noNode = rs("ghost", null, "no-such-node", 1);
    RealServer wrongFamily = rs("v6", "2001:db8::7", null, 1);
    RealServer good = rs("rs1", "172.16.58.7", "rs1", 2);
    VirtualService tunnel = vs("tun", "172.16.58.5", 80, s -> s.setForwarding("Tunnel"));
    VirtualService deleting = vs("gone", "172.16.58.6", 80, s -> {});
    deleting.getMetadata().setDeletionTimestamp("2024-06-01T00:00:00Z");
    DesiredState d =
        compute(
            List.of(web(), tunnel, deleting),
            List.of(noNode, wrongFamily, good),
            "lb1",
            "172.16.58.2");
    assertThat(d.services()).containsOnlyKeys(WEB_KEY);
    assertThat(d.services().get(WEB_KEY).destinations()).hasSize(1);
    assertThat(d.problems())
        .extracting(Problem::kind, p -> p.virtualService().name())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Problem.Kind.INVALID, "web"),
            org.assertj.core.groups.Tuple.tuple(Problem.Kind.INVALID, "web"),
            org.assertj.core.groups.Tuple.tuple(Problem.Kind.INVALID, "tun"));
    assertThat(d.problems())
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("default/ghost", "no-such-node", "does not exist"))
        .anySatisfy(m -> assertThat(m).contains("default/v6", "IPv6", "IPv4"))
        .anySatisfy(m -> assertThat(m).contains("Tunnel", "not implemented"));
    assertThat(d.involvements()).doesNotContainKey(new ObjectRef("default", "gone"));
  }

  @Test
  void directorInterfaceFlagAndConnReuseMode() {
    AgentSettings settings =
        AgentSettings.COMMAND_LINE
            .withDirectorInterface("bond0.100-long-name")
            .withConnReuseMode(0);
    DesiredState d =
        DesiredState.compute(List.of(web()), SERVERS, NODES, "lb1", settings, HostInterfaces.NONE);
    DesiredAddress vip = d.addresses().values().iterator().next();
    assertThat(vip.interfaceName()).isEqualTo("bond0.100-long-name");
    assertThat(vip.label()).isEqualTo("bond0.100-l:lvs");
    assertThat(d.sysctls().get(SysctlPaths.CONN_REUSE_MODE).value()).isEqualTo("0");
  }

  @Test
  void directorWithoutFindableInterfaceStillProgramsIpvsAndSaysWhy() {
    DesiredState d =
        DesiredState.compute(List.of(web()), SERVERS, NODES, "lb1", AgentSettings.COMMAND_LINE);
    assertThat(d.services()).containsOnlyKeys(WEB_KEY);
    assertThat(d.addresses()).isEmpty();
    assertThat(d.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("--director-interface"));
  }

  // ------------------------------------------------- real servers on lost (not Ready) nodes

  /** The example's nodes with rs2's Node at Ready={@code rs2Ready} (null: no conditions). */
  static DesiredState withRs2Ready(String rs2Ready, List<RealServer> servers) {
    Node rs2 = node("rs2", Map.of(), "172.16.58.8");
    List<Node> nodes =
        List.of(
            withReady(director("lb1", "172.16.58.2"), "True"),
            withReady(node("rs1", Map.of(), "172.16.58.7"), "True"),
            rs2Ready == null ? rs2 : withReady(rs2, rs2Ready));
    return DesiredState.compute(
        List.of(web()),
        servers,
        nodes,
        "lb1",
        AgentSettings.COMMAND_LINE,
        HostInterfaces.of("eth0", "172.16.58.2"));
  }

  static Map<String, Integer> weights(DesiredState d) {
    Map<String, Integer> w = new java.util.TreeMap<>();
    d.services()
        .get(WEB_KEY)
        .destinations()
        .values()
        .forEach(
            dd -> w.put(dd.destination().address().getHostAddress(), dd.destination().weight()));
    return w;
  }

  @ParameterizedTest(name = "Ready={0}")
  @ValueSource(strings = {"Unknown", "False"})
  void realServerOnANodeThatIsNotReadyIsQuiescedWithWeightZeroNotRemoved(String ready) {
    RealServer rs2 = rs("rs2", null, "rs2", 5);
    rs2.getSpec().setUpperThreshold(100);
    rs2.getSpec().setLowerThreshold(50);
    DesiredState d = withRs2Ready(ready, List.of(rs("rs1", null, "rs1", 2), rs2));

    assertThat(d.problems()).isEmpty();
    assertThat(d.services().get(WEB_KEY).destinations().values())
        .extracting(DesiredDestination::destination)
        .containsExactly(
            new IpvsDestination(
                Ips.literal("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 2, 0, 0),
            new IpvsDestination(
                Ips.literal("172.16.58.8"), 80, ForwardMethod.DIRECT_ROUTE, 0, 100, 50));
    Involvement inv = d.involvements().get(WEB);
    assertThat(inv.realServerGenerations())
        .as("still programmed, at weight 0")
        .isEqualTo(Map.of("rs1", 3L, "rs2", 3L));
    assertThat(inv.quiescedRealServers())
        .containsExactlyEntriesOf(Map.of("rs2", "node rs2 is not Ready (Ready=" + ready + ")"));
    assertThat(
            d.services().get(WEB_KEY).destinations().values().stream()
                .map(DesiredDestination::source))
        .containsExactly(
            "default/rs1", "default/rs2 (quiesced: node rs2 is not Ready (Ready=" + ready + "))");
  }

  @Test
  void realServerGetsItsWeightBackWhenItsNodeIsReadyAgain() {
    List<RealServer> servers = List.of(rs("rs1", null, "rs1", 2), rs("rs2", null, "rs2", 5));
    assertThat(weights(withRs2Ready("Unknown", servers)))
        .isEqualTo(Map.of("172.16.58.7", 2, "172.16.58.8", 0));
    DesiredState back = withRs2Ready("True", servers);
    assertThat(weights(back)).isEqualTo(Map.of("172.16.58.7", 2, "172.16.58.8", 5));
    assertThat(back.involvements().get(WEB).quiescedRealServers()).isEmpty();
  }

  @Test
  void aNodeWithoutConditionsCountsAsUsable() {
    // Standalone manifests carry hand-written Nodes without status.conditions.
    DesiredState d =
        withRs2Ready(null, List.of(rs("rs1", null, "rs1", 2), rs("rs2", null, "rs2", 5)));
    assertThat(weights(d)).isEqualTo(Map.of("172.16.58.7", 2, "172.16.58.8", 5));
    assertThat(d.involvements().get(WEB).quiescedRealServers()).isEmpty();
  }

  @Test
  void onlyTheNodeNameCountsAnAddressOnlyRealServerIsNeverQuiesced() {
    // ext has no nodeName: no Node speaks for it. pinned has an address and names the lost node.
    List<RealServer> servers =
        List.of(
            rs("ext", "172.16.58.8", null, 4),
            rs("pinned", "172.16.58.20", "rs2", 3),
            rs("rs1", null, "rs1", 2));
    DesiredState d = withRs2Ready("Unknown", servers);
    assertThat(weights(d)).isEqualTo(Map.of("172.16.58.8", 4, "172.16.58.20", 0, "172.16.58.7", 2));
    assertThat(d.involvements().get(WEB).quiescedRealServers()).containsOnlyKeys("pinned");
  }

  @Test
  void realServerNodesQuiesceNothingOnTheirOwnSide() {
    // The lost node's own agent, if it still runs, keeps holding the VIP: only directors react.
    Node rs2 = withReady(node("rs2", Map.of(), "172.16.58.8"), "Unknown");
    DesiredState d =
        DesiredState.compute(
            List.of(web()),
            List.of(rs("rs2", null, "rs2", 5)),
            List.of(director("lb1", "172.16.58.2"), rs2),
            "rs2",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.8"));
    assertThat(d.realServerVips())
        .containsExactlyEntriesOf(Map.of(new ObjectRef("default", "rs2"), List.of("172.16.58.1")));
  }
}
