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
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
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
    assertThat(ready.getMessage()).contains("d1, n7, n8").contains("generation 1");
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

  @Test
  void aDirectorWithAnOldRealServerGenerationKeepsTheServiceNotReady() {
    allAgentsApplied(web);
    rs2.getMetadata().setGeneration(2L);
    VirtualServiceStatus s = aggregator.virtualService(web, view(web), NOW);
    assertThat(cond(s.getConditions(), Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(cond(s.getConditions(), Conditions.READY).getMessage()).contains("d1");
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
  void realServerProblemsShowOnTheService() {
    RealServer ghost = rs("ghost", "web", "10.1.0.9", "no-such-node");
    RealServer vipAddr = rs("vip", "web", "10.0.0.1", null);
    RealServer onDirector = rs("ondir", "web", "10.1.0.1", "d1");
    ClusterView view =
        new ClusterView(List.of(web), List.of(rs1, ghost, vipAddr, onDirector), nodes);
    VirtualServiceStatus s = aggregator.virtualService(web, view, NOW);
    Condition degraded = cond(s.getConditions(), Conditions.DEGRADED);
    assertThat(degraded.getReason()).isEqualTo(Reasons.REAL_SERVER_NODE_NOT_FOUND);
    assertThat(degraded.getMessage())
        .contains("RealServer ghost: spec.nodeName no-such-node is not a node")
        .contains("RealServer vip: address 10.0.0.1 is the VIP of VirtualService web/web")
        .contains("RealServer ondir is on node d1, a director of this service");

    VirtualServiceStatus local = aggregator.virtualService(localNode(web), view, NOW);
    assertThat(cond(local.getConditions(), Conditions.DEGRADED).getMessage())
        .doesNotContain("ondir");
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

  private static VirtualServiceStatus withNodes(VirtualServiceStatus s, VirtualService vs) {
    s.setNodes(vs.getStatus().getNodes());
    return s;
  }
}
