package dev.lvs.e2e.operator;

import static org.awaitility.Awaitility.await;

import dev.lvs.e2e.support.ApiCalls;
import dev.lvs.e2e.support.TestApiServer;
import dev.lvs.operator.LvsOperator;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.config.OperatorOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the operator in-process against the shared test API server and plays the parts the API
 * server lacks: Nodes (there is no kubelet) and agents (their status reports, applied with their
 * own field managers exactly as the real agents do). One harness per test class: its own operator
 * namespace (DaemonSet, Lease), its own workload namespace and node-name prefix.
 */
final class OperatorHarness implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  final KubernetesClient client;
  final String operatorNamespace;
  final String namespace;
  final String prefix;
  private final List<LvsOperator> operators = new ArrayList<>();
  private final List<String> nodes = new ArrayList<>();

  OperatorHarness(String prefix) {
    TestApiServer server = TestApiServer.get();
    this.client = server.newClient();
    this.prefix = prefix;
    this.operatorNamespace = server.freshNamespace(prefix + "-system");
    this.namespace = server.freshNamespace(prefix);
  }

  /** Starts an operator replica in-process; flags as on the command line. */
  LvsOperator startOperator(String identity, String... flags) {
    return startOperator(identity, (ApiCalls) null, flags);
  }

  /** As {@link #startOperator(String, String...)}, with every API request recorded in calls. */
  LvsOperator startOperator(String identity, ApiCalls calls, String... flags) {
    TestApiServer server = TestApiServer.get();
    return startOperator(
        identity, calls == null ? server.newClient() : server.newClient(calls), flags);
  }

  /** As {@link #startOperator(String, String...)}, with the operator's own client. */
  LvsOperator startOperator(String identity, KubernetesClient operatorClient, String... flags) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--namespace=" + operatorNamespace,
            "--identity=" + identity,
            "--metrics-port=-1",
            "--exit-on-lost-leadership=false",
            "--deletion-timeout=20s",
            "--lease-duration=6s",
            "--renew-deadline=4s",
            "--retry-period=1s"));
    args.addAll(List.of(flags));
    OperatorConfig config;
    try {
      config = OperatorOptions.parse(args.toArray(String[]::new), Map.of()).config();
    } catch (OperatorOptions.UsageException e) {
      throw new IllegalArgumentException(e);
    }
    LvsOperator op = new LvsOperator(config, operatorClient, Clock.systemUTC());
    operators.add(op);
    return op.start();
  }

  void stopOperator(LvsOperator op) {
    op.close();
    operators.remove(op);
  }

  // ------------------------------------------------------------------ nodes

  /** A Node as a kubelet would register it: labels, an InternalIP, Ready. */
  Node createNode(String name, String internalIp, String... labels) {
    Map<String, String> l = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    Node node =
        client
            .nodes()
            .resource(
                new NodeBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withLabels(l)
                    .endMetadata()
                    .build())
            .create();
    nodes.add(name);
    node.setStatus(
        new NodeBuilder()
            .withNewStatus()
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(internalIp)
            .endAddress()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .endCondition()
            .endStatus()
            .build()
            .getStatus());
    // A status patch without resourceVersion: a running operator may label the new Node at once
    // (the agent label), and a PUT from the create's version would then get a 409.
    node.getMetadata().setResourceVersion(null);
    return client
        .nodes()
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(
                java.util.Map.of("status", node.getStatus())));
  }

  /** A merge patch of one label (no resourceVersion: the operator writes the agent label too). */
  void labelNode(String name, String key, String value) {
    client
        .nodes()
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\""
                + key
                + "\":"
                + (value == null ? "null" : "\"" + value + "\"")
                + "}}}");
  }

  /**
   * What the node lifecycle controller does when a kubelet stops reporting (and undoes), retrying
   * on 409: the operator writes the Node's agent label concurrently.
   */
  void setNodeReady(String node, String status) {
    await()
        .atMost(TIMEOUT)
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              client
                  .nodes()
                  .withName(node)
                  .editStatus(
                      n -> {
                        n.getStatus().getConditions().stream()
                            .filter(c -> "Ready".equals(c.getType()))
                            .forEach(
                                c -> {
                                  c.setStatus(status);
                                  c.setReason(
                                      "True".equals(status) ? "KubeletReady" : "NodeStatusUnknown");
                                });
                        return n;
                      });
              return true;
            });
  }

  /** The node's agent label as the operator set it, or null. */
  String agentLabel(String node) {
    Node n = client.nodes().withName(node).get();
    return n == null || n.getMetadata().getLabels() == null
        ? null
        : n.getMetadata().getLabels().get(dev.lvs.operator.agent.AgentNodeLabels.LABEL);
  }

  void deleteNode(String name) {
    client.nodes().withName(name).delete();
  }

  // ------------------------------------------------------------------ resources

  VirtualService createVs(String name, String vip, int port, String directorLabel, String app) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    VirtualServiceSpec spec = new VirtualServiceSpec();
    spec.setVip(vip);
    spec.setPort(port);
    spec.setDirectors(new LabelSelectorBuilder().addToMatchLabels(directorLabel, "true").build());
    spec.setRealServerSelector(new LabelSelectorBuilder().addToMatchLabels("app", app).build());
    vs.setSpec(spec);
    return client.resource(vs).create();
  }

  RealServer createRs(String name, String app, String address, String nodeName) {
    RealServer rs = new RealServer();
    rs.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(Map.of("app", app))
            .build());
    RealServerSpec spec = new RealServerSpec();
    spec.setAddress(address);
    spec.setNodeName(nodeName);
    rs.setSpec(spec);
    return client.resource(rs).create();
  }

  /**
   * Edits a VirtualService as a user would, retrying on 409: the operator and the agents write
   * status concurrently, which moves the resourceVersion an edit is based on.
   */
  void editVs(String name, java.util.function.Consumer<VirtualService> change) {
    await()
        .atMost(TIMEOUT)
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              client
                  .resources(VirtualService.class)
                  .inNamespace(namespace)
                  .withName(name)
                  .edit(
                      vs -> {
                        change.accept(vs);
                        return vs;
                      });
              return true;
            });
  }

  /** Edits a RealServer, retrying on 409 (see {@link #editVs}). */
  void editRs(String name, java.util.function.Consumer<RealServer> change) {
    await()
        .atMost(TIMEOUT)
        .ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .until(
            () -> {
              client
                  .resources(RealServer.class)
                  .inNamespace(namespace)
                  .withName(name)
                  .edit(
                      rs -> {
                        change.accept(rs);
                        return rs;
                      });
              return true;
            });
  }

  VirtualService vs(String name) {
    return client.resources(VirtualService.class).inNamespace(namespace).withName(name).get();
  }

  RealServer rs(String name) {
    return client.resources(RealServer.class).inNamespace(namespace).withName(name).get();
  }

  DaemonSet daemonSet() {
    return client.apps().daemonSets().inNamespace(operatorNamespace).withName("lvs-agent").get();
  }

  // ------------------------------------------------------------------ simulated agents

  /** What the agent on {@code node} applies for a VirtualService: only its own nodes entry. */
  void agentReports(String vsName, String node, NodeReport report) {
    VirtualServiceStatus status = new VirtualServiceStatus();
    if (report != null) {
      status.getNodes().put(node, report);
    }
    VirtualService patch = new VirtualService();
    patch.setMetadata(new ObjectMetaBuilder().withName(vsName).withNamespace(namespace).build());
    patch.setStatus(status);
    client
        .resources(VirtualService.class)
        .inNamespace(namespace)
        .withName(vsName)
        .subresource("status")
        .patch(apply("lvs-agent-" + node), patch);
  }

  /** The agent on a RealServer's node reports the VIPs it holds. */
  void agentReportsVips(String rsName, String node, String... vips) {
    RealServerStatus status = new RealServerStatus();
    status.setVips(List.of(vips));
    status.setVipsObservedAt(vips.length == 0 ? null : Instant.now().toString());
    RealServer patch = new RealServer();
    patch.setMetadata(new ObjectMetaBuilder().withName(rsName).withNamespace(namespace).build());
    patch.setStatus(status);
    client
        .resources(RealServer.class)
        .inNamespace(namespace)
        .withName(rsName)
        .subresource("status")
        .patch(apply("lvs-agent-" + node), patch);
  }

  /**
   * What the agent on {@code node} publishes after each sync: how many kernel objects it owns, on
   * its Node (a merge patch of that one annotation, with the agent's field manager).
   */
  void agentOwns(String node, int objects) {
    client
        .nodes()
        .withName(node)
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager("lvs-agent-" + node)
                .build(),
            "{\"metadata\":{\"annotations\":{\""
                + dev.lvs.operator.agent.AgentNodeLabels.OWNED_ANNOTATION
                + "\":\""
                + objects
                + "\"}}}");
  }

  static NodeReport applied(String role, long generation, Map<String, Long> rsGenerations) {
    NodeReport r = new NodeReport();
    r.setRoles(List.of(role));
    r.setObservedGeneration(generation);
    r.setState("Applied");
    r.setRealServerGenerations(new LinkedHashMap<>(rsGenerations));
    r.setLastUpdateTime(Instant.now().toString());
    return r;
  }

  private static PatchContext apply(String manager) {
    return new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY)
        .withFieldManager(manager)
        .withForce(true)
        .build();
  }

  // ------------------------------------------------------------------ reading

  static Optional<Condition> condition(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  Optional<Condition> vsCondition(String name, String type) {
    VirtualService vs = vs(name);
    return vs == null || vs.getStatus() == null
        ? Optional.empty()
        : condition(vs.getStatus().getConditions(), type);
  }

  Optional<Condition> rsCondition(String name, String type) {
    RealServer rs = rs(name);
    return rs == null || rs.getStatus() == null
        ? Optional.empty()
        : condition(rs.getStatus().getConditions(), type);
  }

  /** Events about an object (by name, in the workload namespace) with the given reason. */
  List<Event> events(String objectName, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> objectName.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason == null || reason.equals(e.getReason()))
        .toList();
  }

  void awaitCondition(String vsName, String type, String status, String reason) {
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                vsCondition(vsName, type)
                    .filter(c -> status.equals(c.getStatus()))
                    .filter(c -> reason == null || reason.equals(c.getReason()))
                    .isPresent());
  }

  void awaitRsCondition(String rsName, String type, String status, String reason) {
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                rsCondition(rsName, type)
                    .filter(c -> status.equals(c.getStatus()))
                    .filter(c -> reason == null || reason.equals(c.getReason()))
                    .isPresent());
  }

  // ------------------------------------------------------------------ teardown

  /** Stops the operators, then removes what this class created (finalizers first). */
  @Override
  public void close() {
    new ArrayList<>(operators).forEach(this::stopOperator);
    for (Class<? extends HasMetadata> type : List.of(VirtualService.class, RealServer.class)) {
      for (HasMetadata r : client.resources(type).inNamespace(namespace).list().getItems()) {
        try {
          client
              .resources(type)
              .inNamespace(namespace)
              .withName(r.getMetadata().getName())
              .edit(
                  x -> {
                    x.getMetadata().setFinalizers(List.of());
                    return x;
                  });
          client
              .resources(type)
              .inNamespace(namespace)
              .withName(r.getMetadata().getName())
              .delete();
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
    nodes.stream().filter(Objects::nonNull).forEach(n -> client.nodes().withName(n).delete());
    client.close();
  }
}
