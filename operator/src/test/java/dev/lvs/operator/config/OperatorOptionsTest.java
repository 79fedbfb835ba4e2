package dev.lvs.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.operator.config.OperatorOptions.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorOptionsTest {

  @Test
  void defaults() throws Exception {
    OperatorConfig c = OperatorOptions.parse(new String[0], Map.of("HOSTNAME", "op-0")).config();
    assertThat(c.namespace()).isIn("lvs-system", readServiceAccountNamespace());
    assertThat(c.leaseNamespace()).isEqualTo(c.namespace());
    assertThat(c.identity()).isEqualTo("op-0");
    assertThat(c.deletionTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.metricsPort()).isEqualTo(8080);
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.exitOnLostLeadership()).isTrue();
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.agent().privileged()).isFalse();
    assertThat(c.agent().capabilities()).containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(c.agent().javaToolOptions()).contains("-XX:+ExitOnOutOfMemoryError");
    assertThat(c.agent().command())
        .containsExactly("java", "-cp", "@/app/jib-classpath-file", "dev.lvs.agent.Main");
    assertThat(c.agent().tolerations()).hasSize(1);
    assertThat(c.agent().metricsPort()).isEqualTo(10731);
  }

  @Test
  void namespaceFromThePodsEnvironment() throws Exception {
    OperatorConfig c =
        OperatorOptions.parse(new String[0], Map.of("POD_NAMESPACE", "lb-system")).config();
    assertThat(c.namespace()).isEqualTo("lb-system");
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(
        file,
        """
        agent-image: from-file:1
        agent-privileged: true
        deletion-timeout: 5m
        agent-env: {A: "1", B: "2"}
        agent-args: [--resync-period=10s]
        agent-resources: {limits: {memory: 1Gi}}
        """);
    OperatorConfig c =
        OperatorOptions.parse(
                new String[] {"--config", file.toString(), "--deletion-timeout=45s"},
                Map.of(
                    "LVS_OPERATOR_AGENT_IMAGE",
                    "from-env:2",
                    "LVS_OPERATOR_DELETION_TIMEOUT",
                    "1m"))
            .config();
    assertThat(c.agent().image()).isEqualTo("from-env:2");
    assertThat(c.deletionTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.agent().privileged()).isTrue();
    assertThat(c.agent().env()).containsEntry("A", "1").containsEntry("B", "2");
    assertThat(c.agent().extraArgs()).containsExactly("--resync-period=10s");
    assertThat(c.agent().resources().getLimits().get("memory").toString()).isEqualTo("1Gi");
  }

  @Test
  void repeatedAndStructuredFlags() throws Exception {
    OperatorConfig c =
        OperatorOptions.parse(
                new String[] {
                  "--agent-env",
                  "X=1",
                  "--agent-env=Y=a=b",
                  "--agent-command",
                  "/bin/agent --flag",
                  "--agent-capabilities=[NET_ADMIN, NET_RAW]",
                  "--lease-duration=PT30S"
                },
                Map.of("LVS_OPERATOR_AGENT_LABELS", "a=1,b=2"))
            .config();
    assertThat(c.agent().env()).containsEntry("X", "1").containsEntry("Y", "a=b");
    assertThat(c.agent().command()).containsExactly("/bin/agent", "--flag");
    assertThat(c.agent().capabilities()).containsExactly("NET_ADMIN", "NET_RAW");
    assertThat(c.agent().labels()).containsEntry("a", "1").containsEntry("b", "2");
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void helpAndErrors() throws Exception {
    assertThat(OperatorOptions.parse(new String[] {"--help"}, Map.of()).help()).isTrue();
    assertThat(OperatorOptions.help()).contains("--agent-image").contains("LVS_OPERATOR_");
    assertThatThrownBy(() -> OperatorOptions.parse(new String[] {"--bogus=1"}, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown option --bogus");
    assertThatThrownBy(
            () -> OperatorOptions.parse(new String[] {"--deletion-timeout=soon"}, Map.of()))
        .hasMessageContaining("expected a duration");
    assertThatThrownBy(() -> OperatorOptions.parse(new String[] {"--agent-env=novalue"}, Map.of()))
        .hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> OperatorOptions.parse(new String[] {"--metrics-port"}, Map.of()))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(
            () -> OperatorOptions.parse(new String[] {"--shutdown-timeout=0s"}, Map.of()))
        .hasMessageContaining("--shutdown-timeout must be positive");
    assertThat(OperatorOptions.help()).contains("--shutdown-timeout");
  }

  private static String readServiceAccountNamespace() {
    try {
      return Files.readString(OperatorOptions.SERVICE_ACCOUNT_NAMESPACE).trim();
    } catch (Exception e) {
      return "lvs-system";
    }
  }
}
