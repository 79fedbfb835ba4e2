package dev.lvs.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.e2e.support.Kubectl;
import dev.lvs.e2e.support.Processes;
import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CRDs as a user meets them: {@code kubectl apply} of crds/ and examples/, {@code kubectl get
 * lvs}, and the status subresource shared by the operator and the agents through server-side apply,
 * each writer with its own field manager and no conflicts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesAndStatusIT {

  private static KubernetesClient client;
  private static Kubectl kubectl;
  private static String namespace;

  @BeforeAll
  static void start() throws IOException {
    TestApiServer server = TestApiServer.get();
    client = server.newClient();
    kubectl = new Kubectl(server.writeKubeConfig(Files.createTempDirectory("lvs-it")));
    namespace = server.freshNamespace("examples");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  @Order(1)
  void crdsAreEstablishedWithTheirNames() {
    for (String name : List.of("virtualservices.lvs.dev", "realservers.lvs.dev")) {
      assertThat(TestApiServer.isEstablished(client, name)).as(name).isTrue();
    }
    String resources = kubectl.run("api-resources", "--api-group=lvs.dev", "-o", "wide");
    assertThat(resources).contains("lvsvs").contains("lvsrs").contains("lvs");
    assertThat(resources).doesNotContain(" vs ").doesNotContain(" rs ");
  }

  @Test
  @Order(2)
  void examplesApplyAndShowInKubectlGetLvs() throws IOException {
    Path examples = TestApiServer.repo().resolve("examples");
    kubectl.run("apply", "-n", namespace, "-f", examplesIn(examples).toString());

    VirtualService web =
        client.resources(VirtualService.class).inNamespace(namespace).withName("web").get();
    assertThat(web.getSpec().getScheduler()).isEqualTo(Scheduler.WLC);
    assertThat(web.getSpec().getForwarding()).isEqualTo(LvsApi.FORWARDING_DIRECT_ROUTING);
    List<RealServer> servers =
        client.resources(RealServer.class).inNamespace(namespace).list().getItems();
    assertThat(servers).extracting(r -> r.getSpec().getWeight()).containsExactlyInAnyOrder(2, 1);

    String table = kubectl.run("get", "lvs", "-n", namespace);
    assertThat(table)
        .contains("virtualservice.lvs.dev/web")
        .contains("172.16.58.1")
        .contains("wlc")
        .contains("realserver.lvs.dev/rs1")
        .contains("172.16.58.7")
        .contains("172.16.58.8");
    String header =
        kubectl.run("get", "virtualservices", "-n", namespace).lines().findFirst().orElseThrow();
    assertThat(header).contains("VIP", "PORT", "PROTO", "SCHED", "READY", "AGE");
    String rsHeader =
        kubectl.run("get", "lvsrs", "-n", namespace).lines().findFirst().orElseThrow();
    assertThat(rsHeader).contains("ADDRESS", "NODE", "WEIGHT", "READY", "AGE");
  }

  @Test
  @Order(3)
  void invalidManifestIsRejectedByKubectlWithTheFieldNamed() throws IOException {
    Path bad = Files.createTempFile("bad-vs", ".yaml");
    Files.writeString(
        bad,
        """
        apiVersion: lvs.dev/v1alpha1
        kind: VirtualService
        metadata: {name: bad}
        spec:
          vip: 127.0.0.1
          port: 80
          forwarding: Tunnel
          directors: {matchLabels: {lvs.dev/director: "true"}}
          realServerSelector: {matchLabels: {app: web}}
        """);
    Processes.Result r = kubectl.exec("apply", "-n", namespace, "-f", bad.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr())
        .contains("spec.vip")
        .contains("loopback")
        .contains("spec.forwarding")
        .contains("not implemented yet");
  }

  @Test
  @Order(4)
  void operatorAndAgentsShareStatusWithoutConflicts() {
    long generation =
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .withName("web")
            .get()
            .getMetadata()
            .getGeneration();

    applyStatus(
        "lvs-agent-director-1", statusWithNode("director-1", LvsApi.ROLE_DIRECTOR, generation));
    applyStatus("lvs-agent-rs1", statusWithNode("rs1", LvsApi.ROLE_REAL_SERVER, generation));
    VirtualServiceStatus operatorPart = new VirtualServiceStatus();
    operatorPart.setObservedGeneration(generation);
    operatorPart.setRealServers("0/2");
    operatorPart.setConditions(
        List.of(
            new ConditionBuilder()
                .withType(LvsApi.CONDITION_READY)
                .withStatus("False")
                .withReason("RealServersNotReady")
                .withMessage("rs2 has not applied generation " + generation)
                .withLastTransitionTime("2026-01-01T00:00:00Z")
                .withObservedGeneration(generation)
                .build()));
    applyStatus("lvs-operator", operatorPart);

    VirtualService web =
        client.resources(VirtualService.class).inNamespace(namespace).withName("web").get();
    assertThat(web.getStatus().getNodes()).containsOnlyKeys("director-1", "rs1");
    assertThat(web.getStatus().getNodes().get("director-1").getRoles())
        .containsExactly(LvsApi.ROLE_DIRECTOR);
    assertThat(web.getStatus().getConditions())
        .extracting(Condition::getReason)
        .containsExactly("RealServersNotReady");
    assertThat(web.getMetadata().getGeneration())
        .as("status writes keep the generation")
        .isEqualTo(generation);
    assertThat(web.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .contains("lvs-agent-director-1", "lvs-agent-rs1", "lvs-operator");

    // An agent that no longer plays a role applies an empty status: only its own entry goes.
    applyStatus("lvs-agent-rs1", new VirtualServiceStatus());
    web = client.resources(VirtualService.class).inNamespace(namespace).withName("web").get();
    assertThat(web.getStatus().getNodes()).containsOnlyKeys("director-1");
    assertThat(web.getStatus().getRealServers()).isEqualTo("0/2");
    assertThat(web.getStatus().getConditions()).hasSize(1);
  }

  @Test
  @Order(5)
  void statusSubresourceIgnoresSpecChanges() {
    VirtualService attempt = statusPatch(new VirtualServiceStatus());
    attempt.setSpec(
        client
            .resources(VirtualService.class)
            .inNamespace(namespace)
            .withName("web")
            .get()
            .getSpec());
    attempt.getSpec().setPort(8080);
    serverSideApplyStatus("lvs-agent-sneaky", attempt);
    assertThat(
            client
                .resources(VirtualService.class)
                .inNamespace(namespace)
                .withName("web")
                .get()
                .getSpec()
                .getPort())
        .isEqualTo(80);
  }

  private static VirtualServiceStatus statusWithNode(String node, String role, long generation) {
    NodeReport report = new NodeReport();
    report.setRoles(List.of(role));
    report.setObservedGeneration(generation);
    report.setState("Applied");
    report.setLastUpdateTime("2026-01-01T00:00:00Z");
    VirtualServiceStatus status = new VirtualServiceStatus();
    status.getNodes().put(node, report);
    return status;
  }

  private static VirtualService statusPatch(VirtualServiceStatus status) {
    VirtualService patch = new VirtualService();
    patch.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace(namespace).build());
    patch.setStatus(status);
    return patch;
  }

  private static void applyStatus(String manager, VirtualServiceStatus status) {
    serverSideApplyStatus(manager, statusPatch(status));
  }

  private static void serverSideApplyStatus(String manager, VirtualService patch) {
    PatchContext apply =
        new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager(manager)
            .withForce(true)
            .build();
    client
        .resources(VirtualService.class)
        .inNamespace(namespace)
        .withName("web")
        .subresource("status")
        .patch(apply, patch);
  }

  /** The examples with their namespace moved into the test's namespace. */
  private static Path examplesIn(Path examples) throws IOException {
    Path dir = Files.createTempDirectory("examples");
    try (var files = Files.list(examples)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.writeString(
            dir.resolve(f.getFileName()),
            Files.readString(f).replace("namespace: default", "namespace: " + namespace));
      }
    }
    return dir;
  }
}
