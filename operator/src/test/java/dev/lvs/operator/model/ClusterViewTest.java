package dev.lvs.operator.model;

import static dev.lvs.operator.Fixtures.NS;
import static dev.lvs.operator.Fixtures.T0;
import static dev.lvs.operator.Fixtures.director;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.rs;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.RandomWorld;
import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.Protocol;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Comparator;
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
  void aServiceBeingDeletedCompetesWithNone() {
    VirtualService older = vs("b", "older", "10.0.0.1", 80, T0);
    VirtualService newer = vs("a", "newer", "10.0.0.1", 80, T0.plusSeconds(5));
    VirtualService newest = vs("a", "newest", "10.0.0.1", 80, T0.plusSeconds(9));
    older.getMetadata().setDeletionTimestamp(T0.plusSeconds(60).toString());
    ClusterView view = new ClusterView(List.of(newest, newer, older), List.of(), List.of());
    assertThat(view.conflictWinner(newer)).isEmpty();
    assertThat(view.conflictWinner(newest)).contains(newer);
    assertThat(view.isConflictLoser(older)).isFalse();
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

  @Test
  void indexedAnswersEqualAScanOfEveryObject() {
    RandomWorld random = new RandomWorld(7L);
    int nonEmpty = 0;
    for (int trial = 0; trial < 300; trial++) {
      RandomWorld.World world = random.world();
      List<VirtualService> vss = world.virtualServices();
      List<RealServer> rss = world.realServers();
      List<Node> nodes = world.nodeObjects();
      ClusterView view = world.view();
      for (VirtualService vs : vss) {
        var selected =
            rss.stream()
                .filter(
                    rs -> rs.getMetadata().getNamespace().equals(vs.getMetadata().getNamespace()))
                .filter(
                    rs ->
                        LabelSelectors.matches(
                            vs.getSpec().getRealServerSelector(), rs.getMetadata().getLabels()))
                .sorted(Comparator.comparing(rs -> rs.getMetadata().getName()))
                .toList();
        assertThat(view.selectedRealServers(vs)).isEqualTo(selected);
        nonEmpty += selected.size();
        var directors =
            nodes.stream()
                .filter(
                    n ->
                        LabelSelectors.matches(
                            vs.getSpec().getDirectors(), n.getMetadata().getLabels()))
                .map(n -> n.getMetadata().getName())
                .sorted()
                .toList();
        assertThat(view.directorNodes(vs)).isEqualTo(directors);
        var sameKey =
            vss.stream()
                .filter(o -> ServiceKey.of(o).equals(ServiceKey.of(vs)))
                .sorted(ClusterView.OLDEST_FIRST)
                .toList();
        assertThat(view.sameKey(vs)).isEqualTo(sameKey);
        var vip =
            vss.stream()
                .filter(
                    o ->
                        IpAddresses.canonical(o.getSpec().getVip())
                            .equals(IpAddresses.canonical(vs.getSpec().getVip())))
                .sorted(ClusterView.OLDEST_FIRST)
                .toList();
        assertThat(view.withVip(vs.getSpec().getVip())).isEqualTo(vip);
      }
      for (RealServer rs : rss) {
        var selecting =
            vss.stream()
                .filter(
                    vs -> vs.getMetadata().getNamespace().equals(rs.getMetadata().getNamespace()))
                .filter(
                    vs ->
                        LabelSelectors.matches(
                            vs.getSpec().getRealServerSelector(), rs.getMetadata().getLabels()))
                .sorted(ClusterView.OLDEST_FIRST)
                .toList();
        assertThat(view.selecting(rs)).isEqualTo(selecting);
        var reporting =
            vss.stream()
                .filter(
                    vs -> vs.getMetadata().getNamespace().equals(rs.getMetadata().getNamespace()))
                .filter(
                    vs ->
                        vs.getStatus().getNodes().values().stream()
                            .anyMatch(
                                r ->
                                    r.getRealServerGenerations()
                                        .containsKey(rs.getMetadata().getName())))
                .sorted(ClusterView.OLDEST_FIRST)
                .toList();
        assertThat(view.reporting(rs)).isEqualTo(reporting);
      }
      for (Node node : nodes) {
        String name = node.getMetadata().getName();
        var directing =
            vss.stream()
                .filter(
                    vs ->
                        LabelSelectors.matches(
                            vs.getSpec().getDirectors(), node.getMetadata().getLabels()))
                .sorted(ClusterView.OLDEST_FIRST)
                .toList();
        assertThat(view.directing(node)).isEqualTo(directing);
        assertThat(view.realServersOn(name))
            .containsExactlyInAnyOrderElementsOf(
                rss.stream().filter(rs -> name.equals(rs.getSpec().getNodeName())).toList());
      }
      for (String address : List.of("10.0.0.1", "10.1.0.1", "10.9.0.1", "fd00::1", "fd00::2")) {
        var at =
            rss.stream()
                .filter(
                    rs ->
                        rs.getSpec().getAddress() == null
                            ? view.node(rs.getSpec().getNodeName())
                                .map(n -> Nodes.internalIps(n).contains(address))
                                .orElse(false)
                            : address.equals(rs.getSpec().getAddress()))
                .toList();
        assertThat(view.realServersAt(address)).containsExactlyInAnyOrderElementsOf(at);
      }
    }
    assertThat(nonEmpty).isGreaterThan(500);
  }

  @Test
  void aFresherCopyReplacesTheStoredOneInEveryAnswer() {
    VirtualService stored = vs("web", "10.0.0.1", 80);
    VirtualService rival = vs(NS, "rival", "10.0.0.2", 80, T0.plusSeconds(1));
    var rs1 = rs("rs1", "web", "10.1.0.1", null);
    var rs2 = rs("rs2", "db", "10.1.0.2", null);
    ClusterView view = new ClusterView(List.of(stored, rival), List.of(rs1, rs2), List.of());
    assertThat(view.conflictWinner(rival)).isEmpty();

    // The reconciler's copy has another VIP and selector than the cached one.
    VirtualService fresh = vs("web", "10.0.0.2", 80);
    fresh.getSpec().getRealServerSelector().setMatchLabels(Map.of("app", "db"));
    ClusterView withFresh = view.with(fresh);
    assertThat(withFresh.conflictWinner(rival)).contains(fresh);
    assertThat(withFresh.withVip("10.0.0.1")).isEmpty();
    assertThat(withFresh.selecting(rs2)).containsExactly(fresh);
    assertThat(withFresh.selecting(rs1)).isEmpty();
    assertThat(withFresh.virtualServices()).containsExactlyInAnyOrder(fresh, rival);

    RealServer moved = rs("rs1", "db", "10.1.0.1", "n1");
    ClusterView withMoved = withFresh.with(moved);
    assertThat(withMoved.selectedRealServers(fresh)).containsExactly(moved, rs2);
    assertThat(withMoved.realServersOn("n1")).containsExactly(moved);
    assertThat(withMoved.realServer(NS, "rs1")).contains(moved);
  }
}
