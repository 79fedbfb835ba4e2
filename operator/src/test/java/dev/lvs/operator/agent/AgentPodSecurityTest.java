package dev.lvs.operator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.config.AgentConfig;
import dev.lvs.operator.config.OperatorOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent pod's confinement (issue #18 item 3): what it may write and with which privileges. */
class AgentPodSecurityTest {

  private static DaemonSet render(String... flags) throws Exception {
    AgentConfig c = OperatorOptions.parse(flags, Map.of()).config().agent();
    return AgentDaemonSetRenderer.render(c, "lvs-system");
  }

  private static PodSpec pod(DaemonSet ds) {
    return ds.getSpec().getTemplate().getSpec();
  }

  private static Container container(DaemonSet ds) {
    return pod(ds).getContainers().get(0);
  }

  private static Volume volume(DaemonSet ds, String name) {
    return pod(ds).getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void byDefaultTheAgentIsNotPrivilegedAndHasOnlyNetAdminAndNetRaw() throws Exception {
    SecurityContext sc = container(render()).getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  /**
   * Everything the agent writes is under net/ (SysctlPaths): kernel.core_pattern is not mounted.
   */
  @Test
  void onlyTheHostsProcSysNetIsMountedAndNoModules() throws Exception {
    DaemonSet ds = render();
    assertThat(pod(ds).getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath())
        .containsExactlyInAnyOrder("/var/lib/lvs-agent", "/proc/sys/net");
    assertThat(container(ds).getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .contains("/host/proc/sys/net")
        .doesNotContain("/host/proc/sys", "/lib/modules");
    // The agent resolves "net/ipv4/..." against LVS_PROC_SYS: the parent of the mount.
    assertThat(container(ds).getEnv())
        .filteredOn(e -> e.getName().equals("LVS_PROC_SYS"))
        .extracting(EnvVar::getValue)
        .containsExactly("/host/proc/sys");
  }

  /** A read-only root: jffi unpacks its native library and the JVM its perf data into /tmp. */
  @Test
  void theJvmGetsAWritableTmp() throws Exception {
    DaemonSet ds = render();
    assertThat(volume(ds, "tmp").getEmptyDir().getSizeLimit()).isNotNull();
    assertThat(container(ds).getVolumeMounts())
        .filteredOn(m -> m.getName().equals("tmp"))
        .extracting(VolumeMount::getMountPath)
        .containsExactly("/tmp");
  }

  @Test
  void privilegedIsAnEscapeHatchThatStillHasAReadOnlyRoot() throws Exception {
    SecurityContext sc = container(render("--agent-privileged=true")).getSecurityContext();
    assertThat(sc.getPrivileged()).isTrue();
    assertThat(sc.getCapabilities()).isNull();
    // The API server rejects allowPrivilegeEscalation=false together with privileged=true.
    assertThat(sc.getAllowPrivilegeEscalation()).isNull();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
  }

  @Test
  void jvmOptionsCapTheHeapAndExitOnOutOfMemory() throws Exception {
    assertThat(container(render()).getEnv())
        .filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValue())
                    .contains("-XX:MaxRAMPercentage=")
                    .contains("-XX:+ExitOnOutOfMemoryError"));
    assertThat(container(render()).getResources().getLimits()).containsKey("memory");
  }

  @Test
  void anExplicitJavaToolOptionsInTheAgentEnvWins() throws Exception {
    assertThat(container(render("--agent-env=JAVA_TOOL_OPTIONS=-Xmx200m")).getEnv())
        .filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .extracting(EnvVar::getValue)
        .containsExactly("-Xmx200m");
    assertThat(container(render("--agent-java-tool-options=")).getEnv())
        .noneMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS"));
  }

  /** Agents are node infrastructure, as kube-proxy: not evicted or preempted before workloads. */
  @Test
  void agentsAreSystemNodeCriticalUnlessToldOtherwise() throws Exception {
    assertThat(pod(render()).getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod(render("--agent-priority-class=")).getPriorityClassName()).isNull();
  }
}
