package dev.lvs.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.Helm;
import dev.lvs.e2e.support.TestApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's policies on what agents may write, judged by a real kube-apiserver with the chart's
 * agent RBAC: a token bound to a pod on node A (which carries {@code
 * authentication.kubernetes.io/node-name}) may write only node A's {@code status.nodes} entry, the
 * {@code status.vips} of RealServers on node A, and the owned-objects annotation of Node A.
 */
class AgentWritesPolicyIT {
  private static final String RELEASE = "aw";
  private static final String SA = "aw-lvs-operator-agent";
  private static final String ANNOTATION = "lvs.dev/agent-owned-objects";

  private static KubernetesClient admin;
  private static String ns;
  private static String nodeA;
  private static String nodeB;
  private static KubernetesClient agentA;
  private static KubernetesClient unbound;
  private static List<HasMetadata> chartObjects;

  @BeforeAll
  static void install() {
    TestApiServer api = TestApiServer.get();
    admin = api.newClient();
    ns = api.freshNamespace("agent-writes");
    String id = UUID.randomUUID().toString().substring(0, 6);
    nodeA = "aw-a-" + id;
    nodeB = "aw-b-" + id;
    for (String n : List.of(nodeA, nodeB)) {
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(n).endMetadata().build())
          .create();
    }
    String yaml =
        Helm.run(
            "template",
            RELEASE,
            TestApiServer.repo().resolve("helm/lvs-operator").toString(),
            "-n",
            ns,
            "--show-only",
            "templates/agent-status-policy.yaml",
            "--show-only",
            "templates/agent-rbac.yaml");
    chartObjects =
        admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    for (HasMetadata o : chartObjects) {
      if (o instanceof ClusterRoleBinding b) {
        b.getSubjects().forEach(s -> s.setNamespace(ns));
      }
      admin.resource(o).serverSideApply();
    }
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName(SA).endMetadata().build())
        .create();
    Pod pod =
        admin
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("agent-a")
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName(nodeA)
                    .withServiceAccountName(SA)
                    .addNewContainer()
                    .withName("agent")
                    .withImage("lvs-agent:test")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    agentA = clientWithToken(token(pod));
    unbound = clientWithToken(token(null));
  }

  @AfterAll
  static void uninstall() {
    if (admin != null) {
      chartObjects.forEach(o -> admin.resource(o).delete());
      admin.nodes().withName(nodeA).delete();
      admin.nodes().withName(nodeB).delete();
      admin.close();
    }
  }

  private static String token(Pod boundTo) {
    TokenRequest request = new TokenRequest();
    request.setSpec(new io.fabric8.kubernetes.api.model.authentication.TokenRequestSpec());
    request.getSpec().setExpirationSeconds(3600L);
    if (boundTo != null) {
      request
          .getSpec()
          .setBoundObjectRef(
              new BoundObjectReference(
                  "v1", "Pod", boundTo.getMetadata().getName(), boundTo.getMetadata().getUid()));
    }
    TokenRequest r = admin.serviceAccounts().inNamespace(ns).withName(SA).tokenRequest(request);
    return r.getStatus().getToken();
  }

  private static KubernetesClient clientWithToken(String token) {
    Config base = TestApiServer.get().config();
    Config c =
        new ConfigBuilder(base)
            .withClientCertData(null)
            .withClientKeyData(null)
            .withClientCertFile(null)
            .withClientKeyFile(null)
            .withOauthToken(token)
            .build();
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  private static String objectsYaml() {
    return """
        apiVersion: lvs.dev/v1alpha1
        kind: VirtualService
        metadata: {name: web, namespace: NS}
        spec:
          vip: 192.0.2.80
          port: 80
          directors: {matchLabels: {lvs.dev/director: "true"}}
          realServerSelector: {matchLabels: {app: web}}
        ---
        apiVersion: lvs.dev/v1alpha1
        kind: RealServer
        metadata: {name: rs-a, namespace: NS, labels: {app: web}}
        spec: {nodeName: A}
        ---
        apiVersion: lvs.dev/v1alpha1
        kind: RealServer
        metadata: {name: rs-b, namespace: NS, labels: {app: web}}
        spec: {nodeName: B}
        """
        .replace("NS", ns)
        .replace("A}", nodeA + "}")
        .replace("B}", nodeB + "}");
  }

  private static PatchContext ssa(String manager) {
    return new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(manager)
        .withForce(true)
        .build();
  }

  /** Null when the write was admitted, else the API server's code and message. */
  private static String statusPatch(KubernetesClient c, String kind, String name, String status) {
    return statusPatch(c, kind, name, status, "lvs-agent-test");
  }

  private static String statusPatch(
      KubernetesClient c, String kind, String name, String status, String manager) {
    String body =
        "{\"apiVersion\":\"lvs.dev/v1alpha1\",\"kind\":\""
            + kind
            + "\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + ns
            + "\"},\"status\":"
            + status
            + "}";
    try {
      c.genericKubernetesResources("lvs.dev/v1alpha1", kind)
          .inNamespace(ns)
          .withName(name)
          .subresource("status")
          .patch(ssa(manager), body);
      return null;
    } catch (KubernetesClientException e) {
      return e.getCode() + " " + e.getMessage();
    }
  }

  private static String entry(String node) {
    return entry(node, 1);
  }

  private static String entry(String node, long generation) {
    return "{\"nodes\":{\""
        + node
        + "\":{\"state\":\"Applied\",\"observedGeneration\":"
        + generation
        + "}}}";
  }

  private static String nodePatch(KubernetesClient c, String node, String json) {
    try {
      c.nodes()
          .withName(node)
          .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(), json);
      return null;
    } catch (KubernetesClientException e) {
      return e.getCode() + " " + e.getMessage();
    }
  }

  @Test
  void aNodeBoundAgentWritesOnlyItsOwnNodesParts() {
    admin
        .load(new ByteArrayInputStream(objectsYaml().getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
    // Policies take a moment to be loaded by the API server. Each probe writes something new:
    // a write that got in before the policy was loaded would make the same write "unchanged",
    // which the policy rightly lets through.
    java.util.concurrent.atomic.AtomicLong probe = new java.util.concurrent.atomic.AtomicLong(100);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                // A field manager of its own: a probe that got in stays its field, and a later
                // apply under the test's manager does not remove it (which the policy denies).
                statusPatch(
                        agentA,
                        "VirtualService",
                        "web",
                        entry(nodeB, probe.incrementAndGet()),
                        "policy-probe")
                    != null);

    assertThat(statusPatch(agentA, "VirtualService", "web", entry(nodeA))).isNull();
    assertThat(statusPatch(agentA, "VirtualService", "web", entry(nodeB)))
        .startsWith("403")
        .contains("the agent of node " + nodeA + " may write only status.nodes." + nodeA);
    assertThat(
            statusPatch(
                agentA,
                "VirtualService",
                "web",
                "{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Forged\","
                    + "\"message\":\"x\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}"))
        .startsWith("403");

    assertThat(statusPatch(agentA, "RealServer", "rs-a", "{\"vips\":[\"192.0.2.80\"]}")).isNull();
    assertThat(statusPatch(agentA, "RealServer", "rs-b", "{\"vips\":[\"192.0.2.80\"]}"))
        .startsWith("403")
        .contains("may write only status.vips of RealServers with spec.nodeName " + nodeA);

    String annotate = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"3\"}}}";
    assertThat(nodePatch(agentA, nodeA, annotate)).isNull();
    assertThat(nodePatch(agentA, nodeB, annotate))
        .startsWith("403")
        .contains("may annotate only its own Node");
    assertThat(
            nodePatch(agentA, nodeA, "{\"metadata\":{\"labels\":{\"lvs.dev/director\":\"true\"}}}"))
        .startsWith("403")
        .contains("may change only the annotation " + ANNOTATION);
  }

  @Test
  void withoutANodeBoundTokenRbacIsTheGuardButNodeLabelsStayOutOfReach() {
    admin
        .load(new ByteArrayInputStream(objectsYaml().getBytes(StandardCharsets.UTF_8)))
        .serverSideApply();
    // Each probe is a new label value: one that got in before the policy was loaded would make
    // the same patch a no-op, which the policy lets through.
    java.util.concurrent.atomic.AtomicLong probe = new java.util.concurrent.atomic.AtomicLong();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                nodePatch(
                        unbound,
                        nodeB,
                        "{\"metadata\":{\"labels\":{\"lvs-test/probe\":\"p"
                            + probe.incrementAndGet()
                            + "\"}}}")
                    != null);
    // A token without the node name cannot be tied to a node: status writes are RBAC's alone.
    assertThat(statusPatch(unbound, "VirtualService", "web", entry(nodeB))).isNull();
    assertThat(
            nodePatch(
                unbound, nodeB, "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"0\"}}}"))
        .isNull();
    assertThat(
            nodePatch(
                unbound, nodeB, "{\"metadata\":{\"labels\":{\"lvs.dev/director\":\"true\"}}}"))
        .startsWith("403");
  }
}
