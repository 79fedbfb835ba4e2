package dev.lvs.operator.status;

import static dev.lvs.operator.Fixtures.T0;
import static dev.lvs.operator.Fixtures.deleting;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.putReport;
import static dev.lvs.operator.Fixtures.report;
import static dev.lvs.operator.Fixtures.rs;
import static dev.lvs.operator.Fixtures.setVips;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.model.ClusterView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionGateTest {
  private final DeletionGate gate = new DeletionGate(Duration.ofMinutes(2));

  @Test
  void aServiceWaitsForLiveReportersUntilTheTimeout() {
    var web = deleting(vs("web", "10.0.0.1", 80), T0);
    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of()));
    var view = new ClusterView(List.of(web), List.of(), List.of(node("d1", "10.1.0.1", true)));

    var waiting = gate.virtualService(web, view, T0.plusSeconds(30));
    assertThat(waiting.waitingOn()).containsExactly("d1");
    assertThat(waiting.mayRemoveFinalizer()).isFalse();
    assertThat(waiting.deadline()).isEqualTo(T0.plusSeconds(120));

    var late = gate.virtualService(web, view, T0.plusSeconds(120));
    assertThat(late.timedOut()).isTrue();
    assertThat(late.mayRemoveFinalizer()).isTrue();
  }

  @Test
  void missingOrNotReadyNodesDoNotBlock() {
    var web = deleting(vs("web", "10.0.0.1", 80), T0);
    putReport(web, "gone", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of()));
    putReport(web, "sick", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    var view = new ClusterView(List.of(web), List.of(), List.of(node("sick", "10.1.0.2", false)));
    var state = gate.virtualService(web, view, T0.plusSeconds(1));
    assertThat(state.mayRemoveFinalizer()).isTrue();
    assertThat(state.timedOut()).isFalse();
    assertThat(state.goneAgents()).containsOnlyKeys("gone", "sick");
    assertThat(state.goneMessage()).contains("does not exist").contains("not Ready");
  }

  @Test
  void aRealServerWaitsForDirectorsListingItAndForItsNodesVips() {
    var rs1 = deleting(rs("rs1", "web", "10.1.0.7", "n7"), T0);
    var web = vs("web", "10.0.0.1", 80);
    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of("rs1", 1L)));
    putReport(web, "d2", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of("other", 1L)));
    setVips(rs1, "10.0.0.1");
    var nodes =
        List.of(
            node("d1", "10.1.0.1", true),
            node("d2", "10.1.0.2", true),
            node("n7", "10.1.0.7", true));
    var state = gate.realServer(rs1, new ClusterView(List.of(web), List.of(rs1), nodes), T0);
    assertThat(state.waitingOn()).containsExactly("d1", "n7");

    web.getStatus().getNodes().get("d1").setRealServerGenerations(Map.of());
    setVips(rs1);
    state = gate.realServer(rs1, new ClusterView(List.of(web), List.of(rs1), nodes), T0);
    assertThat(state.mayRemoveFinalizer()).isTrue();
    assertThat(state.goneAgents()).isEmpty();
  }
}
