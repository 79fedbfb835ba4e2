package dev.lvs.agent.sync;

import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.Ownership;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 10: ARP settings stricter than the contract (arp_ignore=1, arp_announce=2) are
 * left as they are, never lowered.
 */
class StricterArpSettingsTest {
  static final String ALL_IGNORE = "net/ipv4/conf/all/arp_ignore";
  static final String ALL_ANNOUNCE = "net/ipv4/conf/all/arp_announce";
  static final List<Link> LINKS =
      List.of(
          new Link(1, "lo", Link.IFF_UP | Link.IFF_LOOPBACK, 65536), new Link(2, "eth0", 1, 1500));

  static DesiredState realServer() {
    return DesiredState.compute(
        List.of(web()),
        List.of(rs("rs1", "172.16.58.7", "rs1", 2)),
        List.of(node("rs1", Map.of(), "172.16.58.7")),
        "rs1",
        AgentSettings.COMMAND_LINE,
        HostInterfaces.of("eth0", "172.16.58.7"));
  }

  /** The real server's kernel with every ARP sysctl at 0 but {@code path} at {@code value}. */
  static ActualState kernelWith(DesiredState desired, String path, String value) {
    Map<String, Optional<String>> values = new HashMap<>();
    desired.sysctls().keySet().forEach(p -> values.put(p, Optional.of("0")));
    values.put(path, Optional.of(value));
    return new ActualState(
        Map.of(),
        Map.of(),
        LINKS,
        List.of(new IfAddress(2, Ips.literal("172.16.58.7"), 24, "eth0")),
        values);
  }

  static List<String> setPaths(Plan plan) {
    return plan.steps().stream()
        .filter(s -> s instanceof Step.SetSysctl)
        .map(s -> ((Step.SetSysctl) s).path())
        .toList();
  }

  @Test
  void arpIgnore2And8AreStricterThan1AndAreNotLowered() {
    DesiredState d = realServer();
    for (String stricter : List.of("2", "8")) {
      Plan plan = Planner.diff(d, kernelWith(d, ALL_IGNORE, stricter), Ownership.empty());
      assertThat(setPaths(plan)).as("arp_ignore=" + stricter).doesNotContain(ALL_IGNORE).hasSize(5);
    }
  }

  @Test
  void arpIgnore3IsNotEnoughForAScopeGlobalVipOnLoSoItIsStillSetTo1() {
    // arp_ignore=3 only refuses scope-host addresses; the agent adds the VIP on lo with scope
    // global, which arp_ignore=3 answers ARP for (net/ipv4/arp.c arp_ignore(), case 3).
    DesiredState d = realServer();
    Plan plan = Planner.diff(d, kernelWith(d, ALL_IGNORE, "3"), Ownership.empty());
    assertThat(setPaths(plan)).contains(ALL_IGNORE);
  }

  @Test
  void arpAnnounce2IsWhatIsWantedAndNeedsNoStep() {
    DesiredState d = realServer();
    Plan plan = Planner.diff(d, kernelWith(d, ALL_ANNOUNCE, "2"), Ownership.empty());
    assertThat(setPaths(plan)).doesNotContain(ALL_ANNOUNCE).hasSize(5);
  }

  @Test
  void aStricterValueFoundWhenApplyingIsNotLoweredNorRecordedAsOurs() {
    FakeSysctls sysctls = new FakeSysctls();
    sysctls.values().put(ALL_IGNORE, "8"); // set by someone between the read and the apply
    Step set = new Step.SetSysctl(ALL_IGNORE, "1", "0", Set.of(), "real server");
    ApplyResult r =
        new Applier(new FakeIpvsClient(), new FakeAddressClient(), sysctls)
            .apply(new Plan(List.of(set), List.of(), List.of()), Ownership.empty());
    assertThat(r.failures()).isEmpty();
    assertThat(sysctls.get(ALL_IGNORE)).isEqualTo("8");
    assertThat(r.ownership().sysctl(ALL_IGNORE)).isEmpty();
  }
}
