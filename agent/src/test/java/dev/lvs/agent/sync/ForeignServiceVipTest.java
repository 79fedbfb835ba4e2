package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static dev.lvs.agent.sync.PlannerTest.KEY;
import static dev.lvs.agent.sync.PlannerTest.LINKS;
import static dev.lvs.agent.sync.PlannerTest.NODE_IP;
import static dev.lvs.agent.sync.PlannerTest.directorState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 5: an IPVS service for the VIP that something else holds (a keepalived backup)
 * keeps the agent from adding the director VIP, which would make it a second ARP responder.
 */
class ForeignServiceVipTest {
  static final ObjectRef WEB = new ObjectRef("default", "web");
  static final ServiceKey KEY_443 = ServiceKey.of(6, PlannerTest.VIP, 443);

  /** The kernel without the VIP on any interface, holding {@code services}. */
  static ActualState kernelWithoutVip(IpvsService... services) {
    Map<ServiceKey, IpvsService> m = new LinkedHashMap<>();
    for (IpvsService s : services) {
      m.put(s.key(), s);
    }
    return new ActualState(m, Map.of(), LINKS, List.of(NODE_IP), Map.of());
  }

  static boolean addsVip(Plan plan) {
    return plan.steps().stream().anyMatch(s -> s instanceof Step.AddAddress);
  }

  @Test
  void directorVipIsNotAddedWhileItsServiceBelongsToSomethingElse() {
    IpvsService keepalived = new IpvsService(KEY, "rr", 0, 0, 0xffffffff);
    Plan plan =
        Planner.diff(PlannerTest.webDirector(), kernelWithoutVip(keepalived), Ownership.empty());

    assertThat(addsVip(plan)).isFalse();
    assertThat(plan.problems())
        .anySatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.CONFLICT);
              assertThat(p.virtualService()).isEqualTo(WEB);
              assertThat(p.message())
                  .contains("VIP 172.16.58.1", "not added", "TCP 172.16.58.1:80", "not ours");
            });
  }

  @Test
  void directorVipIsAddedWhenAnotherServiceOnItIsBeingCreatedByUs() {
    DesiredState twoPorts =
        directorState(List.of(web(), vs("web-tls", "172.16.58.1", 443, s -> {})), List.of());
    IpvsService keepalived = new IpvsService(KEY, "rr", 0, 0, 0xffffffff);
    Plan plan = Planner.diff(twoPorts, kernelWithoutVip(keepalived), Ownership.empty());

    assertThat(plan.steps())
        .anySatisfy(
            s ->
                assertThat(s)
                    .isInstanceOfSatisfying(
                        Step.AddService.class,
                        a -> assertThat(a.service().key()).isEqualTo(KEY_443)));
    assertThat(addsVip(plan)).isTrue();
  }

  @Test
  void directorVipIsAddedWhenAnotherServiceOnItIsOursAlready() {
    DesiredState twoPorts =
        directorState(List.of(web(), vs("web-tls", "172.16.58.1", 443, s -> {})), List.of());
    IpvsService keepalived = new IpvsService(KEY, "rr", 0, 0, 0xffffffff);
    IpvsService ours = new IpvsService(KEY_443, "wlc", 0, 0, 0xffffffff);
    Ownership owned = Ownership.empty();
    owned.addService(KEY_443);
    Plan plan = Planner.diff(twoPorts, kernelWithoutVip(keepalived, ours), owned);

    assertThat(addsVip(plan)).isTrue();
  }
}
