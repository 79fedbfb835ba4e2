package dev.lvs.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.ObjectRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The prerequisites {@link Dependencies} finds in a plan's ordered steps. */
class DependenciesTest {
  static final ObjectRef WEB = new ObjectRef("default", "web");
  static final ServiceKey KEY = PlannerTest.KEY;
  static final IpvsService SVC = PlannerTest.WLC;
  static final IfAddress VIP_ETH0 = new IfAddress(2, PlannerTest.VIP, 32, "eth0:lvs");
  static final IfAddress VIP_LO = new IfAddress(1, PlannerTest.VIP, 32, "lo:lvs");

  static Step.SetSysctl arp(String path) {
    return new Step.SetSysctl(path, "1", "0", Set.of(WEB), "real server");
  }

  static List<Step> ordered(Step... steps) {
    return new Plan(List.of(steps), List.of(), List.of()).steps();
  }

  @Test
  void realServerVipNeedsEveryArpSysctlSetAndNothingElse() {
    List<Step> steps =
        ordered(
            new Step.AddAddress(VIP_LO, "lo", Set.of(WEB), DesiredAddress.REAL_SERVER_VIP),
            arp("net/ipv4/conf/all/arp_ignore"),
            arp("net/ipv4/conf/lo/arp_announce"),
            new Step.SetSysctl("net/ipv4/vs/expire_nodest_conn", "1", "0", Set.of(WEB), "x"));
    List<List<Dependencies.Clause>> deps = Dependencies.of(steps, Set.of());

    int vip = steps.size() - 1;
    assertThat(steps.get(vip)).isInstanceOf(Step.AddAddress.class);
    assertThat(deps.get(vip))
        .extracting(Dependencies.Clause::anyOf)
        .containsExactly(List.of(0), List.of(1));
    assertThat(deps.get(vip).get(0).unmet())
        .isEqualTo("skipped: ARP sysctl net/ipv4/conf/all/arp_ignore could not be set");
    assertThat(deps.subList(0, vip)).allMatch(List::isEmpty);
  }

  @Test
  void directorVipNeedsOneOfTheServicesCreatedForItUnlessOneIsInPlace() {
    ServiceKey tls = ServiceKey.of(6, PlannerTest.VIP, 443);
    List<Step> steps =
        ordered(
            new Step.AddAddress(VIP_ETH0, "eth0", Set.of(WEB), DesiredAddress.DIRECTOR_VIP),
            new Step.AddService(SVC, WEB, null),
            new Step.AddService(new IpvsService(tls, "wlc", 0, 0, -1), WEB, null),
            new Step.AddDestination(KEY, PlannerTest.RS1, WEB, "default/rs1"));

    List<List<Dependencies.Clause>> deps = Dependencies.of(steps, Set.of());
    assertThat(deps.get(2)).extracting(Dependencies.Clause::anyOf).containsExactly(List.of(0));
    assertThat(deps.get(3))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.anyOf()).containsExactly(0, 1);
              assertThat(c.unmet()).contains("TCP 172.16.58.1:80", "TCP 172.16.58.1:443");
            });

    ServiceKey other = ServiceKey.of(17, PlannerTest.VIP, 53);
    assertThat(Dependencies.of(steps, Set.of(other)).get(3)).isEmpty();
  }

  @Test
  void arpRestoreNeedsTheIpv4LoVipRemovedButOtherRestoresDoNot() {
    IfAddress v6 = new IfAddress(1, Ips.literal("2001:db8::1"), 128, null);
    List<Step> steps =
        ordered(
            new Step.RestoreSysctl("net/ipv4/conf/lo/arp_ignore", "0", "1", "no longer desired"),
            new Step.RestoreSysctl("net/ipv4/vs/expire_nodest_conn", "0", "1", "x"),
            new Step.DeleteAddress(VIP_LO, "lo", "no longer desired"),
            new Step.DeleteAddress(v6, "lo", "no longer desired"),
            new Step.DeleteAddress(VIP_ETH0, "eth0", "no longer desired"));
    List<List<Dependencies.Clause>> deps = Dependencies.of(steps, Set.of());

    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof Step.RestoreSysctl r && r.path().endsWith("arp_ignore")) {
        assertThat(deps.get(i))
            .singleElement()
            .satisfies(
                c -> {
                  assertThat(steps.get(c.anyOf().get(0))).isEqualTo(steps.get(0));
                  assertThat(c.unmet()).contains("172.16.58.1", "lo");
                });
      } else {
        assertThat(deps.get(i)).as(steps.get(i).describe()).isEmpty();
      }
    }
  }

  @Test
  void prerequisitesAreAlwaysEarlierSteps() {
    List<Step> steps =
        Planner.diff(
                PlannerTest.webDirector(),
                PlannerTest.bare(),
                dev.lvs.agent.state.Ownership.empty())
            .steps();
    List<List<Dependencies.Clause>> deps = Dependencies.of(steps, Set.of());
    for (int i = 0; i < steps.size(); i++) {
      for (Dependencies.Clause c : deps.get(i)) {
        assertThat(c.anyOf()).isNotEmpty().allMatch(j -> j < steps.size());
        int step = i;
        assertThat(c.anyOf()).allMatch(j -> j < step);
      }
    }
    assertThat(deps).anyMatch(d -> !d.isEmpty());
  }
}
