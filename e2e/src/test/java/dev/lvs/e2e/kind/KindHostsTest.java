package dev.lvs.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.e2e.support.Hosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines {@link KindHosts} builds, and what it makes of docker's answers, without
 * Docker: a stand-in {@code docker} script records its arguments and answers as Docker would.
 */
class KindHostsTest {
  private static final List<String> NODES =
      List.of("lvs-e2e-worker", "lvs-e2e-control-plane", "lvs-e2e-worker2");
  private static final String CLIENT = "lvs-e2e-client";
  private static final String IMAGE = "nicolaka/netshoot";

  @TempDir Path tmp;

  private KindHosts hosts(String docker) {
    return new KindHosts(docker, IMAGE, tmp.resolve("work"), NODES, CLIENT);
  }

  @Test
  void aNodesCommandRunsInAToolsContainerInTheNodesNetworkNamespace() {
    Path work = tmp.resolve("work");
    assertThat(hosts("docker").runCommand("lvs-e2e-worker", "c1", List.of("ipvsadm", "-Sn")))
        .containsExactly(
            "docker",
            "run",
            "--rm",
            "--name",
            "c1",
            "--label",
            "lvs-e2e=kind",
            "--privileged",
            "--network",
            "container:lvs-e2e-worker",
            "-v",
            work + ":" + work,
            IMAGE,
            "ipvsadm",
            "-Sn");
  }

  @Test
  void theClientsCommandRunsInTheClientContainer() {
    assertThat(hosts("docker").runCommand(CLIENT, "c1", List.of("curl", "-sS", "http://x/")))
        .containsExactly("docker", "exec", CLIENT, "curl", "-sS", "http://x/");
  }

  @Test
  void unknownHostsAreRefused() {
    assertThatThrownBy(() -> hosts("docker").runCommand("rs1", "c1", List.of("true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no kind host rs1");
    assertThatThrownBy(
            () ->
                hosts("docker").start("kind-control-plane", tmp.resolve("work/l"), List.of("true")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBackgroundProcessIsADetachedContainerWithInit() {
    Path log = tmp.resolve("work/cap.log");
    List<String> argv =
        hosts("docker").startCommand(CLIENT, "bg1", log, List.of("tcpdump", "-i", "eth0"));
    assertThat(argv.subList(0, 4)).containsExactly("docker", "run", "-d", "--init");
    assertThat(argv).containsSequence("--network", "container:" + CLIENT);
    assertThat(argv).containsSequence("--name", "bg1", "--label", "lvs-e2e=kind");
    assertThat(argv.subList(argv.indexOf(IMAGE) + 1, argv.size()))
        .containsExactly(
            "sh",
            "-c",
            "exec \"$@\" >\"$0\" 2>&1 </dev/null",
            log.toString(),
            "tcpdump",
            "-i",
            "eth0");
  }

  /** The container's {@code sh -c} part, run here: the command reaches exec word for word. */
  @Test
  void theBackgroundScriptPassesTheCommandVerbatimAndLogsBothOutputs() throws Exception {
    Path log = tmp.resolve("work/out.log");
    List<String> command =
        List.of(
            "sh",
            "-c",
            "printf '%s|' \"$@\"; echo oops >&2; exit 3",
            "x",
            "a b",
            "it's",
            "$HOME",
            ">y",
            "*");
    List<String> argv = hosts("docker").startCommand("lvs-e2e-worker", "bg", log, command);
    List<String> inContainer = argv.subList(argv.indexOf(IMAGE) + 1, argv.size());
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(inContainer).directory(tmp.toFile()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(Files.readString(log)).isEqualTo("a b|it's|$HOME|>y|*|oops\n");
    assertThat(tmp.resolve("y")).doesNotExist();
  }

  @Test
  void backgroundLogsMustBeInTheSharedWorkDirectory() {
    assertThatThrownBy(
            () -> hosts("docker").start(CLIENT, tmp.resolve("elsewhere.log"), List.of("true")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("under the work directory");
  }

  /**
   * A stand-in for docker: appends its arguments (one line per call) to calls.txt and answers
   * {@code run}, {@code exec}, {@code inspect} and {@code stop} as Docker would.
   */
  private String fakeDocker() throws IOException {
    Path script = tmp.resolve("docker");
    Files.writeString(
        script,
        String.join(
            "\n",
            "#!/bin/bash",
            "echo \"$*\" >>" + tmp.resolve("calls.txt"),
            "case \"$1 ${*: -1}\" in",
            "  'run forever') exec sleep 30 ;;",
            "  'run -Sn') echo 'TCP  172.18.255.200:80 wlc'; echo warn >&2; exit 0 ;;",
            "  exec*) echo \"answer to ${*: -1}\"; exit 7 ;;",
            "esac",
            "case \"$1\" in",
            "  run) echo 0123abcd ;;",
            "  stop) touch " + tmp.resolve("stopped") + " ;;",
            "  inspect)",
            "    case \"$3\" in",
            "      '{{.State.Running}}') [ -e "
                + tmp.resolve("stopped")
                + " ] && echo false || echo true ;;",
            "      '{{.State.ExitCode}}') echo 143 ;;",
            "    esac ;;",
            "esac",
            ""));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script.toString();
  }

  private List<String> calls() throws IOException {
    return Files.readAllLines(tmp.resolve("calls.txt"));
  }

  @Test
  void runReportsTheCommandsOutputAndStatus() throws IOException {
    KindHosts h = hosts(fakeDocker());
    Hosts.Result r = h.run("lvs-e2e-worker", "ipvsadm", "-Sn");
    assertThat(r.ok()).isTrue();
    assertThat(r.command()).containsExactly("ipvsadm", "-Sn");
    assertThat(r.stdout()).isEqualTo("TCP  172.18.255.200:80 wlc\n");
    assertThat(r.stderr()).isEqualTo("warn\n");
    Hosts.Result c = h.run(CLIENT, "hostname");
    assertThat(c.exitCode()).isEqualTo(7);
    assertThat(c.stdout()).isEqualTo("answer to hostname\n");
    assertThat(calls().get(1)).isEqualTo("exec " + CLIENT + " hostname");
  }

  @Test
  void aCommandThatTimesOutExits124AndItsContainerIsRemoved() throws IOException {
    KindHosts h = hosts(fakeDocker());
    Hosts.Result r = h.run("lvs-e2e-worker2", List.of("forever"), Duration.ofMillis(500));
    assertThat(r.exitCode()).isEqualTo(124);
    List<String> calls = calls();
    String name = calls.get(0).split(" ")[3];
    assertThat(name).startsWith("lvs-e2e-run-");
    assertThat(calls).containsExactly(calls.get(0), "rm -f " + name);
  }

  @Test
  void stopIsDockerStopThenTheExitCodeThenRemoval() throws IOException {
    KindHosts h = hosts(fakeDocker());
    Hosts.Background b =
        h.start("lvs-e2e-worker", tmp.resolve("work/sub/t.log"), List.of("tcpdump"));
    assertThat(tmp.resolve("work/sub")).isDirectory();
    assertThat(b.isAlive()).isTrue();
    assertThat(b.stop(Duration.ofMillis(1500))).isEqualTo(143);
    assertThat(b.isAlive()).isFalse();
    List<String> calls = new ArrayList<>(calls());
    String name = calls.get(0).split(" ")[4];
    assertThat(name).startsWith("lvs-e2e-bg-");
    assertThat(calls.subList(1, calls.size()))
        .containsExactly(
            "inspect -f {{.State.Running}} " + name,
            "stop -t 2 " + name,
            "inspect -f {{.State.ExitCode}} " + name,
            "rm -f " + name,
            "inspect -f {{.State.Running}} " + name);
  }
}
