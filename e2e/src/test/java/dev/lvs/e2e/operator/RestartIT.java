package dev.lvs.e2e.operator;

import static dev.lvs.e2e.operator.OperatorHarness.applied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.ApiCalls;
import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.LvsOperator;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.status.Conditions;
import dev.lvs.operator.status.Conditions.Reasons;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restarted operator that finds everything as it left it writes nothing: its client sends no
 * write request other than to its Lease, no resourceVersion of any VirtualService, RealServer or
 * the DaemonSet changes, and no MODIFIED event is seen.
 */
class RestartIT {
  private static OperatorHarness h;
  private ApiCalls restarted;
  private String markerNamespace;

  @BeforeAll
  static void start() {
    h = new OperatorHarness("rst");
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aRestartWithNothingChangedMakesNoWrites() {
    String label = "lvs.dev/director-" + h.namespace;
    String d = h.namespace + "-d";
    String n1 = h.namespace + "-n1";
    h.createNode(d, "10.35.0.2", label, "true");
    h.createNode(n1, "10.35.0.11");
    LvsOperator first = h.startOperator("rst-1");

    h.createRs("rs1", "web", null, n1);
    h.createVs("web", "10.35.1.1", 80, label, "web");
    h.createVs("pending", "10.35.1.2", 80, label, "none"); // Degraded, stays so
    h.awaitCondition("web", Conditions.READY, "False", null);
    long g = h.vs("web").getMetadata().getGeneration();
    h.agentReports(
        "web",
        d,
        applied(LvsApi.ROLE_DIRECTOR, g, Map.of("rs1", h.rs("rs1").getMetadata().getGeneration())));
    h.agentReports("web", n1, applied(LvsApi.ROLE_REAL_SERVER, g, Map.of()));
    h.agentReportsVips("rs1", n1, "10.35.1.1");
    h.awaitCondition("web", Conditions.READY, "True", Reasons.ALL_AGENTS_APPLIED);
    h.awaitRsCondition("rs1", Conditions.READY, "True", null);
    h.awaitCondition("pending", Conditions.DEGRADED, "True", Reasons.NO_REAL_SERVERS);
    await().atMost(OperatorHarness.TIMEOUT).until(() -> h.daemonSet() != null);
    // Settled: nothing changes for a few seconds in a row.
    AtomicReference<Map<String, String>> last = new AtomicReference<>(versions());
    await()
        .during(Duration.ofSeconds(3))
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> last.getAndSet(versions()).equals(last.get()));

    Map<String, String> before = versions();
    h.stopOperator(first);

    List<String> modified = new CopyOnWriteArrayList<>();
    try (Watch vsWatch = watch(VirtualService.class, modified);
        Watch rsWatch = watch(RealServer.class, modified);
        Watch dsWatch =
            h.client
                .apps()
                .daemonSets()
                .inNamespace(h.operatorNamespace)
                .watch(recorder(modified))) {
      ApiCalls calls = new ApiCalls();
      h.startOperator("rst-2", calls);
      // Proof that the new replica leads and has reconciled: a marker in another namespace.
      String markerNs = TestApiServer.get().freshNamespace("rst-marker");
      restarted = calls;
      markerNamespace = markerNs;
      var marker = new VirtualService();
      marker.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName("marker")
              .withNamespace(markerNs)
              .build());
      var spec = new dev.lvs.operator.api.v1alpha1.VirtualServiceSpec();
      spec.setVip("10.35.9.9");
      spec.setPort(80);
      spec.setDirectors(
          new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
              .addToMatchLabels("lvs.dev/none-" + h.namespace, "x")
              .build());
      spec.setRealServerSelector(
          new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
              .addToMatchLabels("app", "none")
              .build());
      marker.setSpec(spec);
      h.client.resource(marker).create();
      await()
          .atMost(OperatorHarness.TIMEOUT)
          .until(
              () ->
                  h.client
                          .resources(VirtualService.class)
                          .inNamespace(markerNs)
                          .withName("marker")
                          .get()
                          .getStatus()
                      != null);
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15))
          .until(() -> versions().equals(before) && modified.isEmpty());
      h.client
          .resources(VirtualService.class)
          .inNamespace(markerNs)
          .withName("marker")
          .edit(
              v -> {
                v.getMetadata().setFinalizers(List.of());
                return v;
              });
    }
    assertThat(modified).isEmpty();
    assertThat(versions()).isEqualTo(before);
    // The API calls themselves, as the new replica's client sent them: a write that changes
    // nothing (a no-op server-side apply) leaves versions and watches alone but still counts here.
    String markerPath = "/namespaces/" + markerNamespace + "/";
    List<ApiCalls.Call> all = restarted.all();
    // Other test classes' objects share the API server (the operator watches every namespace),
    // and whatever the previous replica left unfinished there is not this test's business.
    Predicate<ApiCalls.Call> elsewhere =
        c ->
            c.path().contains("/namespaces/")
                && !c.path().contains("/namespaces/" + h.namespace + "/")
                && !c.path().contains("/namespaces/" + h.operatorNamespace + "/");
    assertThat(restarted.writes(c -> !c.path().contains(markerPath)))
        .as("the counting sees the marker's writes (of %d calls: %s)", all.size(), all)
        .isNotEmpty();
    assertThat(restarted.writes(c -> ApiCalls.lease(c) || elsewhere.test(c)))
        .as("writes by the restarted operator to this test's objects, other than its Lease")
        .isEmpty();
    System.out.printf(
        "restarted operator: %d API calls, %d writes (Lease %d, marker %d), none to the objects"
            + " it had reconciled%n",
        all.size(),
        restarted.writes(c -> false).size(),
        restarted.writes(c -> !ApiCalls.lease(c)).size(),
        restarted.writes(c -> !c.path().contains(markerPath)).size());
  }

  /** resourceVersion of every VirtualService and RealServer of the test, and the DaemonSet. */
  private static Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    for (var vs :
        h.client.resources(VirtualService.class).inNamespace(h.namespace).list().getItems()) {
      v.put("vs/" + vs.getMetadata().getName(), vs.getMetadata().getResourceVersion());
    }
    for (var rs : h.client.resources(RealServer.class).inNamespace(h.namespace).list().getItems()) {
      v.put("rs/" + rs.getMetadata().getName(), rs.getMetadata().getResourceVersion());
    }
    var ds = h.daemonSet();
    v.put("ds", ds == null ? null : ds.getMetadata().getResourceVersion());
    return v;
  }

  private static <T extends HasMetadata> Watch watch(Class<T> type, List<String> modified) {
    return h.client.resources(type).inNamespace(h.namespace).watch(recorder(modified));
  }

  private static <T extends HasMetadata> Watcher<T> recorder(List<String> modified) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.MODIFIED) {
          modified.add(resource.getKind() + "/" + resource.getMetadata().getName());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
