package dev.lvs.agent.report;

import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.sync.SyncResult;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this node's share of the status with server-side apply, as field manager {@code
 * lvs-agent-<node>}: {@code status.nodes.<node>} of each VirtualService it plays a role in, and
 * {@code status.vips} of its RealServers. The operator applies the rest of the status under its own
 * manager, so neither writer overwrites the other. {@code force} only ever takes over this
 * manager's own fields, since no other field is in the patch. Applying an empty status removes the
 * fields this manager owned.
 *
 * <p>{@link #report} only decides what to write ({@link StatusReports}, pure) and hands the writes
 * to a {@link CoalescingWriter}: the API calls run on a thread of their own, at most {@link
 * #WRITES_PER_SECOND} a second, one per object, the latest state of an object replacing a write of
 * it still waiting. A slow or unreachable API server therefore never holds up a sync (a quiesce
 * included); at a cold start with thousands of VirtualServices the statuses follow at that rate.
 */
public final class KubernetesStatusReporter implements Reporter {
  private static final Logger log = LoggerFactory.getLogger(KubernetesStatusReporter.class);

  /** The writer's steady rate and burst: a node's agent is one of many API clients. */
  public static final double WRITES_PER_SECOND = 20;

  public static final int WRITE_BURST = 50;

  /** The status calls this reporter makes; a seam for tests. */
  interface StatusApi {
    /** Server-side apply of {@code status} (this node's part; empty: give up all of it). */
    void apply(String kind, ObjectRef ref, Map<String, Object> status);

    /** Removes {@code status.vips} and {@code status.vipsObservedAt} of a RealServer. */
    void clearVips(ObjectRef realServer);
  }

  private final StatusApi api;
  private final String nodeName;
  private final Clock clock;
  private final CoalescingWriter writer;

  public KubernetesStatusReporter(KubernetesClient client, String nodeName, Clock clock) {
    this(
        new FabricStatusApi(client, nodeName),
        nodeName,
        clock,
        new CoalescingWriter("lvs-status", WRITES_PER_SECOND, WRITE_BURST));
  }

  KubernetesStatusReporter(StatusApi api, String nodeName, Clock clock, CoalescingWriter writer) {
    this.api = api;
    this.nodeName = nodeName;
    this.clock = clock;
    this.writer = writer;
  }

  public static String fieldManager(String nodeName) {
    return "lvs-agent-" + nodeName;
  }

  private record Key(String kind, ObjectRef ref) {}

  @Override
  public void report(SyncResult result) {
    StatusReports.Writes writes = StatusReports.compute(result, nodeName);
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    for (StatusReports.NodeReportWrite w : writes.nodeReports()) {
      Map<String, Object> status = new LinkedHashMap<>();
      if (w.report() != null) {
        NodeReport r = w.report();
        r.setLastUpdateTime(now);
        status.put("nodes", Map.of(nodeName, r));
      }
      writer.submit(
          new Key("VirtualService", w.virtualService()),
          () -> api.apply("VirtualService", w.virtualService(), status));
    }
    for (StatusReports.VipsWrite w : writes.vips()) {
      Key key = new Key("RealServer", w.realServer());
      if (w.vips().isEmpty()) {
        // Not an empty apply: that drops only what this node's field manager owns, and the list
        // may be another node's (the RealServer's previous nodeName), which nobody else clears.
        // This node is the RealServer's node now, the one writer of its VIPs: remove them.
        writer.submit(key, () -> api.clearVips(w.realServer()));
        continue;
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("vips", w.vips());
      status.put("vipsObservedAt", now);
      writer.submit(key, () -> api.apply("RealServer", w.realServer(), status));
    }
  }

  /** Waits until every write handed over so far has been made; false on timeout. */
  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    return writer.awaitIdle(timeout);
  }

  @Override
  public void close() {
    int left = writer.pending();
    if (left > 0) {
      log.info("report: stopping with {} status write(s) not made", left);
    }
    writer.close();
  }

  /** The calls, through the fabric8 client. */
  private static final class FabricStatusApi implements StatusApi {
    private static final PatchContext CLEAR = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient client;
    private final String nodeName;
    private final PatchContext apply;

    FabricStatusApi(KubernetesClient client, String nodeName) {
      this.client = client;
      this.nodeName = nodeName;
      this.apply =
          new PatchContext.Builder()
              .withPatchType(PatchType.SERVER_SIDE_APPLY)
              .withFieldManager(fieldManager(nodeName))
              .withForce(true)
              .build();
    }

    @Override
    public void apply(String kind, ObjectRef ref, Map<String, Object> status) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("apiVersion", LvsApi.API_VERSION);
      body.put("kind", kind);
      body.put("metadata", Map.of("name", ref.name(), "namespace", ref.namespace()));
      body.put("status", status);
      String json = client.getKubernetesSerialization().asJson(body);
      patch(
          type(kind),
          kind,
          ref,
          apply,
          json,
          status.isEmpty() ? "entry of " + nodeName + " removed" : "applied " + status.keySet());
    }

    @Override
    public void clearVips(ObjectRef realServer) {
      patch(
          RealServer.class,
          "RealServer",
          realServer,
          CLEAR,
          "{\"status\":{\"vips\":null,\"vipsObservedAt\":null}}",
          "cleared vips");
    }

    private static Class<? extends HasMetadata> type(String kind) {
      return switch (kind) {
        case "VirtualService" -> VirtualService.class;
        case "RealServer" -> RealServer.class;
        default -> throw new IllegalArgumentException(kind);
      };
    }

    private void patch(
        Class<? extends HasMetadata> type,
        String kind,
        ObjectRef ref,
        PatchContext how,
        String json,
        String what) {
      try {
        client
            .resources(type)
            .inNamespace(ref.namespace())
            .withName(ref.name())
            .subresource("status")
            .patch(how, json);
        log.info("report: {} {} status {}", kind, ref, what);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          log.debug("report: {} {} is gone", kind, ref);
        } else {
          log.warn("report: writing the status of {} {} failed: {}", kind, ref, e.getMessage());
        }
      }
    }
  }
}
