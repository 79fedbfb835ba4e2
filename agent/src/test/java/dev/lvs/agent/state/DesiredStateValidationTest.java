package dev.lvs.agent.state;

import static dev.lvs.agent.fake.TestObjects.localNode;
import static dev.lvs.agent.fake.TestObjects.persistence;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static dev.lvs.agent.state.DesiredStateTest.NODES;
import static dev.lvs.agent.state.DesiredStateTest.WEB;
import static dev.lvs.agent.state.DesiredStateTest.WEB_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input no API server checked (standalone manifests): every value the IPVS records or the kernel
 * would refuse is a Problem naming the object and the field, and everything else still syncs.
 */
class DesiredStateValidationTest {
  static final ObjectRef BAD = new ObjectRef("default", "bad");
  static final ServiceKey BAD_KEY = ServiceKey.of(6, Ips.literal("172.16.58.9"), 80);

  static DesiredState onDirector(List<VirtualService> vs, List<RealServer> rs) {
    return DesiredState.compute(
        vs, rs, NODES, "lb1", AgentSettings.COMMAND_LINE, HostInterfaces.of("eth0", "172.16.58.2"));
  }

  /** VirtualService default/bad on 172.16.58.9:80, selecting app=bad. */
  static VirtualService bad(Consumer<VirtualServiceSpec> customize) {
    return vs(
        "bad",
        "172.16.58.9",
        80,
        s -> {
          s.getRealServerSelector().setMatchLabels(Map.of("app", "bad"));
          customize.accept(s);
        });
  }

  static RealServer badServer(Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec> customize) {
    RealServer r = rs("broken", "172.16.58.20", null, 1);
    r.getMetadata().setLabels(Map.of("app", "bad"));
    customize.accept(r.getSpec());
    return r;
  }

  static final RealServer GOOD = rs("rs2", "172.16.58.8", "rs2", 1);

  @Test
  void aRealServerWithANegativeWeightIsAProblemAndEverythingElseSyncs() {
    DesiredState d =
        onDirector(List.of(web(), bad(s -> {})), List.of(GOOD, badServer(s -> s.setWeight(-5))));
    assertThat(d.services().get(WEB_KEY).destinations()).hasSize(1);
    assertThat(d.services().get(BAD_KEY).destinations()).isEmpty();
    assertThat(d.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
              assertThat(p.virtualService()).isEqualTo(BAD);
              assertThat(p.message())
                  .isEqualTo("RealServer default/broken: spec.weight -5 is out of range 0..65535");
            });
    assertThat(d.involvements().get(BAD).problems()).hasSize(1);
    assertThat(d.involvements().get(WEB).problems()).isEmpty();
  }

  static Stream<Arguments> badRealServers() {
    return Stream.of(
        Arguments.of(
            "weight 65536",
            (Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec>) s -> s.setWeight(65536),
            "spec.weight 65536 is out of range 0..65535"),
        Arguments.of(
            "negative upper threshold",
            (Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec>) s -> s.setUpperThreshold(-1),
            "spec.upperThreshold -1 must not be negative"),
        Arguments.of(
            "negative lower threshold",
            (Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec>) s -> s.setLowerThreshold(-1),
            "spec.lowerThreshold -1 must not be negative"),
        Arguments.of(
            "lower above upper",
            (Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec>)
                s -> {
                  s.setUpperThreshold(10);
                  s.setLowerThreshold(20);
                },
            "spec.lowerThreshold 20 is above spec.upperThreshold 10 (0 when unset), which the"
                + " kernel refuses"),
        Arguments.of(
            "lower without upper",
            (Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec>) s -> s.setLowerThreshold(5),
            "spec.lowerThreshold 5 is above spec.upperThreshold 0 (0 when unset), which the"
                + " kernel refuses"),
        Arguments.of(
            "address a host name",
            (Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec>) s -> s.setAddress("localhost"),
            "spec.address localhost is not an IP address (host names are never resolved)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRealServers")
  void badRealServerFieldsAreProblemsNamingTheField(
      String name, Consumer<dev.lvs.operator.api.v1alpha1.RealServerSpec> breakIt, String problem) {
    DesiredState d = onDirector(List.of(web(), bad(s -> {})), List.of(GOOD, badServer(breakIt)));
    assertThat(d.services().get(WEB_KEY).destinations()).hasSize(1);
    assertThat(d.services().get(BAD_KEY).destinations()).isEmpty();
    assertThat(d.problems())
        .extracting(Problem::message)
        .containsExactly("RealServer default/broken: " + problem);
  }

  @Test
  void aBadRealServerOnThisNodeTakesNoVip() {
    RealServer broken = badServer(s -> s.setWeight(-5));
    broken.getSpec().setNodeName("rs1");
    DesiredState d =
        DesiredState.compute(
            List.of(bad(s -> {})),
            List.of(broken),
            NODES,
            "rs1",
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.7"));
    assertThat(d.addresses()).isEmpty();
    assertThat(d.problems())
        .extracting(Problem::message)
        .containsExactly("RealServer default/broken: spec.weight -5 is out of range 0..65535");
  }

  static Stream<Arguments> badVirtualServices() {
    return Stream.of(
        Arguments.of(
            "local node weight -1",
            (Consumer<VirtualServiceSpec>) s -> s.setLocalNode(localNode(-1)),
            "spec.localNode.weight -1 is out of range 0..65535"),
        Arguments.of(
            "local node weight 70000",
            (Consumer<VirtualServiceSpec>) s -> s.setLocalNode(localNode(70000)),
            "spec.localNode.weight 70000 is out of range 0..65535"),
        Arguments.of(
            "persistence timeout 0",
            (Consumer<VirtualServiceSpec>) s -> s.setPersistence(persistence(0, null, null)),
            "spec.persistence.timeoutSeconds 0 is out of range 1..2592000"),
        Arguments.of(
            "persistence timeout negative",
            (Consumer<VirtualServiceSpec>) s -> s.setPersistence(persistence(-60, null, null)),
            "spec.persistence.timeoutSeconds -60 is out of range 1..2592000"),
        Arguments.of(
            "IPv4 prefix 33",
            (Consumer<VirtualServiceSpec>) s -> s.setPersistence(persistence(60, null, 33)),
            "spec.persistence.prefixLength 33 is out of range 0..32 for an IPv4 VIP"),
        Arguments.of(
            "IPv6 prefix 0",
            (Consumer<VirtualServiceSpec>)
                s -> {
                  s.setVip("2001:db8::9");
                  s.setPersistence(persistence(60, null, 0));
                },
            "spec.persistence.prefixLength 0 is out of range 1..128 for an IPv6 VIP"),
        Arguments.of(
            "netmask with holes",
            (Consumer<VirtualServiceSpec>)
                s -> s.setPersistence(persistence(60, "255.0.255.0", null)),
            "spec.persistence.netmask 255.0.255.0 is not a contiguous IPv4 netmask"),
        Arguments.of(
            "netmask on IPv6",
            (Consumer<VirtualServiceSpec>)
                s -> {
                  s.setVip("2001:db8::9");
                  s.setPersistence(persistence(60, "255.255.255.0", null));
                },
            "spec.persistence.netmask applies to IPv4 VIPs only; use prefixLength for an IPv6"
                + " VIP"),
        Arguments.of(
            "port 0",
            (Consumer<VirtualServiceSpec>) s -> s.setPort(0),
            "spec.port 0 is out of range 1..65535"),
        Arguments.of(
            "port missing",
            (Consumer<VirtualServiceSpec>) s -> s.setPort(null),
            "spec.port is missing"),
        Arguments.of(
            "vip a host name",
            (Consumer<VirtualServiceSpec>) s -> s.setVip("localhost"),
            "spec.vip localhost is not an IP address (host names are never resolved)"),
        Arguments.of(
            "vip missing",
            (Consumer<VirtualServiceSpec>) s -> s.setVip(null),
            "spec.vip is missing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badVirtualServices")
  void badVirtualServiceFieldsAreProblemsNamingTheField(
      String name, Consumer<VirtualServiceSpec> breakIt, String problem) {
    DesiredState d = onDirector(List.of(web(), bad(breakIt)), List.of(GOOD));
    assertThat(d.services()).containsOnlyKeys(WEB_KEY);
    assertThat(d.services().get(WEB_KEY).destinations()).hasSize(1);
    assertThat(d.addresses().keySet())
        .extracting(k -> k.address().getHostAddress())
        .containsExactly("172.16.58.1");
    assertThat(d.problems()).extracting(Problem::message).containsExactly(problem);
    assertThat(d.problems()).extracting(Problem::virtualService).containsExactly(BAD);
  }

  @Test
  void ipv6PersistenceFromPrefixOneIsFine() {
    DesiredState d =
        onDirector(
            List.of(
                bad(
                    s -> {
                      s.setVip("2001:db8::9");
                      s.setPersistence(persistence(60, null, 1));
                    })),
            List.of());
    assertThat(d.problems()).extracting(Problem::message).noneMatch(m -> m.contains("prefix"));
    assertThat(d.services().values().iterator().next().service().netmask()).isEqualTo(1);
  }
}
