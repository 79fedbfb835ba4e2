package dev.lvs.e2e.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.TcpProxy;
import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.LvsOperator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Liveness is "the process works", readiness is "the informers watch": while the API server is
 * unreachable (a control-plane upgrade, a network blip) the leader and the standby both stay alive
 * (the kubelet must not restart them), become unready, and are ready again once it is back.
 */
class ProbesIT {
  private static final Duration BLIP = Duration.ofSeconds(20);
  private static OperatorHarness h;
  private static TcpProxy proxy;
  private static KubernetesClient leaderClient;
  private static KubernetesClient standbyClient;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    h = new OperatorHarness("pr");
    Config config = TestApiServer.get().config();
    URI api = URI.create(config.getMasterUrl());
    proxy = new TcpProxy(api.getHost(), api.getPort());
    leaderClient = throughProxy();
    standbyClient = throughProxy();
  }

  private static KubernetesClient throughProxy() {
    Config config = TestApiServer.get().config();
    URI api = URI.create(config.getMasterUrl());
    config.setMasterUrl("https://" + api.getHost() + ":" + proxy.port() + "/");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    for (KubernetesClient c : new KubernetesClient[] {leaderClient, standbyClient}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void anUnreachableApiServerMakesTheOperatorUnreadyButNeverDead() throws Exception {
    LvsOperator leader = h.startOperator("pr-1", leaderClient);
    LvsOperator standby = h.startOperator("pr-2", standbyClient);
    for (LvsOperator op : new LvsOperator[] {leader, standby}) {
      await().atMost(OperatorHarness.TIMEOUT).until(() -> code(op, "/readyz") == 200);
      assertThat(code(op, "/healthz")).isEqualTo(200);
      assertThat(metrics(op)).contains("lvs_operator_informers_healthy 1.0");
    }

    proxy.cut();
    for (LvsOperator op : new LvsOperator[] {leader, standby}) {
      await().atMost(OperatorHarness.TIMEOUT).until(() -> code(op, "/readyz") == 503);
      assertThat(metrics(op)).contains("lvs_operator_informers_healthy 0.0");
    }
    Instant end = Instant.now().plus(BLIP);
    while (Instant.now().isBefore(end)) {
      for (LvsOperator op : new LvsOperator[] {leader, standby}) {
        assertThat(code(op, "/healthz")).as("liveness while the API server is away").isEqualTo(200);
      }
      Thread.sleep(500);
    }

    proxy.restore();
    for (LvsOperator op : new LvsOperator[] {leader, standby}) {
      await().atMost(OperatorHarness.TIMEOUT).until(() -> code(op, "/readyz") == 200);
      assertThat(code(op, "/healthz")).isEqualTo(200);
    }
  }

  private int code(LvsOperator op, String path) throws Exception {
    return get(op, path).statusCode();
  }

  private String metrics(LvsOperator op) throws Exception {
    return get(op, "/metrics").body();
  }

  private HttpResponse<String> get(LvsOperator op, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.httpPort() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
