package dev.lvs.operator.status;

import static dev.lvs.operator.Fixtures.T0;
import static dev.lvs.operator.Fixtures.deleting;
import static dev.lvs.operator.Fixtures.director;
import static dev.lvs.operator.Fixtures.localNode;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.putReport;
import static dev.lvs.operator.Fixtures.report;
import static dev.lvs.operator.Fixtures.rs;
import static dev.lvs.operator.Fixtures.setVips;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import dev.lvs.operator.events.ConditionEvents;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant NOW = T0.plusSeconds(600);
  private final StatusAggregator aggregator =
      new StatusAggregator(new DeletionGate(Duration.ofMinutes(2)));

  private final VirtualService web = vs("web", "10.0.0.1", 80);
  private final RealServer rs1 = rs("rs1", "web", "10.1.0.7", "n7");
  private final RealServer rs2 = rs("rs2", "web", "10.1.0.8", "n8");
  private final List<Node> nodes =
      new ArrayList<>(
          List.of(
              director("d1", "10.1.0.1"),
              node("n7", "10.1.0.7", true),
              node("n8", "10.1.0.8", true)));

  private ClusterView view(VirtualService... services) {
    return new ClusterView(List.of(services), List.of(rs1, rs2), nodes);
  }

  private void allAgentsApplied(VirtualService vs) {
    long g = vs.getMetadata().getGeneration();
    putReport(vs, "d1", report(LvsApi.ROLE_DIRECTOR, g, "Applied", Map.of("rs1", 1L, "rs2", 1L)));
    putReport(vs, "n7", report(LvsApi.ROLE_REAL_SERVER, g, "Applied", Map.of()));
    putReport(vs, "n8", report(LvsApi.ROLE_REAL_SERVER, g, "Applied", Map.of()));
  }

  private static Condition cond(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).orElseThrow();
  }

  @Test
  void withoutAgentReportsTheServiceIsNotReady() {
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(s.getDirectorNodes()).containsExactly("d1");
    assertThat(s.getRealServerNodes()).containsExactly("n7", "n8");
    assertThat(s.getRealServers()).isEqualTo("0/2");
    assertThat(s.getTotalRealServers()).isEqualTo(2);
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(Reasons.AGENTS_PENDING);
    // Count-based: a message that named the pending nodes changed with every agent's report, and
    // grew with the cluster; status.nodes says which node applied what.
    assertThat(ready.getMessage())
        .isEqualTo(
            "waiting for 3 of 3 agents (1 director, 2 real-server nodes) to apply generation 1;"
                + " status.nodes shows what each has applied");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(cond(s.getConditions(), Conditions.CONFLICT).getStatus()).isEqualTo("False");
    assertThat(s.getNodes()).as("agent-owned, never written by the operator").isEmpty();
  }

  @Test
  void readyWhenEveryDirectorAndRealServerNodeAppliedTheCurrentGenerations() {
    allAgentsApplied(web);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo(Reasons.ALL_AGENTS_APPLIED);
    assertThat(ready.getLastTransitionTime()).isEqualTo(NOW.toString());
    assertThat(cond(s.getConditions(), Conditions.PROGRAMMED).getStatus()).isEqualTo("True");
    assertThat(s.getRealServers()).isEqualTo("2/2");
    assertThat(s.getReadyRealServers()).isEqualTo(2);
  }

  private static dev.lvs.operator.api.v1alpha1.VipPool pool(String... addresses) {
    var p = new dev.lvs.operator.api.v1alpha1.VipPool();
    p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("lan").build());
    var spec = new dev.lvs.operator.api.v1alpha1.VipPoolSpec();
    spec.setAddresses(List.of(addresses));
    p.setSpec(spec);
    return p;
  }

  @Test
  void aVipInNoPoolIsNotReadyWithEnforceAndUnchangedWithWarn() {
    allAgentsApplied(web);
    var outside = List.of(pool("10.9.0.0/24"));
    var enforce = dev.lvs.operator.pools.VipCheck.of("Enforce", outside, List.of(), nodes);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW, enforce);
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("VipNotInPool");
    assertThat(ready.getMessage())
        .isEqualTo(
            "spec.vip: 10.0.0.1 is in no VipPool that admits namespace web; pools considered:"
                + " lan (does not contain it); the agents refuse it with --vip-pools=Enforce");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getReason()).isEqualTo("VipNotInPool");

    var warn = dev.lvs.operator.pools.VipCheck.of("Warn", outside, List.of(), nodes);
    VirtualServiceStatus w = aggregator.virtualService(web, view(web), NOW, warn);
    // Warn (the upgrade default) leaves the status as it was: the agents program the VIP.
    assertThat(cond(w.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(cond(w.getConditions(), Conditions.DEGRADED).getStatus()).isEqualTo("False");

    var inside =
        dev.lvs.operator.pools.VipCheck.of(
            "Enforce", List.of(pool("10.0.0.0/24")), List.of(), nodes);
    VirtualServiceStatus ok = aggregator.virtualService(web, view(web), NOW, inside);
    assertThat(cond(ok.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(cond(ok.getConditions(), Conditions.DEGRADED).getStatus()).isEqualTo("False");
  }

  @Test
  void aVipThatIsANodesAddressIsNotReadyInEveryMode() {
    VirtualService steal = vs("steal", "10.1.0.8", 80);
    allAgentsApplied(steal);
    for (String mode : List.of("Enforce", "Warn")) {
      var check =
          dev.lvs.operator.pools.VipCheck.of(mode, List.of(pool("10.0.0.0/8")), List.of(), nodes);
      Condition ready =
          cond(
              aggregator.virtualService(steal, view(steal), NOW, check).getConditions(),
              Conditions.READY);
      assertThat(ready.getReason()).as(mode).isEqualTo("VipForbidden");
      assertThat(ready.getMessage())
          .isEqualTo(
              "spec.vip: 10.1.0.8 is the address of node n8: never a VIP; the agents refuse it");
    }
  }

  @Test
  void aDirectorWithAnOldRealServerGenerationKeepsTheServiceNotReady() {
    allAgentsApplied(web);
    rs2.getMetadata().setGeneration(2L);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(cond(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(cond(s.getConditions(), Conditions.READY).getMessage())
        .startsWith("waiting for 1 of 3 agents")
        .doesNotContain("d1");
    assertThat(s.getRealServers()).isEqualTo("1/2");
  }

  @Test
  void aNewServiceGenerationIsNotReadyUntilAgentsCatchUp() {
    allAgentsApplied(web);
    web.getMetadata().setGeneration(2L);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(cond(s.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.AGENTS_PENDING);
    assertThat(s.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void lastTransitionTimeChangesOnlyWhenTheStatusFlips() {
    allAgentsApplied(web);
    web.setStatus(withNodes(aggregator.virtualService(web, view(web), NOW), web));
    VirtualServiceStatus later = aggregator.virtualService(web, view(web), NOW.plusSeconds(60));
    assertThat(cond(later.getConditions(), Conditions.READY).getLastTransitionTime())
        .isEqualTo(NOW.toString());
    assertThat(StatusAggregator.operatorPart(web.getStatus())).isEqualTo(later);

    web.getStatus().getNodes().remove("n8");
    VirtualServiceStatus flipped = aggregator.virtualService(web, view(web), NOW.plusSeconds(90));
    assertThat(cond(flipped.getConditions(), Conditions.READY).getLastTransitionTime())
        .isEqualTo(NOW.plusSeconds(90).toString());
    assertThat(cond(flipped.getConditions(), Conditions.CONFLICT).getLastTransitionTime())
        .as("Conflict stayed False")
        .isEqualTo(NOW.toString());
  }

  @Test
  void theYoungerOfTwoServicesWithTheSameVipPortProtocolGetsConflictNamingTheWinner() {
    VirtualService copy = vs("web", "copy", "10.0.0.1", 80, T0.plusSeconds(10));
    VirtualServiceStatus s = aggregator.virtualService(copy, view(web, copy), NOW);
    Condition conflict = cond(s.getConditions(), Conditions.CONFLICT);
    assertThat(conflict.getStatus()).isEqualTo("True");
    assertThat(conflict.getReason()).isEqualTo(Reasons.DUPLICATE_VIRTUAL_SERVICE);
    assertThat(conflict.getMessage()).contains("web/web").contains("10.0.0.1:80/TCP");
    assertThat(cond(s.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.CONFLICT_LOST);
    VirtualServiceStatus winner = aggregator.virtualService(web, view(web, copy), NOW);
    assertThat(cond(winner.getConditions(), Conditions.CONFLICT).getStatus()).isEqualTo("False");
  }

  @Test
  void whenTheOlderServiceIsBeingDeletedTheYoungerOwnsTheKeyAtOnce() {
    // The agents drop a service being deleted before resolving conflicts: the younger one is
    // programmed from then on, so its status must not say it lost.
    VirtualService copy = vs("web", "copy", "10.0.0.1", 80, T0.plusSeconds(10));
    deleting(web, NOW.minusSeconds(5));
    VirtualServiceStatus s = aggregator.virtualService(copy, view(web, copy), NOW);
    assertThat(cond(s.getConditions(), Conditions.CONFLICT).getStatus()).isEqualTo("False");
    assertThat(cond(s.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.AGENTS_PENDING);
    assertThat(s.getDirectorNodes()).containsExactly("d1");
  }

  @Test
  void aRealServerSelectedOnlyByAServiceBeingDeletedWaitsForNoDirector() {
    allAgentsApplied(web);
    setVips(rs1, "10.0.0.1");
    deleting(web, NOW.minusSeconds(5));
    RealServerStatus r = aggregator.realServer(rs1, view(web), NOW);
    assertThat(cond(r.getConditions(), Conditions.READY).getMessage())
        .as("no agent programs rs1 for a service being deleted")
        .contains("no VirtualService in namespace web selects this RealServer");
  }

  @Test
  void aRealServerBeingDeletedIsNoLongerExpectedFromTheDirectors() {
    // The directors' agents drop rs2 as soon as it is being deleted and report rs1 only.
    long g = web.getMetadata().getGeneration();
    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, g, "Applied", Map.of("rs1", 1L)));
    putReport(web, "n7", report(LvsApi.ROLE_REAL_SERVER, g, "Applied", Map.of()));
    deleting(rs2, NOW.minusSeconds(5));
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(cond(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(s.getRealServers()).isEqualTo("1/1");
    assertThat(s.getRealServerNodes()).containsExactly("n7");
  }

  @Test
  void crossObjectProblemsAreDegradedWithActionableMessages() {
    VirtualService lonely = vs("lonely", "10.0.0.2", 80);
    lonely.getSpec().getDirectors().setMatchLabels(Map.of("role", "nobody"));
    VirtualServiceStatus s = aggregator.virtualService(lonely, view(lonely), NOW);
    Condition degraded = cond(s.getConditions(), Conditions.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(Reasons.NO_DIRECTOR_NODES);
    assertThat(degraded.getMessage())
        .contains("spec.directors matches no node")
        .contains("role=nobody")
        .contains("spec.realServerSelector selects no RealServer")
        .contains("app=lonely");
    assertThat(cond(s.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.NO_DIRECTOR_NODES);
  }

  @Test
  void realServerProblemsShowOnTheServiceAsSkippedRealServers() {
    RealServer ghost = rs("ghost", "web", "10.1.0.9", "no-such-node");
    RealServer vipAddr = rs("vip", "web", "10.0.0.1", null);
    RealServer onDirector = rs("ondir", "web", "10.1.0.1", "d1");
    ClusterView view =
        new ClusterView(List.of(web), List.of(rs1, ghost, vipAddr, onDirector), nodes);
    VirtualServiceStatus s = aggregator.virtualService(web, view, NOW);
    Condition degraded = cond(s.getConditions(), Conditions.DEGRADED);
    assertThat(degraded.getReason()).isEqualTo(Reasons.REAL_SERVERS_SKIPPED);
    assertThat(degraded.getMessage()).startsWith("3 of 4 selected RealServers");
    assertThat(s.getSkippedRealServers())
        .extracting(k -> k.getName() + " " + k.getReason() + ": " + k.getMessage())
        .containsExactly(
            "ghost RealServerNodeNotFound: spec.nodeName no-such-node is not a node of the"
                + " cluster",
            "ondir RealServerOnDirector: on node d1, a director of this service; Direct Routing"
                + " cannot forward to the director itself: move the RealServer to another node,"
                + " or set spec.localNode.enabled to let the directors serve locally",
            "vip RealServerAddressIsVip: address 10.0.0.1 is the VIP of VirtualService web/web;"
                + " a real server needs its own address (RIP)");

    VirtualServiceStatus local = aggregator.virtualService(localNode(web), view, NOW);
    assertThat(local.getSkippedRealServers())
        .extracting(k -> k.getName())
        .containsExactly("ghost", "vip");
  }

  @Test
  void aFailedAgentDegradesTheService() {
    allAgentsApplied(web);
    var failed = report(LvsApi.ROLE_DIRECTOR, 1, "Failed", Map.of());
    failed.setMessage("ip_vs module missing");
    putReport(web, "d1", failed);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getReason())
        .isEqualTo(Reasons.AGENT_FAILED);
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getMessage())
        .contains("node d1: Failed (ip_vs module missing)");
    assertThat(cond(s.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.AGENT_FAILED);
  }

  @Test
  void aDeletedServiceIsTerminatingAndNamesTheAgentsItWaitsFor() {
    allAgentsApplied(web);
    deleting(web, NOW.minusSeconds(10));
    nodes.removeIf(n -> n.getMetadata().getName().equals("n8"));
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getReason()).isEqualTo(Reasons.TERMINATING);
    assertThat(ready.getMessage()).contains("d1, n7").doesNotContain("n8");
    Condition degraded = cond(s.getConditions(), Conditions.DEGRADED);
    assertThat(degraded.getMessage()).contains("node n8 does not exist");
  }

  @Test
  void realServerStatusResolvesItsAddressAndFollowsTheAgents() {
    RealServer byNode = rs("rs1", "web", null, "n7");
    ClusterView view = new ClusterView(List.of(web), List.of(byNode), nodes);
    RealServerStatus s = aggregator.realServer(byNode, view, NOW);
    assertThat(s.getAddress()).isEqualTo("10.1.0.7");
    assertThat(cond(s.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.AGENTS_PENDING);
    // Count-based, as for VirtualServices: no node names that change with every report.
    assertThat(cond(s.getConditions(), Conditions.READY).getMessage())
        .isEqualTo(
            "waiting for 1 director report and this node's VIPs (1 VirtualService):"
                + " the VirtualServices' status.nodes and this status.vips show what is applied");

    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of("rs1", 1L)));
    setVips(byNode, "10.0.0.1");
    s = aggregator.realServer(byNode, new ClusterView(List.of(web), List.of(byNode), nodes), NOW);
    assertThat(cond(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(s.getVips()).as("agent-owned").isEmpty();
  }

  @Test
  void realServerProblems() {
    RealServer ghost = rs("ghost", "web", null, "no-such-node");
    RealServer unselected = rs("idle", "nobody", "10.1.0.50", null);
    RealServer onDirector = rs("ondir", "web", "10.1.0.1", "d1");
    ClusterView view = new ClusterView(List.of(web), List.of(ghost, unselected, onDirector), nodes);
    RealServerStatus g = aggregator.realServer(ghost, view, NOW);
    assertThat(cond(g.getConditions(), Conditions.READY).getReason())
        .isEqualTo(Reasons.NODE_NOT_FOUND);
    assertThat(cond(g.getConditions(), Conditions.DEGRADED).getMessage())
        .contains("no-such-node is not a node");
    assertThat(
            cond(aggregator.realServer(unselected, view, NOW).getConditions(), Conditions.READY)
                .getReason())
        .isEqualTo(Reasons.NOT_SELECTED);
    assertThat(
            cond(aggregator.realServer(onDirector, view, NOW).getConditions(), Conditions.DEGRADED)
                .getReason())
        .isEqualTo(Reasons.ON_DIRECTOR_NODE);
  }

  @Test
  void operatorPartDropsAgentOwnedFields() {
    allAgentsApplied(web);
    assertThat(StatusAggregator.operatorPart(web.getStatus()).getNodes()).isEmpty();
    setVips(rs1, "10.0.0.1");
    assertThat(StatusAggregator.operatorPart(rs1.getStatus()).getVips()).isEmpty();
  }

  @Test
  void nullsFromTheApiNeverThrow() {
    VirtualService bare = vs("bare", "10.0.0.9", 80);
    bare.getSpec().setDirectors(null);
    bare.getSpec().setRealServerSelector(null);
    bare.setStatus(new VirtualServiceStatus());
    bare.getStatus().setNodes(null);
    bare.getStatus().setConditions(null);
    RealServer noSpec = rs("nospec", "web", null, null);
    noSpec.setSpec(null);
    ClusterView view = new ClusterView(List.of(bare), List.of(noSpec), List.of());
    assertThat(aggregator.virtualService(bare, view, NOW).getConditions()).hasSize(4);
    assertThat(aggregator.realServer(noSpec, view, NOW).getConditions()).hasSize(2);
  }

  // ------------------------------------------------- real servers on lost (not Ready) nodes

  /** Replaces node {@code name} in the view by a copy whose Ready condition is {@code ready}. */
  private void setReady(String name, String ready) {
    nodes.replaceAll(
        n -> {
          if (!n.getMetadata().getName().equals(name)) {
            return n;
          }
          Node copy = new NodeBuilder(n).build();
          copy.getStatus().getConditions().stream()
              .filter(c -> c.getType().equals("Ready"))
              .forEach(c -> c.setStatus(ready));
          return copy;
        });
  }

  @Test
  void aRealServerOnALostNodeIsNotCountedAndDegradesTheServiceWhichStaysReady() {
    allAgentsApplied(web);
    setReady("n8", "Unknown");
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(s.getRealServers()).isEqualTo("1/2");
    assertThat(s.getReadyRealServers()).isEqualTo(1);
    assertThat(s.getTotalRealServers()).isEqualTo(2);
    assertThat(s.getRealServerNodes()).containsExactly("n7", "n8");
    Condition degraded = cond(s.getConditions(), Conditions.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(Reasons.REAL_SERVER_NODE_NOT_READY);
    assertThat(degraded.getMessage())
        .isEqualTo(
            "RealServer rs2: node n8 is not Ready (Ready=Unknown); the directors give it weight"
                + " 0, so it gets no new connections until the node is Ready again");
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).as("rs1 still serves").isEqualTo("True");
    assertThat(ready.getMessage())
        .contains("1 director(s) and 1 real-server node(s)")
        .contains("not waiting for real-server node(s) n8, not Ready");
  }

  @Test
  void aLostNodesStaleReportDoesNotHoldBackANewGeneration() {
    allAgentsApplied(web);
    setReady("n8", "False");
    web.getMetadata().setGeneration(2L);
    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, 2, "Applied", Map.of("rs1", 1L, "rs2", 1L)));
    putReport(web, "n7", report(LvsApi.ROLE_REAL_SERVER, 2, "Applied", Map.of()));
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(cond(s.getConditions(), Conditions.PROGRAMMED).getStatus()).isEqualTo("True");
    assertThat(cond(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getMessage())
        .contains("node n8 is not Ready (Ready=False)");
  }

  @Test
  void whenEveryRealServerNodeIsLostTheServiceIsNotReadyUnlessTheDirectorsServeLocally() {
    allAgentsApplied(web);
    setReady("n7", "Unknown");
    setReady("n8", "Unknown");
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(s.getRealServers()).isEqualTo("0/2");
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(Reasons.REAL_SERVER_NODE_NOT_READY);
    assertThat(ready.getMessage()).contains("rs1 on n7: Ready=Unknown, rs2 on n8: Ready=Unknown");
    assertThat(cond(s.getConditions(), Conditions.PROGRAMMED).getStatus()).isEqualTo("True");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getMessage())
        .contains("RealServer rs1: node n7", "RealServer rs2: node n8");

    VirtualServiceStatus local = aggregator.virtualService(localNode(web), view(web), NOW);
    assertThat(cond(local.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void conditionsClearAndEventsFollowWhenTheNodeIsReadyAgain() {
    allAgentsApplied(web);
    web.setStatus(withNodes(aggregator.virtualService(web, view(web), NOW), web));
    setReady("n8", "Unknown");
    VirtualServiceStatus lost = aggregator.virtualService(web, view(web), NOW.plusSeconds(60));
    assertThat(ConditionEvents.between(web.getStatus().getConditions(), lost.getConditions()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(ConditionEvents.WARNING);
              assertThat(e.reason()).isEqualTo(Reasons.REAL_SERVER_NODE_NOT_READY);
            });
    web.setStatus(withNodes(lost, web));

    setReady("n8", "True");
    VirtualServiceStatus back = aggregator.virtualService(web, view(web), NOW.plusSeconds(120));
    assertThat(cond(back.getConditions(), Conditions.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(back.getRealServers()).isEqualTo("2/2");
    assertThat(cond(back.getConditions(), Conditions.READY).getLastTransitionTime())
        .as("Ready never flipped")
        .isEqualTo(NOW.toString());
    assertThat(ConditionEvents.between(lost.getConditions(), back.getConditions()))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reasons.RESOLVED));
  }

  @Test
  void aNodeWithoutConditionsIsNotLost() {
    allAgentsApplied(web);
    nodes.replaceAll(
        n ->
            n.getMetadata().getName().equals("n8")
                ? new NodeBuilder(n).editStatus().withConditions().endStatus().build()
                : n);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(s.getRealServers()).isEqualTo("2/2");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getStatus()).isEqualTo("False");
    setVips(rs2, "10.0.0.1");
    assertThat(
            cond(aggregator.realServer(rs2, view(web), NOW).getConditions(), Conditions.READY)
                .getStatus())
        .isEqualTo("True");
  }

  @Test
  void aRealServerOnALostNodeIsNotReadyAndSaysWhyAndIsReadyAgainWhenTheNodeIs() {
    allAgentsApplied(web);
    setVips(rs2, "10.0.0.1");
    setReady("n8", "Unknown");
    RealServerStatus s = aggregator.realServer(rs2, view(web), NOW);
    Condition ready = cond(s.getConditions(), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(Reasons.NODE_NOT_READY);
    assertThat(ready.getMessage())
        .isEqualTo(
            "node n8 is not Ready (Ready=Unknown): the directors of web give it weight 0, so it"
                + " gets no new connections until the node is Ready again");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getStatus())
        .as("nothing to fix in the RealServer itself")
        .isEqualTo("False");
    assertThat(s.getAddress()).isEqualTo("10.1.0.8");
    assertThat(
            cond(aggregator.realServer(rs1, view(web), NOW).getConditions(), Conditions.READY)
                .getReason())
        .as("a RealServer on another node is untouched")
        .isNotEqualTo(Reasons.NODE_NOT_READY);

    setReady("n8", "True");
    assertThat(
            cond(aggregator.realServer(rs2, view(web), NOW).getConditions(), Conditions.READY)
                .getStatus())
        .isEqualTo("True");
  }

  @Test
  void anAddressOnlyRealServerHasNoNodeToLose() {
    RealServer ext = rs("ext", "web", "10.1.0.60", null);
    setReady("n7", "Unknown");
    setReady("n8", "Unknown");
    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of("ext", 1L)));
    ClusterView view = new ClusterView(List.of(web), List.of(ext), nodes);
    assertThat(
            cond(aggregator.realServer(ext, view, NOW).getConditions(), Conditions.READY)
                .getStatus())
        .isEqualTo("True");
    VirtualServiceStatus s = aggregator.virtualService(web, view, NOW);
    assertThat(s.getRealServers()).isEqualTo("1/1");
    assertThat(cond(s.getConditions(), Conditions.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(cond(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("True");
  }

  private static VirtualServiceStatus withNodes(VirtualServiceStatus s, VirtualService vs) {
    s.setNodes(vs.getStatus().getNodes());
    return s;
  }
}
