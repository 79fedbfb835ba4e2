package dev.lvs.agent.report;

import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's status writes against a real kube-apiserver (started here, inside the IT's own
 * network namespace), where server-side apply's field ownership decides what a write removes.
 */
class KubernetesStatusReporterIT {
  private static KubeAPIServer server;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    boolean provisioned = System.getenv("LVS_K8S_BIN") != null;
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(provisioned)
                // The IT's network namespace has only lo and no default route, from which
                // kube-apiserver would pick the address it advertises.
                .withApiServerFlag("--advertise-address", "127.0.0.1")
                .build());
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
    Path crds = Path.of(System.getProperty("lvs.repo", "..")).resolve("crds");
    try (Stream<Path> files = Files.list(crds)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          CustomResourceDefinition crd =
              client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).create();
          String name = crd.getMetadata().getName();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      client
                          .apiextensions()
                          .v1()
                          .customResourceDefinitions()
                          .withName(name)
                          .get()
                          .getStatus()
                          .getConditions()
                          .stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus())));
        }
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> client.resources(RealServer.class).inNamespace("default").list() != null);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  private static RealServer fetch(String name) {
    return client.resources(RealServer.class).inNamespace("default").withName(name).get();
  }

  private static List<String> vips(String name) {
    RealServer rs = fetch(name);
    return rs.getStatus() == null || rs.getStatus().getVips() == null
        ? List.of()
        : rs.getStatus().getVips();
  }

  /**
   * A RealServer moves from node x to node y, which holds no VIP for it: y clears the list that x
   * wrote. An empty apply would not (x's field manager owns it), and nothing else ever would.
   */
  @Test
  void theNewNodeClearsVipsThePreviousNodeWrote() throws InterruptedException {
    List<Node> nodes =
        List.of(
            node("lb1", Map.of("lvs.dev/director", "true"), "172.16.58.2"),
            node("x", Map.of(), "172.16.58.7"),
            node("y", Map.of(), "172.16.58.8"));
    RealServer moving = rs("moving", null, "x", 1);
    moving.getMetadata().setGeneration(null);
    client.resource(moving).create();
    VirtualService vs = web();
    vs.getMetadata().setGeneration(null);
    vs.getMetadata().setCreationTimestamp(null);
    client.resource(vs).create();

    KubernetesStatusReporter x = new KubernetesStatusReporter(client, "x", Clock.systemUTC());
    x.report(
        StatusReportsTest.result(
            "x",
            client.resources(VirtualService.class).inNamespace("default").list().getItems(),
            List.of(fetch("moving")),
            nodes));
    assertThat(x.flush(Duration.ofSeconds(30))).isTrue();
    x.close();
    assertThat(vips("moving")).containsExactly("172.16.58.1");

    client
        .resources(RealServer.class)
        .inNamespace("default")
        .withName("moving")
        .edit(
            r -> {
              r.getSpec().setNodeName("y");
              return r;
            });
    // What y's field manager could do with server-side apply alone: nothing.
    client
        .resources(RealServer.class)
        .inNamespace("default")
        .withName("moving")
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(KubernetesStatusReporter.fieldManager("y"))
                .withForce(true)
                .build(),
            "{\"apiVersion\":\"lvs.dev/v1alpha1\",\"kind\":\"RealServer\","
                + "\"metadata\":{\"name\":\"moving\",\"namespace\":\"default\"},\"status\":{}}");
    assertThat(vips("moving")).as("an empty apply by y leaves x's list").isNotEmpty();

    // y serves no VirtualService for it (none selects it any more): it holds no VIP.
    KubernetesStatusReporter y = new KubernetesStatusReporter(client, "y", Clock.systemUTC());
    y.report(StatusReportsTest.result("y", List.of(), List.of(fetch("moving")), nodes));
    assertThat(y.flush(Duration.ofSeconds(30))).isTrue();
    y.close();
    assertThat(vips("moving")).isEmpty();
    assertThat(fetch("moving").getStatus().getVipsObservedAt()).isNull();
  }

  /**
   * The owned-objects count on the agent's own Node (issue #18 item 1): written when it changes, a
   * merge patch of that one annotation that keeps the Node's other annotations and labels.
   */
  @Test
  void theOwnedObjectsCountGoesOnTheAgentsOwnNode() throws Exception {
    Node n = node("owner", Map.of("keep", "me"), "172.16.58.9");
    n.getMetadata().setAnnotations(Map.of("other", "annotation"));
    client.resource(n).create();
    Path dir = Files.createTempDirectory("owned");
    var store = dev.lvs.agent.state.OwnershipStore.open(dir);
    var o = dev.lvs.agent.state.Ownership.empty();
    o.putSysctl("net/ipv4/conf/all/arp_ignore", new dev.lvs.agent.state.OwnedSysctl("0", "1"));
    store.save(o);
    var reporter = new OwnedObjectsReporter(client, "owner", store);
    var result = StatusReportsTest.result("owner", List.of(), List.of(), List.of(n));
    reporter.report(result);
    Node after = client.nodes().withName("owner").get();
    assertThat(after.getMetadata().getAnnotations())
        .containsEntry(OwnedObjectsReporter.ANNOTATION, "1")
        .containsEntry("other", "annotation");
    assertThat(after.getMetadata().getLabels()).containsEntry("keep", "me");

    store.save(dev.lvs.agent.state.Ownership.empty());
    reporter.report(result);
    assertThat(client.nodes().withName("owner").get().getMetadata().getAnnotations())
        .containsEntry(OwnedObjectsReporter.ANNOTATION, "0");
  }
}
