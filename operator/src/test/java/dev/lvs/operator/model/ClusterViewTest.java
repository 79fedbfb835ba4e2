package dev.lvs.operator.model;

import static dev.lvs.operator.Fixtures.NS;
import static dev.lvs.operator.Fixtures.T0;
import static dev.lvs.operator.Fixtures.director;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.rs;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.Protocol;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

  @Test
  void oldestServiceWinsAConflict() {
    VirtualService older = vs("b", "older", "10.0.0.1", 80, T0);
    VirtualService newer = vs("a", "newer", "10.0.0.1", 80, T0.plusSeconds(5));
    ClusterView view = new ClusterView(List.of(newer, older), List.of(), List.of());
    assertThat(view.conflictWinner(older)).isEmpty();
    assertThat(view.conflictWinner(newer)).contains(older);
    assertThat(view.isConflictLoser(newer)).isTrue();
  }

  @Test
  void sameCreationTimeFallsBackToNamespaceThenName() {
    VirtualService a = vs("ns-a", "z", "10.0.0.1", 80, T0);
    VirtualService b = vs("ns-b", "a", "10.0.0.1", 80, T0);
    ClusterView view = new ClusterView(List.of(b, a), List.of(), List.of());
    assertThat(view.conflictWinner(b)).contains(a);
    assertThat(view.conflictWinner(a)).isEmpty();
  }

  @Test
  void differentPortOrProtocolIsNoConflict() {
    VirtualService tcp = vs("n", "tcp", "10.0.0.1", 80, T0);
    VirtualService udp = vs("n", "udp", "10.0.0.1", 80, T0.plusSeconds(1));
    udp.getSpec().setProtocol(Protocol.UDP);
    VirtualService other = vs("n", "p81", "10.0.0.1", 81, T0.plusSeconds(1));
    ClusterView view = new ClusterView(List.of(tcp, udp, other), List.of(), List.of());
    assertThat(view.isConflictLoser(udp)).isFalse();
    assertThat(view.isConflictLoser(other)).isFalse();
  }

  @Test
  void ipv6VipsCompareInCanonicalForm() {
    VirtualService a = vs("n", "a", "2001:db8::1", 443, T0);
    VirtualService b = vs("n", "b", "2001:DB8:0:0::1", 443, T0.plusSeconds(1));
    ClusterView view = new ClusterView(List.of(a, b), List.of(), List.of());
    assertThat(view.conflictWinner(b)).contains(a);
    assertThat(IpAddresses.canonical("2001:0db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddresses.canonical("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(IpAddresses.canonical("not-an-ip.example")).isEqualTo("not-an-ip.example");
  }

  @Test
  void selectsDirectorsByNodeLabelsAndServersByLabelsInTheSameNamespace() {
    VirtualService web = vs("web", "10.0.0.1", 80);
    var mine = rs("rs1", "web", "10.1.0.7", null);
    var otherApp = rs("rs2", "db", "10.1.0.8", null);
    var otherNs = rs("rs3", "web", "10.1.0.9", null);
    otherNs.getMetadata().setNamespace("elsewhere");
    ClusterView view =
        new ClusterView(
            List.of(web),
            List.of(mine, otherApp, otherNs),
            List.of(
                director("d2", "10.1.0.2"),
                director("d1", "10.1.0.1"),
                node("w", "10.1.0.3", true)));
    assertThat(view.directorNodes(web)).containsExactly("d1", "d2");
    assertThat(view.selectedRealServers(web)).containsExactly(mine);
    assertThat(view.selecting(mine)).containsExactly(web);
    assertThat(view.selecting(otherNs)).isEmpty();
  }

  @Test
  void labelSelectorExpressions() {
    var sel =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("In")
            .withValues("a", "b")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("spare")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();
    assertThat(LabelSelectors.matches(sel, Map.of("zone", "a"))).isTrue();
    assertThat(LabelSelectors.matches(sel, Map.of("zone", "c"))).isFalse();
    assertThat(LabelSelectors.matches(sel, Map.of("zone", "a", "spare", ""))).isFalse();
    assertThat(LabelSelectors.matches(null, Map.of())).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().build(), Map.of())).isTrue();
    var bogus =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("x")
            .withOperator("Like")
            .endMatchExpression()
            .build();
    assertThat(LabelSelectors.matches(bogus, Map.of("x", "y"))).isFalse();
  }

  @Test
  void resolvesAddressFromSpecOrNodeInternalIpOfTheVipFamily() {
    var byNode = rs("a", "web", null, "n1");
    var bySpec = rs("b", "web", "10.9.9.9", "n1");
    var dual = node("n1", "10.1.0.5", true);
    dual.getStatus()
        .getAddresses()
        .add(new io.fabric8.kubernetes.api.model.NodeAddress("fd00::5", "InternalIP"));
    ClusterView view = new ClusterView(List.of(), List.of(byNode, bySpec), List.of(dual));
    assertThat(view.resolvedAddress(byNode, false)).contains("10.1.0.5");
    assertThat(view.resolvedAddress(byNode, true)).contains("fd00::5");
    assertThat(view.resolvedAddress(bySpec, false)).contains("10.9.9.9");
    assertThat(view.agentAlive("n1")).isTrue();
    assertThat(view.agentGoneReason("ghost")).contains("node ghost does not exist");
    assertThat(NS).isEqualTo("web");
  }
}
