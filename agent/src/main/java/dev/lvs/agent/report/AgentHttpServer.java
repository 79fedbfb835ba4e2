package dev.lvs.agent.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz} (the sync loop makes progress: {@link SyncHealth}), {@code /readyz} (a sync
 * completed with every source loaded) and {@code /metrics} (Prometheus text), on the JDK's built-in
 * HTTP server, on one address (the node's InternalIP in a cluster: not every address of a
 * hostNetwork pod, which on a director includes its VIPs). A scrape only formats what is in memory
 * (the IPVS counters of the last kernel read, {@link IpvsMetrics}); still, scrapes run one at a
 * time (another one gets 503 at once) on a pool with room for the probes, so the kubelet's probes
 * never wait behind one.
 */
public final class AgentHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** One thread for a scrape, the others for probes (readiness and liveness may overlap). */
  static final int THREADS = 3;

  private final HttpServer server;
  private final ExecutorService executor;

  private AgentHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * @param unhealthy why the agent is not healthy, or empty ({@link SyncHealth#problem})
   */
  public static AgentHttpServer start(
      InetAddress address,
      int port,
      BooleanSupplier ready,
      Supplier<Optional<String>> unhealthy,
      SyncMetrics metrics,
      IpvsMetrics ipvs)
      throws IOException {
    return start(address, port, ready, unhealthy, metrics, ipvs, null);
  }

  /** As above, with the director election's metrics when {@code election} is not null. */
  public static AgentHttpServer start(
      InetAddress address,
      int port,
      BooleanSupplier ready,
      Supplier<Optional<String>> unhealthy,
      SyncMetrics metrics,
      IpvsMetrics ipvs,
      dev.lvs.agent.election.ElectionMetrics election)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "lvs-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    Semaphore scrape = new Semaphore(1);
    server.createContext(
        "/healthz",
        ex -> {
          Optional<String> problem = unhealthy.get();
          if (problem.isEmpty()) {
            respond(ex, 200, "text/plain", "ok\n");
          } else {
            respond(ex, 503, "text/plain", "unhealthy: " + problem.get() + "\n");
          }
        });
    server.createContext(
        "/readyz",
        ex -> {
          if (ready.getAsBoolean()) {
            respond(ex, 200, "text/plain", "ready\n");
          } else {
            respond(ex, 503, "text/plain", "not ready: no complete sync with all sources loaded\n");
          }
        });
    server.createContext(
        "/metrics",
        ex -> {
          if (!scrape.tryAcquire()) {
            respond(ex, 503, "text/plain", "another scrape is running\n");
            return;
          }
          PrometheusText t = new PrometheusText();
          try {
            metrics.write(t);
            if (ipvs != null) {
              ipvs.write(t);
            }
            if (election != null) {
              ElectionMetricsText.write(election, t);
            }
          } catch (RuntimeException e) {
            log.warn("metrics: rendering failed: {}", e.toString());
            t.header("lvs_ipvs_scrape_error", "gauge", "1 when rendering the metrics failed.")
                .sample("lvs_ipvs_scrape_error", 1);
          } finally {
            scrape.release();
          }
          respond(ex, 200, PROMETHEUS_CONTENT_TYPE, t.toString());
        });
    server.start();
    log.info(
        "http: serving /healthz, /readyz and /metrics on {}:{}",
        address.getHostAddress(),
        server.getAddress().getPort());
    return new AgentHttpServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
