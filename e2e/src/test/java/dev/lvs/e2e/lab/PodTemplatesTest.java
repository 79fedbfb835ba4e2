package dev.lvs.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.operator.agent.AgentDaemonSetRenderer;
import dev.lvs.operator.config.AgentConfig;
import dev.lvs.operator.config.OperatorOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

  private static Node node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints)
        .endSpec()
        .withNewStatus()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress("10.0.0.7")
        .endAddress()
        .endStatus()
        .build();
  }

  private static PodSpec withTerms(NodeSelectorTerm... terms) {
    return new PodSpecBuilder()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .endAffinity()
        .build();
  }

  private static NodeSelectorTerm nameIn(String... names) {
    return new NodeSelectorTermBuilder()
        .withMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of(names)))
        .build();
  }

  @Test
  void affinityByNameSelectsExactlyTheNamedNodes() {
    // The DaemonSet controller's own form: one term per node, ORed.
    PodSpec spec = withTerms(nameIn("director"), nameIn("rs1"));
    assertThat(PodTemplates.schedulable(spec, node("director", Map.of()))).isTrue();
    assertThat(PodTemplates.schedulable(spec, node("rs1", Map.of()))).isTrue();
    assertThat(PodTemplates.schedulable(spec, node("rs2", Map.of()))).isFalse();
  }

  @Test
  void labelExpressionsAreAndedWithinATerm() {
    NodeSelectorTerm term =
        new NodeSelectorTermBuilder()
            .withMatchExpressions(
                new NodeSelectorRequirement("lvs.dev/director", "Exists", null),
                new NodeSelectorRequirement("zone", "NotIn", List.of("b")),
                new NodeSelectorRequirement("cores", "Gt", List.of("2")))
            .build();
    PodSpec spec = withTerms(term);
    assertThat(
            PodTemplates.schedulable(spec, node("a", Map.of("lvs.dev/director", "", "cores", "4"))))
        .isTrue();
    assertThat(
            PodTemplates.schedulable(
                spec, node("b", Map.of("lvs.dev/director", "", "zone", "b", "cores", "4"))))
        .isFalse();
    assertThat(
            PodTemplates.schedulable(spec, node("c", Map.of("lvs.dev/director", "", "cores", "2"))))
        .isFalse();
    assertThat(PodTemplates.schedulable(spec, node("d", Map.of("cores", "8")))).isFalse();
  }

  @Test
  void anEmptyTermOrNoTermsSelectNothingButNoAffinitySelectsAll() {
    assertThat(PodTemplates.schedulable(withTerms(new NodeSelectorTerm()), node("a", Map.of())))
        .isFalse();
    assertThat(PodTemplates.schedulable(withTerms(), node("a", Map.of()))).isFalse();
    assertThat(PodTemplates.schedulable(new PodSpec(), node("a", Map.of()))).isTrue();
  }

  @Test
  void theOperatorsNoNodesTermSelectsNoNode() {
    NodeSelectorTerm none =
        new NodeSelectorTermBuilder()
            .withMatchExpressions(
                new NodeSelectorRequirement("lvs.dev/no-agent-needed", "Exists", null))
            .build();
    assertThat(PodTemplates.schedulable(withTerms(none), node("a", Map.of("x", "y")))).isFalse();
  }

  @Test
  void taintsMustBeTolerated() {
    Taint noSchedule = new Taint("NoSchedule", "node-role.kubernetes.io/control-plane", null, "");
    Taint prefer = new Taint("PreferNoSchedule", "soft", null, "x");
    PodSpec none = new PodSpec();
    assertThat(PodTemplates.schedulable(none, node("cp", Map.of(), noSchedule))).isFalse();
    assertThat(PodTemplates.schedulable(none, node("soft", Map.of(), prefer))).isTrue();
    PodSpec all =
        new PodSpecBuilder()
            .withTolerations(new Toleration(null, null, "Exists", null, null))
            .build();
    assertThat(PodTemplates.schedulable(all, node("cp", Map.of(), noSchedule))).isTrue();
    PodSpec byKey =
        new PodSpecBuilder()
            .withTolerations(
                new Toleration(
                    "NoSchedule", "node-role.kubernetes.io/control-plane", "Exists", null, null))
            .build();
    assertThat(PodTemplates.schedulable(byKey, node("cp", Map.of(), noSchedule))).isTrue();
    PodSpec wrongValue =
        new PodSpecBuilder()
            .withTolerations(new Toleration("NoSchedule", "k", "Equal", null, "v1"))
            .build();
    assertThat(
            PodTemplates.schedulable(
                wrongValue, node("n", Map.of(), new Taint("NoSchedule", "k", null, "v2"))))
        .isFalse();
  }

  @Test
  void dollarReferencesExpandLikeKubernetes() {
    Map<String, String> env = Map.of("NODE_NAME", "rs1", "A", "x");
    assertThat(PodTemplates.expand("--node-name=$(NODE_NAME)", env)).isEqualTo("--node-name=rs1");
    assertThat(PodTemplates.expand("$(MISSING)/$(A)", env)).isEqualTo("$(MISSING)/x");
    assertThat(PodTemplates.expand("$$(A) costs $5", env)).isEqualTo("$(A) costs $5");
    assertThat(PodTemplates.expand("$(unclosed", env)).isEqualTo("$(unclosed");
  }

  private static final PodTemplates.PodContext CTX =
      new PodTemplates.PodContext(
          "agent-abc-rs1",
          "lvs-system",
          "uid-1",
          "rs1",
          "10.0.0.7",
          "lvs-agent",
          Map.of("app", "a"),
          Map.of());

  @Test
  void environmentResolvesTheDownwardApiAndEarlierVariables() {
    Container c =
        new ContainerBuilder()
            .withName("agent")
            .addNewEnv()
            .withName("NODE_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("WHERE")
            .withValue("on $(NODE_NAME) at $(HOST_IP)")
            .endEnv()
            .addNewEnv()
            .withName("APP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.labels['app']")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .build();
    Map<String, String> env =
        PodTemplates.environment(c, CTX, "172.16.58.254", 6443, (r, k) -> null);
    assertThat(env)
        .containsEntry("NODE_NAME", "rs1")
        .containsEntry("WHERE", "on rs1 at $(HOST_IP)")
        .containsEntry("APP", "a")
        .containsEntry("KUBERNETES_SERVICE_HOST", "172.16.58.254")
        .containsEntry("KUBERNETES_SERVICE_PORT", "6443");
  }

  @Test
  void unsupportedFieldsAreNamed() {
    Container c =
        new ContainerBuilder()
            .withName("agent")
            .addNewEnv()
            .withName("MEM")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withResource("limits.memory")
            .endResourceFieldRef()
            .endValueFrom()
            .endEnv()
            .build();
    assertThatThrownBy(() -> PodTemplates.environment(c, CTX, "h", 1, (r, k) -> null))
        .isInstanceOf(PodTemplates.UnsupportedPodException.class)
        .hasMessageContaining("env MEM");
    Container noCommand = new ContainerBuilder().withName("agent").build();
    assertThatThrownBy(() -> PodTemplates.argv(noCommand, Map.of()))
        .hasMessageContaining("no command");
  }

  private static PodTemplateSpec template(Container c, boolean hostNetwork) {
    return new PodTemplateSpecBuilder()
        .withNewSpec()
        .withHostNetwork(hostNetwork)
        .withContainers(c)
        .addNewVolume()
        .withName("state")
        .withNewHostPath()
        .withPath("/var/lib/lvs-agent")
        .withType("DirectoryOrCreate")
        .endHostPath()
        .endVolume()
        .addNewVolume()
        .withName("proc-sys-net")
        .withNewHostPath()
        .withPath("/proc/sys/net")
        .withType("Directory")
        .endHostPath()
        .endVolume()
        .endSpec()
        .build();
  }

  private static Container agentContainer(boolean privileged) {
    return new ContainerBuilder()
        .withName("agent")
        .withCommand("java", "-jar", "/app/agent.jar")
        .withArgs("run", "--node-name", "$(NODE_NAME)")
        .addNewVolumeMount()
        .withName("state")
        .withMountPath("/var/lib/lvs-agent")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("proc-sys-net")
        .withMountPath("/host/proc/sys/net")
        .endVolumeMount()
        .withNewSecurityContext()
        .withPrivileged(privileged)
        .withNewCapabilities()
        .withAdd("NET_ADMIN")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  @Test
  void theScriptMountsVolumesPerNodeAndBoundsCapabilities() {
    String script =
        PodTemplates.script(
            template(agentContainer(false), true),
            "rs1",
            "/nodes/rs1",
            "/lab/secrets/sa",
            new java.util.LinkedHashMap<>(Map.of("NODE_NAME", "rs1")),
            "abc");
    // A node's own host path lives under the node's directory; the kernel's are the kernel's.
    assertThat(script)
        .contains("mount --bind '/nodes/rs1/var/lib/lvs-agent' '/var/lib/lvs-agent'")
        .contains("mount --bind '/proc/sys/net' '/host/proc/sys/net'")
        .contains("mount --bind '/lab/secrets/sa' '/var/run/secrets/kubernetes.io/serviceaccount'")
        .contains("mount -o remount,bind,ro '/var/run/secrets/kubernetes.io/serviceaccount'")
        .contains("'NODE_NAME=rs1'")
        .contains("setpriv --bounding-set=-all,+chown,")
        .contains(",+net_admin --inh-caps=-all --")
        .endsWith("'java' '-jar' '/app/agent.jar' 'run' '--node-name' 'rs1'\n");
    assertThat(script).doesNotContain("+sys_admin");

    String privileged =
        PodTemplates.script(
            template(agentContainer(true), true), "rs1", "/n", null, Map.of(), "abc");
    assertThat(privileged).doesNotContain("setpriv").doesNotContain("serviceaccount");
  }

  @Test
  void theOperatorsAgentTemplateRunsInTheLabWhichRunsNoProbes() throws Exception {
    AgentConfig config = OperatorOptions.parse(new String[0], Map.of()).config().agent();
    PodTemplateSpec t = AgentDaemonSetRenderer.render(config, "lvs-system").getSpec().getTemplate();
    Container c = t.getSpec().getContainers().get(0);
    assertThat(c.getStartupProbe()).isNotNull();
    assertThat(c.getLivenessProbe()).isNotNull();
    String script =
        PodTemplates.script(
            t, "rs1", "/nodes/rs1", null, new java.util.LinkedHashMap<>(Map.of()), "abc");
    // The stand-in is no kubelet: a running container counts as ready, nothing probes it.
    assertThat(script).contains("'--metrics-port' '10731'").doesNotContain("readyz", "healthz");
  }

  @Test
  void theOperatorsAgentTemplateRunsOnExactlyTheNodesWithTheAgentLabel() throws Exception {
    AgentConfig config = OperatorOptions.parse(new String[0], Map.of()).config().agent();
    PodSpec spec =
        AgentDaemonSetRenderer.render(config, "lvs-system").getSpec().getTemplate().getSpec();
    assertThat(PodTemplates.schedulable(spec, node("rs1", Map.of("lvs.dev/agent", "true"))))
        .isTrue();
    assertThat(PodTemplates.schedulable(spec, node("rs2", Map.of()))).isFalse();
    assertThat(PodTemplates.schedulable(spec, node("rs3", Map.of("lvs.dev/agent", "false"))))
        .isFalse();
  }

  /**
   * The confined agent pod (issue #18 item 3) has an emptyDir at /tmp, and the lab's own files (the
   * agent jar, the service account tokens) live under /tmp/lvs-lab: the script keeps them visible
   * under the new /tmp, as an image's files would be, and mounts only /proc/sys/net.
   */
  @Test
  void theConfinedAgentTemplateKeepsTheLabsFilesUnderItsTmp() throws Exception {
    AgentConfig config = OperatorOptions.parse(new String[0], Map.of()).config().agent();
    PodTemplateSpec t = AgentDaemonSetRenderer.render(config, "lvs-system").getSpec().getTemplate();
    String script =
        PodTemplates.script(
            t,
            "rs1",
            "/nodes/rs1",
            "/tmp/lvs-lab/secrets/lvs-agent",
            new java.util.LinkedHashMap<>(Map.of()),
            "abc",
            List.of("/tmp/lvs-lab"));
    String stage = "'/nodes/rs1/var/lib/kubelet/pods/abc/kept/0'";
    String emptyDir = "'/nodes/rs1/var/lib/kubelet/pods/abc/volumes/tmp'";
    assertThat(script)
        .contains("mount --bind '/proc/sys/net' '/host/proc/sys/net'")
        .doesNotContain("'/proc/sys' ", "/lib/modules")
        .containsSubsequence(
            "mount --rbind '/tmp/lvs-lab' " + stage,
            "mount --bind " + emptyDir + " '/tmp'",
            "mkdir -p '/tmp/lvs-lab'",
            "mount --rbind " + stage + " '/tmp/lvs-lab'",
            "mount --bind '/tmp/lvs-lab/secrets/lvs-agent' ",
            // allowPrivilegeEscalation: false
            "--no-new-privs");
  }

  @Test
  void podsThatTheLabCannotRunAreRefusedByField() {
    assertThatThrownBy(
            () ->
                PodTemplates.script(
                    template(agentContainer(false), false), "rs1", "/n", null, Map.of(), "h"))
        .hasMessageContaining("spec.hostNetwork");
  }

  @Test
  void capabilitiesFollowAddAndDrop() {
    Container c =
        new ContainerBuilder()
            .withName("x")
            .withNewSecurityContext()
            .withNewCapabilities()
            .withAdd("CAP_NET_ADMIN")
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .build();
    assertThat(PodTemplates.capabilities(c)).containsExactly("NET_ADMIN");
    assertThat(PodTemplates.capabilities(new ContainerBuilder().withName("y").build()))
        .containsExactlyElementsOf(PodTemplates.RUNTIME_DEFAULT_CAPS);
  }
}
