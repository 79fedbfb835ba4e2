package dev.lvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.state.AgentSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliArgsTest {
  static RunOptions run(Map<String, String> env, String... args) throws UsageException {
    Command c = CliArgs.parse(args, env);
    assertThat(c).isInstanceOf(Command.Run.class);
    return ((Command.Run) c).options();
  }

  @Test
  void runDefaults() throws UsageException {
    RunOptions o = run(Map.of(), "run", "--node-name", "lb1");
    assertThat(o.nodeName()).isEqualTo("lb1");
    assertThat(o.manifests()).isEmpty();
    assertThat(o.once()).isFalse();
    assertThat(o.stateDir()).isEqualTo(Path.of("/var/lib/lvs-agent"));
    assertThat(o.resyncPeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.minSyncInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.expireNodestConn()).contains(1);
    assertThat(o.expireQuiescentTemplate()).contains(1);
    assertThat(o.settings()).isEqualTo(AgentSettings.COMMAND_LINE);
    assertThat(o.connReuseMode()).isEmpty();
    assertThat(o.metricsPort()).isEqualTo(10731);
    assertThat(o.metricsAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(o.directorInterface()).isEmpty();
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void runAllOptionsBothSyntaxes() throws UsageException {
    RunOptions o =
        run(
            Map.of(),
            "run",
            "--node-name=lb2",
            "--manifests",
            "/etc/lvs",
            "--once",
            "--state-dir=/tmp/s",
            "--director-interface",
            "bond0",
            "--resync-period",
            "2m",
            "--min-sync-interval=500ms",
            "--expire-nodest-conn",
            "0",
            "--expire-quiescent-template=0",
            "--conn-reuse-mode",
            "2",
            "--metrics-port",
            "0",
            "--shutdown-timeout=3s");
    assertThat(o.nodeName()).isEqualTo("lb2");
    assertThat(o.manifests()).contains(Path.of("/etc/lvs"));
    assertThat(o.once()).isTrue();
    assertThat(o.stateDir()).isEqualTo(Path.of("/tmp/s"));
    assertThat(o.directorInterface()).contains("bond0");
    assertThat(o.resyncPeriod()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.minSyncInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.expireNodestConn()).contains(0);
    assertThat(o.expireQuiescentTemplate()).contains(0);
    assertThat(o.settings().expireQuiescentTemplate()).contains(0);
    assertThat(o.connReuseMode()).contains(2);
    assertThat(o.metricsPort()).isZero();
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(o.settings().directorInterface()).contains("bond0");
  }

  @Test
  void nodeNameFromEnvironmentFlagWins() throws UsageException {
    assertThat(run(Map.of("NODE_NAME", "from-env"), "run").nodeName()).isEqualTo("from-env");
    assertThat(run(Map.of("NODE_NAME", "from-env"), "run", "--node-name", "flag").nodeName())
        .isEqualTo("flag");
  }

  @Test
  void helpEverywhere() throws UsageException {
    for (String[] args :
        new String[][] {{"--help"}, {"-h"}, {"help"}, {"run", "--help"}, {"cleanup", "-h"}}) {
      Command c = CliArgs.parse(args, Map.of());
      assertThat(c).as(String.join(" ", args)).isInstanceOf(Command.Help.class);
    }
    assertThat(((Command.Help) CliArgs.parse(new String[] {"--help"}, Map.of())).text())
        .contains("run", "cleanup");
    assertThat(((Command.Help) CliArgs.parse(new String[] {"run", "--help"}, Map.of())).text())
        .contains("--node-name", "--manifests", "--once", "--resync-period", "--metrics-port");
  }

  @Test
  void cleanupStateDir() throws UsageException {
    assertThat(CliArgs.parse(new String[] {"cleanup"}, Map.of()))
        .isEqualTo(new Command.Cleanup(Path.of("/var/lib/lvs-agent")));
    assertThat(CliArgs.parse(new String[] {"cleanup", "--state-dir", "/x"}, Map.of()))
        .isEqualTo(new Command.Cleanup(Path.of("/x")));
  }

  @Test
  void metricsAddressIsTheNodesIpFromTheEnvironmentUnlessGiven() throws UsageException {
    assertThat(run(Map.of("HOST_IP", "172.16.58.2"), "run", "--node-name", "a").metricsAddress())
        .isEqualTo(dev.lvs.agent.state.Ips.literal("172.16.58.2"));
    assertThat(
            run(
                    Map.of("HOST_IP", "172.16.58.2"),
                    "run",
                    "--node-name",
                    "a",
                    "--metrics-address",
                    "fd00::2")
                .metricsAddress())
        .isEqualTo(dev.lvs.agent.state.Ips.literal("fd00::2"));
    assertThatThrownBy(() -> run(Map.of("HOST_IP", "node1"), "run", "--node-name", "a"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("$HOST_IP");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "frobnicate",
        "run",
        "run --node-name",
        "run --node-name a --bogus",
        "run --node-name a --resync-period soon",
        "run --node-name a --expire-nodest-conn 2",
        "run --node-name a --expire-quiescent-template 2",
        "run --node-name a --expire-quiescent-template -1",
        "run --node-name a --metrics-port 70000",
        "run --node-name a --metrics-address node1.example",
        "run --node-name a --once=yes",
        "run --node-name a --conn-reuse-mode x",
        "run --node-name a --shutdown-timeout 0s",
        "cleanup --node-name a"
      })
  void badCommandLinesSayWhatIsWrong(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    assertThatThrownBy(() -> CliArgs.parse(args, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageFindingMatch("required|unknown|needs a value|must|no command|takes no value");
  }

  @Test
  void durations() {
    assertThat(CliArgs.parseDuration("45")).contains(Duration.ofSeconds(45));
    assertThat(CliArgs.parseDuration("1h")).contains(Duration.ofHours(1));
    assertThat(CliArgs.parseDuration("1.5s")).isEqualTo(Optional.empty());
  }
}
