package dev.lvs.agent.report;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static dev.lvs.agent.fake.TestObjects.web;
import static dev.lvs.agent.fake.TestObjects.withReady;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.sync.ApplyResult;
import dev.lvs.agent.sync.Plan;
import dev.lvs.agent.sync.Step;
import dev.lvs.agent.sync.SyncResult;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import io.fabric8.kubernetes.api.model.Node;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportsTest {
  static final List<Node> NODES =
      List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7"));

  static SyncResult result(String nodeName, List<VirtualService> vs, List<RealServer> servers) {
    return result(nodeName, vs, servers, NODES);
  }

  static SyncResult result(
      String nodeName, List<VirtualService> vs, List<RealServer> servers, List<Node> nodes) {
    DesiredState d =
        DesiredState.compute(
            vs,
            servers,
            nodes,
            nodeName,
            AgentSettings.COMMAND_LINE,
            HostInterfaces.of("eth0", "172.16.58.2"));
    return new SyncResult(
        Instant.EPOCH,
        true,
        new Snapshot(vs, servers, nodes),
        d,
        Plan.EMPTY,
        new ApplyResult(List.of(), List.of(), Ownership.empty()));
  }

  @Test
  void directorReportsRolesGenerationsAndApplied() {
    StatusReports.Writes w =
        StatusReports.compute(
            result("lb1", List.of(web()), List.of(rs("rs1", "172.16.58.7", "rs1", 2))), "lb1");
    assertThat(w.nodeReports())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.virtualService()).isEqualTo(new ObjectRef("default", "web"));
              assertThat(r.report().getRoles()).containsExactly(LvsApi.ROLE_DIRECTOR);
              assertThat(r.report().getObservedGeneration()).isEqualTo(1L);
              assertThat(r.report().getRealServerGenerations()).containsEntry("rs1", 3L);
              assertThat(r.report().getState()).isEqualTo(StatusReports.STATE_APPLIED);
              assertThat(r.report().getMessage()).isNull();
            });
    assertThat(w.vips()).isEmpty();
  }

  @Test
  void unchangedContentIsNotWrittenAgainWhateverTheTimestamp() {
    VirtualService v = web();
    SyncResult first = result("lb1", List.of(v), List.of(rs("rs1", "172.16.58.7", "rs1", 2)));
    NodeReport written = StatusReports.compute(first, "lb1").nodeReports().get(0).report();
    written.setLastUpdateTime("2024-01-01T00:00:00Z");
    VirtualServiceStatus status = new VirtualServiceStatus();
    status.getNodes().put("lb1", written);
    v.setStatus(status);
    assertThat(
            StatusReports.compute(
                    result("lb1", List.of(v), List.of(rs("rs1", "172.16.58.7", "rs1", 2))), "lb1")
                .isEmpty())
        .isTrue();
  }

  @Test
  void conflictLoserReportsConflictWithMessage() {
    VirtualService old = web();
    VirtualService young = vs("web2", "172.16.58.1", 80, s -> {});
    young.getMetadata().setCreationTimestamp("2025-01-01T00:00:00Z");
    StatusReports.Writes w =
        StatusReports.compute(result("lb1", List.of(old, young), List.of()), "lb1");
    assertThat(w.nodeReports())
        .filteredOn(r -> r.virtualService().name().equals("web2"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.report().getState()).isEqualTo(StatusReports.STATE_CONFLICT);
              assertThat(r.report().getMessage()).contains("default/web");
            });
  }

  @Test
  void entryIsRemovedWhenTheNodeNoLongerPlaysARole() {
    VirtualService v = web();
    VirtualServiceStatus status = new VirtualServiceStatus();
    NodeReport stale = new NodeReport();
    stale.setState("Applied");
    status.getNodes().put("other", stale);
    v.setStatus(status);
    StatusReports.Writes w = StatusReports.compute(result("other", List.of(v), List.of()), "other");
    assertThat(w.nodeReports()).singleElement().satisfies(r -> assertThat(r.report()).isNull());
  }

  /** The result of a sync whose removal of an IPVS service failed. */
  static SyncResult withFailedRemoval(SyncResult r) throws Exception {
    Step removal =
        new Step.DeleteService(
            ServiceKey.of(6, InetAddress.getByName("172.16.58.1"), 80), "no longer desired");
    return new SyncResult(
        r.time(),
        r.sourcesLoaded(),
        r.snapshot(),
        r.desired(),
        r.plan(),
        new ApplyResult(
            List.of(),
            List.of(new ApplyResult.StepFailure(removal, "EBUSY (device or resource busy)")),
            Ownership.empty()));
  }

  @Test
  void aLeftServiceKeepsItsEntryMarkedFailedWhileARemovalFails() throws Exception {
    VirtualService v = web();
    v.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
    NodeReport applied = new NodeReport();
    applied.setRoles(List.of(LvsApi.ROLE_DIRECTOR));
    applied.setObservedGeneration(1L);
    applied.setState(StatusReports.STATE_APPLIED);
    VirtualServiceStatus status = new VirtualServiceStatus();
    status.getNodes().put("lb1", applied);
    v.setStatus(status);

    SyncResult failing = withFailedRemoval(result("lb1", List.of(v), List.of()));
    NodeReport kept =
        StatusReports.compute(failing, "lb1").nodeReports().stream()
            .filter(w -> w.virtualService().name().equals("web"))
            .findFirst()
            .orElseThrow()
            .report();
    assertThat(kept).as("the entry stays, so the finalizer keeps waiting").isNotNull();
    assertThat(kept.getState()).isEqualTo(StatusReports.STATE_FAILED);
    assertThat(kept.getRoles()).containsExactly(LvsApi.ROLE_DIRECTOR);
    assertThat(kept.getMessage())
        .contains("ipvs: delete service")
        .contains("EBUSY (device or resource busy)");

    kept.setLastUpdateTime("2025-01-01T00:00:01Z");
    status.getNodes().put("lb1", kept);
    assertThat(StatusReports.compute(failing, "lb1").nodeReports())
        .as("not rewritten while the same removal keeps failing")
        .isEmpty();
    assertThat(StatusReports.compute(result("lb1", List.of(v), List.of()), "lb1").nodeReports())
        .as("removed once the removal succeeded")
        .singleElement()
        .satisfies(w -> assertThat(w.report()).isNull());
  }

  @Test
  void vipsStayListedWhileARemovalFails() throws Exception {
    RealServer rs1 = rs("rs1", "172.16.58.7", "rs1", 2);
    RealServerStatus held = new RealServerStatus();
    held.setVips(List.of("172.16.58.1"));
    rs1.setStatus(held);
    SyncResult failing = withFailedRemoval(result("rs1", List.of(), List.of(rs1)));
    assertThat(StatusReports.compute(failing, "rs1").vips()).isEmpty();
  }

  @Test
  void realServerVipsAreWrittenForThisNodesServersAndClearedWhenGone() {
    RealServer rs1 = rs("rs1", "172.16.58.7", "rs1", 2);
    StatusReports.Writes w =
        StatusReports.compute(result("rs1", List.of(web()), List.of(rs1)), "rs1");
    assertThat(w.vips())
        .containsExactly(
            new StatusReports.VipsWrite(new ObjectRef("default", "rs1"), List.of("172.16.58.1")));

    RealServerStatus held = new RealServerStatus();
    held.setVips(List.of("172.16.58.1"));
    rs1.setStatus(held);
    StatusReports.Writes gone =
        StatusReports.compute(result("rs1", List.of(), List.of(rs1)), "rs1");
    assertThat(gone.vips())
        .containsExactly(new StatusReports.VipsWrite(new ObjectRef("default", "rs1"), List.of()));
  }

  @Test
  void directorListsTheRealServersItQuiescedAndRewritesTheEntryWhenTheNodeIsBack() {
    VirtualService v = web();
    List<RealServer> servers = List.of(rs("rs1", null, "rs1", 2));
    List<Node> lost =
        List.of(
            director("lb1", "172.16.58.2"),
            withReady(node("rs1", Map.of(), "172.16.58.7"), "Unknown"));
    NodeReport down =
        StatusReports.compute(result("lb1", List.of(v), servers, lost), "lb1")
            .nodeReports()
            .get(0)
            .report();
    assertThat(down.getQuiescedRealServers()).containsExactly("rs1");
    assertThat(down.getRealServerGenerations()).containsEntry("rs1", 3L);
    assertThat(down.getState()).isEqualTo(StatusReports.STATE_APPLIED);

    down.setLastUpdateTime("2024-01-01T00:00:00Z");
    VirtualServiceStatus status = new VirtualServiceStatus();
    status.getNodes().put("lb1", down);
    v.setStatus(status);
    assertThat(StatusReports.compute(result("lb1", List.of(v), servers, lost), "lb1").isEmpty())
        .as("no rewrite while it stays quiesced")
        .isTrue();

    List<Node> back =
        List.of(
            director("lb1", "172.16.58.2"),
            withReady(node("rs1", Map.of(), "172.16.58.7"), "True"));
    assertThat(StatusReports.compute(result("lb1", List.of(v), servers, back), "lb1").nodeReports())
        .singleElement()
        .satisfies(r -> assertThat(r.report().getQuiescedRealServers()).isEmpty());
  }
}
