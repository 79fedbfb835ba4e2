package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static dev.lvs.agent.fake.TestObjects.withReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnedSysctl;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.Problem;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final InetAddress VIP = Ips.literal("172.16.58.1");
  static final ServiceKey KEY = ServiceKey.of(6, VIP, 80);
  static final IpvsService WLC = new IpvsService(KEY, "wlc", 0, 0, 0xffffffff);
  static final IpvsDestination RS1 = dest("172.16.58.7", 2);
  static final IpvsDestination RS2 = dest("172.16.58.8", 1);
  static final List<Link> LINKS =
      List.of(
          new Link(1, "lo", Link.IFF_UP | Link.IFF_LOOPBACK, 65536), new Link(2, "eth0", 1, 1500));
  static final IfAddress NODE_IP = new IfAddress(2, Ips.literal("172.16.58.2"), 24, "eth0");
  static final IfAddress VIP_ON_ETH0 = new IfAddress(2, VIP, 32, "eth0:lvs");

  static IpvsDestination dest(String ip, int weight) {
    return new IpvsDestination(Ips.literal(ip), 80, ForwardMethod.DIRECT_ROUTE, weight, 0, 0);
  }

  static DesiredState directorState(List<VirtualService> vs, List<RealServer> servers) {
    return DesiredState.compute(
        vs,
        servers,
        List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7")),
        "lb1",
        AgentSettings.COMMAND_LINE,
        HostInterfaces.of("eth0", "172.16.58.2"));
  }

  static DesiredState webDirector() {
    return directorState(
        List.of(web()),
        List.of(rs("rs1", "172.16.58.7", "rs1", 2), rs("rs2", "172.16.58.8", null, 1)));
  }

  /** The kernel after the agent programmed web, and the matching ownership record. */
  static ActualState programmed(IpvsService service, IpvsDestination... dests) {
    Map<IpvsDestination.DestinationKey, IpvsDestination> d = new LinkedHashMap<>();
    for (IpvsDestination x : dests) {
      d.put(x.key(), x);
    }
    return new ActualState(
        Map.of(KEY, service),
        Map.of(KEY, d),
        LINKS,
        List.of(NODE_IP, VIP_ON_ETH0),
        Map.of(
            "net/ipv4/vs/expire_nodest_conn",
            Optional.of("1"),
            "net/ipv4/vs/expire_quiescent_template",
            Optional.of("1")));
  }

  static Ownership ownsWeb(IpvsDestination... dests) {
    Ownership o = Ownership.empty();
    o.addService(KEY);
    for (IpvsDestination d : dests) {
      o.addDestination(KEY, d.key());
    }
    o.addAddress(new OwnedAddress(2, "eth0", VIP, 32, "eth0:lvs"));
    o.putSysctl("net/ipv4/vs/expire_nodest_conn", new OwnedSysctl("0", "1"));
    o.putSysctl("net/ipv4/vs/expire_quiescent_template", new OwnedSysctl("0", "1"));
    return o;
  }

  static ActualState bare() {
    return new ActualState(
        Map.of(),
        Map.of(),
        LINKS,
        List.of(NODE_IP),
        Map.of(
            "net/ipv4/vs/expire_nodest_conn",
            Optional.of("0"),
            "net/ipv4/vs/expire_quiescent_template",
            Optional.of("0")));
  }

  @Test
  void fromScratchAddsInOrderServiceDestinationsSysctlThenVip() {
    Plan plan = Planner.diff(webDirector(), bare(), Ownership.empty());
    assertThat(plan.steps())
        .extracting(Step::getClass)
        .containsExactly(
            Step.AddService.class,
            Step.AddDestination.class,
            Step.AddDestination.class,
            Step.SetSysctl.class,
            Step.SetSysctl.class,
            Step.AddAddress.class);
    assertThat(plan.steps().get(1).describe())
        .isEqualTo(
            "ipvs: add destination 172.16.58.7:80 to TCP 172.16.58.1:80 (weight 2, route) for"
                + " default/web <- default/rs1");
    assertThat(plan.steps().get(5).describe()).contains("172.16.58.1/32", "eth0", "label eth0:lvs");
    assertThat(plan.problems()).isEmpty();
  }

  @Test
  void inSyncPlansNothing() {
    Plan plan = Planner.diff(webDirector(), programmed(WLC, RS1, RS2), ownsWeb(RS1, RS2));
    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.problems()).isEmpty();
  }

  @Test
  void schedulerChangeIsOneInPlaceEdit() {
    DesiredState rr =
        directorState(
            List.of(vs("web", "172.16.58.1", 80, s -> s.setScheduler(Scheduler.RR))),
            List.of(rs("rs1", "172.16.58.7", "rs1", 2), rs("rs2", "172.16.58.8", null, 1)));
    Plan plan = Planner.diff(rr, programmed(WLC, RS1, RS2), ownsWeb(RS1, RS2));
    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.UpdateService.class, u -> assertThat(u.to().scheduler()).isEqualTo("rr"));
    assertThat(plan.steps().get(0).describe()).contains("scheduler wlc -> rr");
  }

  @Test
  void weightChangeIsOneInPlaceDestinationEdit() {
    Plan plan =
        Planner.diff(
            webDirector(), programmed(WLC, dest("172.16.58.7", 9), RS2), ownsWeb(RS1, RS2));
    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.UpdateDestination.class, u -> assertThat(u.to().weight()).isEqualTo(2));
  }

  /** web on lb1 with rs1 (weight 2) on a node whose Ready condition is {@code rs1Ready}. */
  static DesiredState webWithRs1Node(String rs1Ready) {
    return DesiredState.compute(
        List.of(web()),
        List.of(rs("rs1", "172.16.58.7", "rs1", 2), rs("rs2", "172.16.58.8", null, 1)),
        List.of(
            withReady(director("lb1", "172.16.58.2"), "True"),
            withReady(node("rs1", Map.of(), "172.16.58.7"), rs1Ready)),
        "lb1",
        AgentSettings.COMMAND_LINE,
        HostInterfaces.of("eth0", "172.16.58.2"));
  }

  @Test
  void lostRealServerNodeIsOneInPlaceEditToWeightZeroAndBack() {
    IpvsDestination quiesced = dest("172.16.58.7", 0);
    Plan down =
        Planner.diff(webWithRs1Node("Unknown"), programmed(WLC, RS1, RS2), ownsWeb(RS1, RS2));
    assertThat(down.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.UpdateDestination.class, u -> assertThat(u.to()).isEqualTo(quiesced));
    assertThat(down.steps().get(0).describe())
        .contains("weight 2", "weight 0")
        .endsWith("<- default/rs1 (quiesced: node rs1 is not Ready (Ready=Unknown))");

    assertThat(
            Planner.diff(
                    webWithRs1Node("Unknown"), programmed(WLC, quiesced, RS2), ownsWeb(RS1, RS2))
                .isEmpty())
        .as("stays quiesced without churn")
        .isTrue();

    Plan up =
        Planner.diff(webWithRs1Node("True"), programmed(WLC, quiesced, RS2), ownsWeb(RS1, RS2));
    assertThat(up.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.UpdateDestination.class, u -> assertThat(u.to()).isEqualTo(RS1));
  }

  @Test
  void deselectedRealServerIsDeletedButHandAddedDestinationIsLeftAlone() {
    IpvsDestination byHand = dest("172.16.58.99", 1);
    DesiredState onlyRs1 =
        directorState(List.of(web()), List.of(rs("rs1", "172.16.58.7", "rs1", 2)));
    Plan plan = Planner.diff(onlyRs1, programmed(WLC, RS1, RS2, byHand), ownsWeb(RS1, RS2));
    assertThat(plan.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.DeleteDestination.class, d -> assertThat(d.destination()).isEqualTo(RS2.key()));
  }

  @Test
  void serviceHeldBySomethingElseIsAConflictAndUntouched() {
    ActualState foreign = programmed(new IpvsService(KEY, "rr", 0, 0, 0xffffffff), RS1);
    Plan plan = Planner.diff(webDirector(), foreign, Ownership.empty());
    assertThat(plan.steps())
        .noneMatch(s -> s instanceof Step.AddService || s instanceof Step.UpdateService)
        .noneMatch(s -> s instanceof Step.AddDestination || s instanceof Step.DeleteDestination);
    assertThat(plan.problems())
        .anySatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
              assertThat(p.message()).contains("TCP 172.16.58.1:80", "held by something else");
            });
  }

  @Test
  void vipHeldBySomethingElseIsAConflictNotStolen() {
    ActualState kernel =
        new ActualState(
            Map.of(),
            Map.of(),
            LINKS,
            List.of(NODE_IP, new IfAddress(2, VIP, 32, "eth0")),
            Map.of());
    Plan plan = Planner.diff(webDirector(), kernel, Ownership.empty());
    assertThat(plan.steps())
        .noneMatch(s -> s instanceof Step.AddAddress || s instanceof Step.DeleteAddress);
    assertThat(plan.problems())
        .anySatisfy(
            p -> assertThat(p.message()).contains("172.16.58.1", "eth0", "held by something else"));
  }

  @Test
  void recordedIpv4AddressWithoutLvsLabelIsNotOursAnyMore() {
    Ownership owned = ownsWeb(RS1, RS2);
    ActualState relabelled =
        new ActualState(
            Map.of(KEY, WLC),
            Map.of(KEY, Map.of(RS1.key(), RS1, RS2.key(), RS2)),
            LINKS,
            List.of(NODE_IP, new IfAddress(2, VIP, 32, "eth0:keep")),
            Map.of(
                "net/ipv4/vs/expire_nodest_conn",
                Optional.of("1"),
                "net/ipv4/vs/expire_quiescent_template",
                Optional.of("1")));
    Plan desiredGone = Planner.diff(DesiredState.EMPTY, relabelled, owned);
    assertThat(desiredGone.steps()).noneMatch(s -> s instanceof Step.DeleteAddress);
    assertThat(desiredGone.forgets()).anyMatch(f -> f instanceof Forget.Address);
    assertThat(desiredGone.steps()).anyMatch(s -> s instanceof Step.DeleteService);
  }

  @Test
  void ownedButNoLongerDesiredIsRemovedVipFirstThenServiceThenSysctlRestored() {
    Plan plan = Planner.diff(DesiredState.EMPTY, programmed(WLC, RS1, RS2), ownsWeb(RS1, RS2));
    assertThat(plan.steps())
        .extracting(Step::getClass)
        .containsExactly(
            Step.DeleteAddress.class,
            Step.DeleteService.class,
            Step.RestoreSysctl.class,
            Step.RestoreSysctl.class);
    assertThat(((Step.RestoreSysctl) plan.steps().get(2)).original()).isEqualTo("0");
  }

  @Test
  void driftIsRepairedOwnedServiceMissingFromKernelIsRecreated() {
    ActualState flushed =
        new ActualState(
            Map.of(),
            Map.of(),
            LINKS,
            List.of(NODE_IP),
            Map.of(
                "net/ipv4/vs/expire_nodest_conn",
                Optional.of("1"),
                "net/ipv4/vs/expire_quiescent_template",
                Optional.of("1")));
    Plan plan = Planner.diff(webDirector(), flushed, ownsWeb(RS1, RS2));
    assertThat(plan.steps())
        .extracting(Step::getClass)
        .containsExactly(
            Step.AddService.class,
            Step.AddDestination.class,
            Step.AddDestination.class,
            Step.AddAddress.class);
    // The old destinations leave the record when AddService succeeds (Applier), not up front: if
    // the service turns out to exist after all (EEXIST), they are still ours.
    assertThat(plan.forgets()).isEmpty();
  }

  @Test
  void ownedButGoneAndUnwantedIsOnlyForgotten() {
    Plan plan =
        Planner.diff(
            DesiredState.EMPTY,
            new ActualState(Map.of(), Map.of(), LINKS, List.of(NODE_IP), Map.of()),
            ownsWeb(RS1, RS2));
    assertThat(plan.steps()).isEmpty();
    assertThat(plan.forgets())
        .extracting(Forget::getClass)
        .containsExactlyInAnyOrder(
            Forget.Service.class, Forget.Address.class, Forget.Sysctl.class, Forget.Sysctl.class);
  }

  @Test
  void realServerSetsArpSysctlsBeforePuttingVipOnLo() {
    DesiredState rs1 =
        DesiredState.compute(
            List.of(web()),
            List.of(rs("rs1", "172.16.58.7", "rs1", 2)),
            List.of(node("rs1", Map.of(), "172.16.58.7")),
            "rs1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.7"));
    Map<String, Optional<String>> zeros = new HashMap<>();
    rs1.sysctls().keySet().forEach(p -> zeros.put(p, Optional.of("0")));
    Plan plan =
        Planner.diff(
            rs1,
            new ActualState(
                Map.of(),
                Map.of(),
                LINKS,
                List.of(new IfAddress(2, Ips.literal("172.16.58.7"), 24, "eth0")),
                zeros),
            Ownership.empty());
    assertThat(plan.steps()).hasSize(7);
    assertThat(plan.steps().subList(0, 6)).allMatch(s -> s instanceof Step.SetSysctl);
    assertThat(plan.steps().get(6))
        .isInstanceOfSatisfying(
            Step.AddAddress.class,
            a -> {
              assertThat(a.address().linkIndex()).isEqualTo(1);
              assertThat(a.address().label()).isEqualTo("lo:lvs");
            });
  }

  @Test
  void sysctlChangedBySomeoneElseIsNotRestored() {
    Ownership owned = Ownership.empty();
    owned.putSysctl("net/ipv4/conf/all/arp_ignore", new OwnedSysctl("0", "1"));
    ActualState kernel =
        new ActualState(
            Map.of(),
            Map.of(),
            LINKS,
            List.of(),
            Map.of("net/ipv4/conf/all/arp_ignore", Optional.of("2")));
    Plan plan = Planner.diff(DesiredState.EMPTY, kernel, owned);
    assertThat(plan.steps()).isEmpty();
    assertThat(plan.forgets()).singleElement().isInstanceOf(Forget.Sysctl.class);
  }

  @Test
  void localNodeListedAsLocalIsInSync() {
    DesiredState d =
        directorState(
            List.of(
                vs(
                    "web",
                    "172.16.58.1",
                    80,
                    s -> s.setLocalNode(dev.lvs.agent.fake.TestObjects.localNode(1)))),
            List.of());
    IpvsDestination listedLocal =
        new IpvsDestination(Ips.literal("127.0.0.1"), 80, ForwardMethod.LOCAL_NODE, 1, 0, 0);
    Plan plan = Planner.diff(d, programmed(WLC, listedLocal), ownsWeb(listedLocal));
    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void withoutRemovalsKeepsOnlyAdditiveSteps() {
    Plan plan = Planner.diff(DesiredState.EMPTY, programmed(WLC, RS1, RS2), ownsWeb(RS1, RS2));
    assertThat(plan.steps()).isNotEmpty();
    Plan held = plan.withoutRemovals();
    assertThat(held.steps()).isEmpty();
    assertThat(held.forgets()).isEmpty();
  }
}
