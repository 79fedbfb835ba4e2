package dev.lvs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KubernetesSourceStartTest {

  /** An API server that is away must not end the agent: start returns, nothing is synced yet. */
  @Test
  void startDoesNotWaitForAnUnreachableApiServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: connections to it are refused
    }
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + port)
                    .withRequestTimeout(2000)
                    .withConnectionTimeout(1000)
                    .build())
            .build()) {
      KubernetesSource source = new KubernetesSource(client);
      Instant started = Instant.now();
      source.start(() -> {});
      assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(5));
      Thread.sleep(3000); // a few failed lists later: still retrying, still not synced
      assertThat(source.hasSynced()).isFalse();
      assertThat(source.snapshot().virtualServices()).isEmpty();
      source.close();
    }
  }
}
