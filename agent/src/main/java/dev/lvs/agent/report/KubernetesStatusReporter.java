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
 */
public final class KubernetesStatusReporter implements Reporter {
  private static final Logger log = LoggerFactory.getLogger(KubernetesStatusReporter.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Clock clock;
  private final PatchContext apply;

  public KubernetesStatusReporter(KubernetesClient client, String nodeName, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
    this.apply =
        new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager(fieldManager(nodeName))
            .withForce(true)
            .build();
  }

  public static String fieldManager(String nodeName) {
    return "lvs-agent-" + nodeName;
  }

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
      write(VirtualService.class, "VirtualService", w.virtualService(), status);
    }
    for (StatusReports.VipsWrite w : writes.vips()) {
      if (w.vips().isEmpty()) {
        // Not an empty apply: that drops only what this node's field manager owns, and the list
        // may be another node's (the RealServer's previous nodeName), which nobody else clears.
        // This node is the RealServer's node now, the one writer of its VIPs: remove them.
        patch(
            RealServer.class,
            "RealServer",
            w.realServer(),
            CLEAR,
            "{\"status\":{\"vips\":null,\"vipsObservedAt\":null}}",
            "cleared vips");
        continue;
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("vips", w.vips());
      status.put("vipsObservedAt", now);
      write(RealServer.class, "RealServer", w.realServer(), status);
    }
  }

  private static final PatchContext CLEAR = PatchContext.of(PatchType.JSON_MERGE);

  /** Server-side apply of this node's part of the status; empty: give up all of it. */
  private <T extends HasMetadata> void write(
      Class<T> type, String kind, ObjectRef ref, Map<String, Object> status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", LvsApi.API_VERSION);
    body.put("kind", kind);
    body.put("metadata", Map.of("name", ref.name(), "namespace", ref.namespace()));
    body.put("status", status);
    String json = client.getKubernetesSerialization().asJson(body);
    patch(
        type,
        kind,
        ref,
        apply,
        json,
        status.isEmpty() ? "entry of " + nodeName + " removed" : "applied " + status.keySet());
  }

  private <T extends HasMetadata> void patch(
      Class<T> type, String kind, ObjectRef ref, PatchContext how, String json, String what) {
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
