package dev.lvs.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lvs.e2e.support.Processes;
import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.e2e.system.KindEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The functions of e2e/kind/lib.sh (run with bash, no Docker), and the names the scripts share with
 * {@link KindHosts}, {@link KindEnvironment}, e2e/kind/cluster.yaml and the chart.
 */
class KindScriptsTest {
  private static final Path KIND = TestApiServer.repo().resolve("e2e/kind");

  /** Sources lib.sh and runs {@code script} in bash with {@code args} as $1...; stdout, or null. */
  private static String lib(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", "source \"$0\" && " + script));
    cmd.add(KIND.resolve("lib.sh").toString());
    cmd.addAll(List.of(args));
    Processes.Result r = Processes.run(cmd, Duration.ofSeconds(30));
    return r.ok() ? r.stdout().strip() : null;
  }

  @ParameterizedTest
  @CsvSource({
    "172.18.0.0/16, 172.18.255.200",
    "172.18.5.7/16, 172.18.255.200",
    "10.89.0.0/24, 10.89.0.200",
    "192.168.48.0/20, 192.168.63.200",
    "10.0.0.0/8, 10.255.255.200",
  })
  void theVipIs55BelowTheBroadcastAddress(String subnet, String vip) {
    assertThat(lib("kind_vip \"$1\"", subnet)).isEqualTo(vip);
    assertThat(KindNetwork.contains(subnet, vip)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"172.18.0.0/25", "172.18.0.0/7", "300.1.1.1/16", "fc00::/64", "", "x"})
  void noVipForSubnetsTooSmallOrNotIpv4(String subnet) {
    assertThat(lib("kind_vip \"$1\"", subnet)).isNull();
  }

  @Test
  void theFirstIpv4SubnetOfTheNetwork() {
    assertThat(
            lib(
                "first_ipv4_subnet \"$@\"",
                "fc00:f853:ccd:e793::/64",
                "172.18.0.0/16",
                "10.0.0.0/8"))
        .isEqualTo("172.18.0.0/16");
    assertThat(lib("first_ipv4_subnet \"$@\"", "fc00:f853:ccd:e793::/64")).isNull();
  }

  @Test
  void theScriptsNamesAreTheJavaSidesAndTheClusters() throws IOException {
    String[] v =
        lib("echo \"$CLUSTER $DIRECTOR ${REAL_SERVERS[*]} $CLIENT $NS $RELEASE $LABEL $NETWORK\"")
            .split(" ");
    assertThat(v).hasSize(9);
    JsonNode cluster =
        new ObjectMapper(new YAMLFactory()).readTree(KIND.resolve("cluster.yaml").toFile());
    assertThat(cluster.path("name").asText()).isEqualTo(v[0]);
    // kind's node names for one control plane and two workers
    assertThat(List.of(v[1], v[2], v[3]))
        .containsExactlyInAnyOrder(v[0] + "-control-plane", v[0] + "-worker", v[0] + "-worker2");
    assertThat(cluster.path("nodes").findValuesAsText("role"))
        .containsExactly("control-plane", "worker", "worker");
    // rs2 (the real-server node a scenario would kill) is a worker, not the control plane
    assertThat(v[3]).isEqualTo(v[0] + "-worker2");
    assertThat(v[5]).isEqualTo(KindEnvironment.NAMESPACE);
    assertThat(v[6]).isEqualTo(KindEnvironment.OPERATOR_DEPLOYMENT);
    assertThat(v[7]).isEqualTo(KindHosts.LABEL);
  }

  /** KindEnvironment finds the operator's pods by the labels the chart gives them. */
  @Test
  void theOperatorPodSelectorIsTheChartsForReleaseLvsOperator() throws IOException {
    Map<String, String> selector = new TreeMap<>();
    for (String kv : KindEnvironment.OPERATOR_PODS.split(",")) {
      selector.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, String> chart = null;
    try (var docs =
        yaml.readerFor(JsonNode.class)
            .<JsonNode>readValues(
                TestApiServer.repo().resolve("deploy/lvs-operator.yaml").toFile())) {
      while (docs.hasNext()) {
        JsonNode d = docs.next();
        if (d != null && d.path("kind").asText().equals("Deployment")) {
          assertThat(d.path("metadata").path("name").asText())
              .isEqualTo(KindEnvironment.OPERATOR_DEPLOYMENT);
          assertThat(d.path("metadata").path("namespace").asText())
              .isEqualTo(KindEnvironment.NAMESPACE);
          chart = new TreeMap<>(yaml.convertValue(d.at("/spec/selector/matchLabels"), Map.class));
        }
      }
    }
    assertThat(chart).isEqualTo(selector);
  }
}
