package dev.lvs.agent.pools;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.Problem;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolSpec;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The agent's own VIP check, on the desired state it gates. */
class VipGateTest {
  static final List<Node> NODES =
      List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7"));
  static final List<RealServer> SERVERS = List.of(rs("rs1", "172.16.58.7", "rs1", 1));
  static final HostInterfaces LB1 =
      new HostInterfaces(
          Map.of(
              Ips.literal("172.16.58.2"), "eth0",
              Ips.literal("10.99.0.1"), "eth1",
              Ips.literal("172.16.58.1"), "eth0"));

  static VipPool pool(String name, String nsLabel, String... addresses) {
    VipPool p = new VipPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of(addresses));
    if (nsLabel != null) {
      spec.setNamespaceSelector(
          new LabelSelectorBuilder().withMatchLabels(Map.of("team", nsLabel)).build());
    }
    p.setSpec(spec);
    return p;
  }

  static Namespace ns(String name, String team) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("kubernetes.io/metadata.name", name, "team", team))
        .endMetadata()
        .build();
  }

  static VirtualService web(String vip) {
    return vs("web", vip, 80, s -> {});
  }

  static DesiredState lb1(PoolEnforcement mode, List<VipPool> pools, VirtualService... services) {
    VipGate gate =
        VipGate.of(
            mode,
            pools,
            List.of(ns("default", "web")),
            NODES,
            LB1,
            Set.of(Ips.literal("172.16.58.1")));
    return DesiredState.compute(
        List.of(services), SERVERS, NODES, "lb1", AgentSettings.COMMAND_LINE, LB1, gate);
  }

  static ServiceKey key(String vip) {
    return ServiceKey.of(6, Ips.literal(vip), 80);
  }

  @Test
  void aVipInAnAdmittingPoolIsProgrammed() {
    DesiredState d =
        lb1(
            PoolEnforcement.ENFORCE,
            List.of(pool("web", "web", "172.16.58.0/28")),
            web("172.16.58.1"));
    assertThat(d.problems()).isEmpty();
    assertThat(d.services()).containsKey(key("172.16.58.1"));
  }

  @Test
  void enforceRefusesAVipOutsideEveryPoolAndProgramsNothingForIt() {
    DesiredState d =
        lb1(
            PoolEnforcement.ENFORCE,
            List.of(pool("db-only", "db", "172.16.58.0/28")),
            web("172.16.58.1"));
    assertThat(d.services()).isEmpty();
    assertThat(d.addresses()).isEmpty();
    assertThat(d.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.REFUSED);
              assertThat(p.virtualService()).isEqualTo(new ObjectRef("default", "web"));
              assertThat(p.message())
                  .isEqualTo(
                      "VipNotInPool: spec.vip: 172.16.58.1 is in no VipPool that admits namespace"
                          + " default; pools considered: db-only (contains it, but does not"
                          + " admit namespace default)");
            });
  }

  @Test
  void warnProgramsAVipOutsideEveryPool() {
    DesiredState d = lb1(PoolEnforcement.WARN, List.of(), web("172.16.58.1"));
    assertThat(d.problems()).isEmpty();
    assertThat(d.services()).containsKey(key("172.16.58.1"));
  }

  @Test
  void nodeAndHostInterfaceAddressesAreRefusedInEveryModeAndTheRestStillSyncs() {
    VipPool everything = pool("everything", null, "0.0.0.0/0");
    for (PoolEnforcement mode : PoolEnforcement.values()) {
      DesiredState d =
          lb1(
              mode,
              List.of(everything),
              vs("steal-rs1", "172.16.58.7", 80, s -> {}),
              vs("steal-gw", "10.99.0.1", 80, s -> {}),
              web("172.16.58.1"));
      assertThat(d.services().keySet()).as(mode.name()).containsExactly(key("172.16.58.1"));
      assertThat(d.problems())
          .as(mode.name())
          .extracting(Problem::message)
          .containsExactlyInAnyOrder(
              "VipForbidden: spec.vip: 172.16.58.7 is the address of node rs1 (InternalIP):"
                  + " never a VIP",
              "VipForbidden: spec.vip: 10.99.0.1 is the address of interface eth1 of this node"
                  + " (not added by lvs-agent): never a VIP");
    }
  }

  @Test
  void aNamespaceNotSeenYetIsMatchedByItsNameLabel() {
    VipPool byName = new VipPool();
    byName.setMetadata(new ObjectMetaBuilder().withName("by-name").build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of("172.16.58.1"));
    spec.setNamespaceSelector(
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("kubernetes.io/metadata.name", "shop"))
            .build());
    byName.setSpec(spec);
    VipGate gate =
        VipGate.of(
            PoolEnforcement.ENFORCE,
            List.of(byName),
            List.of(),
            NODES,
            LB1,
            Set.of(Ips.literal("172.16.58.1")));
    assertThat(gate.check(Ips.literal("172.16.58.1"), "shop").refused()).isFalse();
    assertThat(gate.check(Ips.literal("172.16.58.1"), "other").refused()).isTrue();
    // The same VIP on eth0, but not added by this agent: someone else's address.
    VipGate notOurs =
        VipGate.of(PoolEnforcement.ENFORCE, List.of(byName), List.of(), NODES, LB1, Set.of());
    assertThat(notOurs.check(Ips.literal("172.16.58.1"), "shop").refusal().get())
        .startsWith("VipForbidden: spec.vip: 172.16.58.1 is the address of interface eth0");
  }

  @Test
  void theFlagNamesItsValues() {
    assertThat(PoolEnforcement.parse(" enforce ")).isEqualTo(PoolEnforcement.ENFORCE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PoolEnforcement.parse("strict"))
        .hasMessage("--vip-pools: \"strict\" is not one of Enforce, Warn, Off");
  }
}
