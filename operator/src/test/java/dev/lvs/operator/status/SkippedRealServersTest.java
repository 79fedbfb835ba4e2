package dev.lvs.operator.status;

import static dev.lvs.operator.Fixtures.T0;
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
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.SkippedRealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One bad RealServer among good ones: the VIP works from the others, so the service is Ready, and
 * Degraded counts the skipped ones, which status.skippedRealServers lists. The agents' messages
 * here are the agent's own (dev.lvs.agent.state.DesiredStateCalculator).
 */
class SkippedRealServersTest {
  private static final Instant NOW = T0.plusSeconds(600);
  private final StatusAggregator aggregator =
      new StatusAggregator(new DeletionGate(Duration.ofMinutes(2)));
  private final VirtualService web = vs("web", "10.0.0.1", 80);
  private final List<RealServer> servers = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>(List.of(director("d1", "10.1.0.1")));
  private final Map<String, Long> programmed = new LinkedHashMap<>();

  /** Ten RealServers by nodeName only, rs0..rs9 on n0..n9; rs9's nodeName has a typo. */
  private void tenWithATypo(boolean typoHasAddress) {
    for (int i = 0; i < 10; i++) {
      String node = i == 9 ? "n9-typo" : "n" + i;
      servers.add(rs("rs" + i, "web", i == 9 && typoHasAddress ? "10.1.0.19" : null, node));
      if (i < 9) {
        nodes.add(node("n" + i, "10.1.0.1" + i, true));
        putReport(web, "n" + i, report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
      }
      if (i < 9 || typoHasAddress) {
        programmed.put("rs" + i, 1L);
      }
    }
  }

  private ClusterView view() {
    return new ClusterView(List.of(web), servers, nodes);
  }

  private static NodeReport failed(String role, Map<String, Long> generations, String message) {
    NodeReport r = report(role, 1, "Failed", generations);
    r.setMessage(message);
    return r;
  }

  private static Condition cond(VirtualServiceStatus s, String type) {
    return Conditions.find(s.getConditions(), type).orElseThrow();
  }

  @Test
  void aTypoInOneOfTenNodeNamesLeavesTheServiceReadyAndDegraded() {
    tenWithATypo(false);
    // The director skips rs9 (no address, no node) and says so; it programmed the other nine.
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            programmed,
            "RealServer web/rs9 has no address and its node n9-typo does not exist"));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);

    assertThat(cond(s, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(cond(s, Conditions.PROGRAMMED).getStatus()).isEqualTo("True");
    assertThat(cond(s, Conditions.PROGRAMMED).getMessage()).contains("1 RealServer(s) skipped");
    Condition degraded = cond(s, Conditions.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(Reasons.REAL_SERVERS_SKIPPED);
    assertThat(degraded.getMessage())
        .contains("1 of 10 selected RealServers")
        .contains("status.skippedRealServers")
        .doesNotContain("rs9");
    assertThat(s.getSkippedRealServers())
        .extracting(SkippedRealServer::getName, SkippedRealServer::getReason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("rs9", "RealServerNodeNotFound"));
    assertThat(s.getSkippedRealServers().get(0).getMessage()).contains("n9-typo");
    assertThat(s.getRealServers()).isEqualTo("9/10");
  }

  @Test
  void aTypoWithAnAddressIsProgrammedButNotWaitedFor() {
    tenWithATypo(true);
    // The director programs rs9 at its address; no agent will ever report from n9-typo.
    putReport(web, "d1", report(LvsApi.ROLE_DIRECTOR, 1, "Applied", programmed));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);

    assertThat(cond(s, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(s.getSkippedRealServers())
        .extracting(SkippedRealServer::getName)
        .containsExactly("rs9");
    assertThat(s.getRealServers()).isEqualTo("9/10");
  }

  @Test
  void aRealKernelFailureNextToASkipStillFailsTheService() {
    tenWithATypo(false);
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            programmed,
            "RealServer web/rs9 has no address and its node n9-typo does not exist; addr: add"
                + " 10.0.0.1/32 to eth0 label eth0:lvs: File exists"));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);
    assertThat(cond(s, Conditions.READY).getReason()).isEqualTo(Reasons.AGENT_FAILED);
    assertThat(cond(s, Conditions.PROGRAMMED).getStatus()).isEqualTo("False");
  }

  @Test
  void aCutMessageMayHideAFailureSoItCountsAsOne() {
    tenWithATypo(false);
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            programmed,
            "RealServer web/rs9 has no address and its node n9-typo does not exist; RealServer"
                + " web/rs..."));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);
    assertThat(cond(s, Conditions.READY).getReason()).isEqualTo(Reasons.AGENT_FAILED);
  }

  @Test
  void serversOnlyTheAgentsSkipAreListedWithTheAgentsMessage() {
    servers.add(rs("rs1", "web", "10.1.0.7", "n7"));
    servers.add(rs("rs2", "web", "10.1.0.7", "n8")); // same address: the director skips rs2
    nodes.add(node("n7", "10.1.0.7", true));
    nodes.add(node("n8", "10.1.0.8", true));
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            Map.of("rs1", 1L),
            "RealServer web/rs2 has the same address 10.1.0.7 as web/rs1; skipped"));
    putReport(web, "n7", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    putReport(web, "n8", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);

    assertThat(cond(s, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(s.getSkippedRealServers()).hasSize(1);
    SkippedRealServer skipped = s.getSkippedRealServers().get(0);
    assertThat(skipped.getName()).isEqualTo("rs2");
    assertThat(skipped.getReason()).isEqualTo(Reasons.SKIPPED_BY_AGENT);
    assertThat(skipped.getMessage()).contains("same address").contains("node d1");
    assertThat(s.getRealServers()).isEqualTo("1/2");
  }

  @Test
  void aServerOnTheDirectorIsSkippedUnlessTheDirectorsServeLocally() {
    servers.add(rs("rs1", "web", "10.1.0.7", "n7"));
    servers.add(rs("ondir", "web", null, "d1"));
    nodes.add(node("n7", "10.1.0.7", true));
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            Map.of("rs1", 1L),
            "RealServer web/ondir is on this director node d1: Direct Routing cannot forward to"
                + " the director itself; use spec.localNode instead"));
    putReport(web, "n7", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);
    assertThat(cond(s, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(s.getSkippedRealServers())
        .extracting(SkippedRealServer::getReason)
        .containsExactly(Reasons.REAL_SERVER_ON_DIRECTOR);

    // With localNode the operator finds nothing wrong, but the director still skips the object
    // (it serves through 127.0.0.1 instead) and says so.
    VirtualServiceStatus local = aggregator.virtualService(localNode(web), view(), NOW);
    assertThat(cond(local, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(local.getSkippedRealServers())
        .extracting(SkippedRealServer::getReason)
        .containsExactly(Reasons.SKIPPED_BY_AGENT);
  }

  @Test
  void whenEverySelectedServerIsSkippedTheServiceIsNotReady() {
    servers.add(rs("ghost", "web", null, "nowhere"));
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            Map.of(),
            "RealServer web/ghost has no address and its node nowhere does not exist"));
    VirtualServiceStatus s = aggregator.virtualService(web, view(), NOW);
    Condition ready = cond(s, Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo(Reasons.REAL_SERVERS_SKIPPED);
    assertThat(cond(s, Conditions.PROGRAMMED).getStatus()).isEqualTo("True");
  }

  @Test
  void aGoodServerIsReadyWhileItsDirectorSkipsAnother() {
    tenWithATypo(false);
    putReport(
        web,
        "d1",
        failed(
            LvsApi.ROLE_DIRECTOR,
            programmed,
            "RealServer web/rs9 has no address and its node n9-typo does not exist"));
    RealServer rs0 = servers.get(0);
    setVips(rs0, "10.0.0.1");
    var status = aggregator.realServer(rs0, view(), NOW);
    assertThat(Conditions.find(status.getConditions(), Conditions.READY).orElseThrow().getStatus())
        .isEqualTo("True");
  }
}
