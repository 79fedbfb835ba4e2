package dev.lvs.operator.agent;

import static dev.lvs.operator.Fixtures.T0;
import static dev.lvs.operator.Fixtures.director;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.putReport;
import static dev.lvs.operator.Fixtures.report;
import static dev.lvs.operator.Fixtures.rs;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.RandomWorld;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.config.AgentConfig;
import dev.lvs.operator.config.OperatorOptions;
import dev.lvs.operator.model.ClusterView;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Placement and DaemonSet rendering. */
class AgentDaemonSetTest {

  private static AgentConfig config(String... flags) throws Exception {
    return OperatorOptions.parse(flags, Map.of()).config().agent();
  }

  private static SortedSet<String> set(String... s) {
    return new TreeSet<>(List.of(s));
  }

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  private static Container container(DaemonSet ds) {
    return pod(ds).getContainers().get(0);
  }

  @Test
  void agentsRunOnDirectorsAndRealServerNodesThatExist() {
    var web = vs("web", "10.0.0.1", 80);
    var view =
        new ClusterView(
            List.of(web),
            List.of(rs("rs1", "web", null, "n7"), rs("rs2", "web", "10.1.0.8", "missing")),
            List.of(
                director("d2", "10.1.0.2"),
                director("d1", "10.1.0.1"),
                node("n7", "10.1.0.7", true),
                node("idle", "10.1.0.9", true)));
    assertThat(AgentPlacement.agentNodes(view)).containsExactly("d1", "d2", "n7");
  }

  @Test
  void aNodeThatStillReportsKeepsItsAgentUntilItHasCleanedUp() {
    var web = vs("web", "10.0.0.1", 80);
    putReport(web, "old-rs-node", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    var view =
        new ClusterView(
            List.of(web),
            List.of(),
            List.of(director("d1", "10.1.0.1"), node("old-rs-node", "10.1.0.5", true)));
    assertThat(AgentPlacement.agentNodes(view)).containsExactly("d1", "old-rs-node");
  }

  @Test
  void conflictLosersDoNotPlaceAgents() {
    var web = vs("web", "10.0.0.1", 80);
    var copy = vs("web", "copy", "10.0.0.1", 80, T0.plusSeconds(1));
    copy.getSpec().getDirectors().setMatchLabels(Map.of("role", "other"));
    var view =
        new ClusterView(
            List.of(web, copy),
            List.of(),
            List.of(director("d1", "10.1.0.1"), node("o1", "10.1.0.2", true, "role", "other")));
    assertThat(AgentPlacement.agentNodes(view)).containsExactly("d1");
  }

  /**
   * For random clusters and single random changes: whenever the change alters where agents must
   * run, the DaemonSet controller's update filter for that kind lets it through (appearing and
   * disappearing objects always do), so the affinity is recomputed.
   */
  @Test
  void everyChangeOfThePlacementPassesTheFilters() {
    RandomWorld random = new RandomWorld(5L, 3);
    int placementChanges = 0;
    for (int trial = 0; trial < 2000; trial++) {
      RandomWorld.World world = random.world();
      RandomWorld.Change c = random.change(world);
      SortedSet<String> before = AgentPlacement.agentNodes(c.from().view());
      SortedSet<String> after = AgentPlacement.agentNodes(c.to().view());
      if (before.equals(after)) {
        continue;
      }
      placementChanges++;
      if (!c.update()) {
        continue;
      }
      boolean passes;
      if (c.after() instanceof VirtualService now) {
        passes = AgentDaemonSetReconciler.placementMayChange(now, (VirtualService) c.before());
      } else if (c.after() instanceof RealServer now) {
        passes =
            AgentDaemonSetReconciler.realServerPlacementMayChange(now, (RealServer) c.before());
      } else {
        passes =
            AgentDaemonSetReconciler.nodePlacementMayChange((Node) c.after(), (Node) c.before());
      }
      assertThat(passes).as("trial " + trial + ": " + c.what()).isTrue();
    }
    assertThat(placementChanges).isGreaterThan(200);
  }

  @Test
  void rendersAHostNetworkDaemonSetOnTheLabelledNodes() throws Exception {
    DaemonSet ds = AgentDaemonSetRenderer.render(config(), "lvs-system");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("lvs-system");
    assertThat(ds.getMetadata().getName()).isEqualTo("lvs-agent");
    // Placement is the operator's node label: the template names no node.
    assertThat(pod(ds).getNodeSelector()).containsExactly(Map.entry("lvs.dev/agent", "true"));
    assertThat(pod(ds).getAffinity()).isNull();
    assertThat(pod(ds).getHostNetwork()).isTrue();
    assertThat(pod(ds).getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getKey()).isNull();
            });
    Container c = container(ds);
    assertThat(c.getCommand())
        .containsExactly("java", "-cp", "@/app/jib-classpath-file", "dev.lvs.agent.Main");
    assertThat(c.getArgs())
        .containsExactly(
            "run",
            "--node-name",
            "$(NODE_NAME)",
            "--state-dir",
            "/var/lib/lvs-agent",
            "--metrics-port",
            "10731");
    assertThat(c.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    // The endpoints listen on the node's IP only (issue #17 item 4), which the agent reads from
    // $HOST_IP; the kubelet probes a hostNetwork pod on that address.
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("HOST_IP"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("status.hostIP"));
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(10731));
    // The security context and volumes: AgentPodSecurityTest.
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(ds.getSpec().getSelector().getMatchLabels())
        .isEqualTo(
            ds.getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
                .filter(e -> ds.getSpec().getSelector().getMatchLabels().containsKey(e.getKey()))
                .collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  @Test
  void netAdminModeAndExtraSettingsFromConfiguration() throws Exception {
    DaemonSet ds =
        AgentDaemonSetRenderer.render(
            config(
                "--agent-privileged=false",
                "--agent-image=registry.example/lvs-agent:1.2",
                "--agent-args=--resync-period=30s",
                "--agent-args=--expire-nodest-conn=1",
                "--agent-env=LOG_LEVEL=debug",
                "--agent-labels=team=net",
                "--agent-annotations=prometheus.io/scrape=true",
                "--agent-tolerations=[{key: dedicated, operator: Equal, value: lb, effect:"
                    + " NoSchedule}]"),
            "lvs-system");
    Container c = container(ds);
    assertThat(c.getImage()).isEqualTo("registry.example/lvs-agent:1.2");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(c.getArgs()).endsWith("--resync-period=30s", "--expire-nodest-conn=1");
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("LOG_LEVEL"));
    assertThat(ds.getMetadata().getLabels()).containsEntry("team", "net");
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "net");
    assertThat(ds.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true");
    assertThat(pod(ds).getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
  }

  @Test
  void probesUseTheMetricsPortAndGiveTheFirstSyncMinutes() throws Exception {
    DaemonSet ds = AgentDaemonSetRenderer.render(config("--agent-metrics-port=9200"), "lvs-system");
    Container c = container(ds);
    assertThat(c.getArgs()).containsSequence("--metrics-port", "9200");
    // The first sync on a big node can take minutes: the startup probe waits for it on /readyz.
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getStartupProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9200);
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(600);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9200);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9200);
    // /healthz fails only after 3 resync periods without progress; the kubelet adds minutes.
    assertThat(c.getLivenessProbe().getPeriodSeconds() * c.getLivenessProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(120);
    assertThat(List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe()))
        .allSatisfy(p -> assertThat(p.getTimeoutSeconds()).isGreaterThanOrEqualTo(5));
    assertThat(ds.getSpec().getMinReadySeconds()).isPositive();
  }

  @Test
  void withoutAMetricsPortThereIsNothingToProbe() throws Exception {
    Container c =
        container(AgentDaemonSetRenderer.render(config("--agent-metrics-port=0"), "lvs-system"));
    assertThat(c.getArgs()).doesNotContain("--metrics-port");
    assertThat(c.getStartupProbe()).isNull();
    assertThat(c.getReadinessProbe()).isNull();
    assertThat(c.getLivenessProbe()).isNull();
  }

  @Test
  void theHashIsStableAndFollowsEveryChange() throws Exception {
    String a = AgentDaemonSetRenderer.hashOf(AgentDaemonSetRenderer.render(config(), "x"));
    String again = AgentDaemonSetRenderer.hashOf(AgentDaemonSetRenderer.render(config(), "x"));
    String otherImage =
        AgentDaemonSetRenderer.hashOf(
            AgentDaemonSetRenderer.render(config("--agent-image=other:1"), "x"));
    assertThat(a).hasSize(16).isEqualTo(again);
    assertThat(otherImage).isNotEqualTo(a);
  }
}
