package dev.lvs.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.Ownership;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  @Test
  void healthReadinessAndMetricsOfOwnedServicesOnly() throws Exception {
    FakeIpvsClient ipvs = new FakeIpvsClient();
    ServiceKey ours = ServiceKey.of(6, Ips.literal("172.16.58.1"), 80);
    ServiceKey theirs = ServiceKey.of(6, Ips.literal("10.9.9.9"), 53);
    ipvs.addService(new IpvsService(ours, "wlc", 0, 0, -1));
    ipvs.addService(new IpvsService(theirs, "rr", 0, 0, -1));
    ipvs.addDestination(
        ours,
        new IpvsDestination(Ips.literal("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 2, 0, 0));
    Ownership owned = Ownership.empty();
    owned.addService(ours);
    AtomicBoolean ready = new AtomicBoolean(false);
    AtomicReference<Optional<String>> unhealthy = new AtomicReference<>(Optional.empty());
    HttpClient http = HttpClient.newHttpClient();
    IpvsMetrics counters = new IpvsMetrics(() -> owned);
    counters.kernelRead(ipvs.listServices(), java.util.Map.of(ours, ipvs.listDestinations(ours)));
    try (AgentHttpServer server =
        AgentHttpServer.start(
            LOOPBACK, 0, ready::get, unhealthy::get, new SyncMetrics(), counters)) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
      unhealthy.set(Optional.of("no sync started or finished for 91 s"));
      HttpResponse<String> sick = get(http, base + "/healthz");
      assertThat(sick.statusCode()).isEqualTo(503);
      assertThat(sick.body()).contains("no sync started or finished for 91 s");
      unhealthy.set(Optional.empty());
      assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> m = get(http, base + "/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body())
          .contains("# TYPE lvs_agent_sync_duration_seconds histogram")
          .contains("lvs_agent_syncs_total 0")
          .contains(
              "lvs_ipvs_destination_active_connections{protocol=\"TCP\",vip=\"172.16.58.1\",port=\"80\",destination=\"172.16.58.7\",destination_port=\"80\"} 3")
          .contains("lvs_ipvs_destination_bytes_in_total{protocol=\"TCP\",vip=\"172.16.58.1\"")
          .doesNotContain("10.9.9.9");
    }
  }

  static final java.net.InetAddress LOOPBACK = Ips.literal("127.0.0.1");

  @Test
  void aScrapeServesTheLastKernelReadWithoutTouchingTheKernel() throws Exception {
    // Issue #17 item 4: each scrape ran 1 + N IPVS dumps under the kernel lock, which a long sync
    // holds for minutes. Now the counters come from the sync's last kernel read: a scrape while
    // the lock is held answers at once, and the IPVS client is never called.
    Object kernelLock = new Object();
    ServiceKey ours = ServiceKey.of(6, Ips.literal("172.16.58.1"), 80);
    FakeIpvsClient source = new FakeIpvsClient();
    source.addService(new IpvsService(ours, "wlc", 0, 0, -1));
    Ownership owned = Ownership.empty();
    owned.addService(ours);
    IpvsMetrics counters = new IpvsMetrics(() -> owned);
    counters.kernelRead(source.listServices(), java.util.Map.of(ours, java.util.List.of()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (AgentHttpServer server =
        AgentHttpServer.start(
            LOOPBACK, 0, () -> true, Optional::empty, new SyncMetrics(), counters)) {
      String base = "http://127.0.0.1:" + server.port();
      synchronized (kernelLock) {
        HttpResponse<String> m = getWithin(http, base + "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body())
            .contains("lvs_ipvs_service_connections_total{protocol=\"TCP\",vip=\"172.16.58.1\"")
            .contains("lvs_ipvs_counters_read_timestamp_seconds ");
        assertThat(getWithin(http, base + "/healthz").statusCode()).isEqualTo(200);
        assertThat(getWithin(http, base + "/readyz").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void listensOnTheGivenAddressOnly() throws Exception {
    // Issue #17 item 4: the endpoints listened on every address, on hostNetwork: every VIP of a
    // director. Bound to 127.0.0.2 here, they must not answer on 127.0.0.1.
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    try (AgentHttpServer server =
        AgentHttpServer.start(
            Ips.literal("127.0.0.2"),
            0,
            () -> true,
            Optional::empty,
            new SyncMetrics(),
            new IpvsMetrics(Ownership::empty))) {
      assertThat(getWithin(http, "http://127.0.0.2:" + server.port() + "/healthz").statusCode())
          .isEqualTo(200);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> getWithin(http, "http://127.0.0.1:" + server.port() + "/healthz"))
          .isInstanceOf(java.net.ConnectException.class);
    }
  }

  static CompletableFuture<HttpResponse<String>> getAsync(HttpClient http, String url) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> getWithin(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
