package dev.lvs.agent.report;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz} (the process serves), {@code /readyz} (a sync completed with every source
 * loaded) and {@code /metrics} (Prometheus text), on the JDK's built-in HTTP server.
 */
public final class AgentHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentHttpServer.class);
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private AgentHttpServer(HttpServer server) {
    this.server = server;
  }

  public static AgentHttpServer start(
      int port, BooleanSupplier ready, SyncMetrics metrics, IpvsMetrics ipvs) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lvs-http");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
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
          PrometheusText t = new PrometheusText();
          metrics.write(t);
          try {
            if (ipvs != null) {
              ipvs.write(t);
            }
          } catch (IOException | RuntimeException e) {
            log.warn("metrics: reading IPVS counters failed: {}", e.getMessage());
            t.header("lvs_ipvs_scrape_error", "gauge", "1 when reading IPVS counters failed.")
                .sample("lvs_ipvs_scrape_error", 1);
          }
          respond(ex, 200, PROMETHEUS_CONTENT_TYPE, t.toString());
        });
    server.start();
    log.info(
        "http: serving /healthz, /readyz and /metrics on port {}", server.getAddress().getPort());
    return new AgentHttpServer(server);
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
  }
}
