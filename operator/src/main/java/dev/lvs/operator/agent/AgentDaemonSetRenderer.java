package dev.lvs.operator.agent;

import dev.lvs.operator.config.AgentConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the agent DaemonSet from the configuration alone: it runs on the nodes that carry the
 * agent label ({@link AgentNodeLabels}), so the node set is not part of it. Pure. The result
 * carries {@link #HASH_ANNOTATION}, a digest of everything else in it, so the reconciler compares
 * one annotation to know whether anything changed.
 */
public final class AgentDaemonSetRenderer {

  public static final String HASH_ANNOTATION = "lvs.dev/agent-spec-hash";
  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String NAME = "lvs-agent";
  public static final String COMPONENT = "agent";
  public static final String MANAGED_BY = "lvs-operator";

  /** The label selector the operator's DaemonSet informer uses. */
  public static final String INFORMER_SELECTOR =
      LABEL_COMPONENT + "=" + COMPONENT + "," + LABEL_MANAGED_BY + "=" + MANAGED_BY;

  static final String CONTAINER = "agent";
  static final String NODE_NAME_ENV = "NODE_NAME";
  static final String PROC_SYS_ENV = "LVS_PROC_SYS";

  /** The node's IP (status.hostIP): the one address the agent's HTTP endpoints listen on. */
  static final String HOST_IP_ENV = "HOST_IP";

  /** The agents' namespace, where the directors' Leases are (agent --lease-namespace). */
  static final String POD_NAMESPACE_ENV = "POD_NAMESPACE";

  static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  /**
   * The agent's first sync reads and programs the whole node, minutes on a big one: the startup
   * probe (on /readyz) allows 15 minutes before liveness applies.
   */
  static final int STARTUP_PERIOD_SECONDS = 10;

  static final int STARTUP_FAILURES = 90;

  /** /healthz fails after 3 resync periods without progress; then 2 more minutes of failures. */
  static final int LIVENESS_PERIOD_SECONDS = 20;

  static final int READINESS_PERIOD_SECONDS = 10;

  static final int LIVENESS_FAILURES = 6;
  static final int PROBE_TIMEOUT_SECONDS = 5;

  /** A new agent pod counts as available only after being ready this long (rolling updates). */
  static final int MIN_READY_SECONDS = 10;

  private AgentDaemonSetRenderer() {}

  public static DaemonSet render(AgentConfig c, String namespace) {
    Map<String, String> selector = new TreeMap<>();
    selector.put(LABEL_NAME, NAME);
    selector.put(LABEL_INSTANCE, c.daemonSetName());
    Map<String, String> labels = new TreeMap<>(c.labels());
    labels.putAll(selector);
    labels.put(LABEL_COMPONENT, COMPONENT);
    labels.put(LABEL_MANAGED_BY, MANAGED_BY);

    DaemonSet ds =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName(c.daemonSetName())
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withMinReadySeconds(MIN_READY_SECONDS)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxUnavailable(intOrString(c.maxUnavailable()))
            .endRollingUpdate()
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .withAnnotations(new TreeMap<>(c.annotations()))
            .endMetadata()
            .withNewSpec()
            .withHostNetwork(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            .withServiceAccountName(c.serviceAccountName())
            .withPriorityClassName(
                c.priorityClassName() == null || c.priorityClassName().isBlank()
                    ? null
                    : c.priorityClassName())
            .withTerminationGracePeriodSeconds(30L)
            .withImagePullSecrets(
                c.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
            .withTolerations(c.tolerations())
            // The nodes the operator labels (AgentNodeLabels): the set changes, the template not.
            .withNodeSelector(new TreeMap<>(AgentNodeLabels.nodeSelector()))
            .withContainers(container(c))
            .withVolumes(AgentPodSecurity.volumes(c))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    ds.getMetadata().setAnnotations(Map.of(HASH_ANNOTATION, hash(ds)));
    return ds;
  }

  private static Container container(AgentConfig c) {
    List<String> args = new ArrayList<>();
    args.add("run");
    args.add("--node-name");
    args.add("$(" + NODE_NAME_ENV + ")");
    args.add("--state-dir");
    args.add(c.stateDir());
    if (c.metricsPort() > 0) {
      args.add("--metrics-port");
      args.add(Integer.toString(c.metricsPort()));
    }
    args.addAll(c.extraArgs());

    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName(NODE_NAME_ENV)
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(
        new EnvVarBuilder()
            .withName(HOST_IP_ENV)
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.hostIP")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(
        new EnvVarBuilder()
            .withName(POD_NAMESPACE_ENV)
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.namespace")
            .endFieldRef()
            .endValueFrom()
            .build());
    env.add(new EnvVar(PROC_SYS_ENV, AgentPodSecurity.HOST_PROC_SYS, null));
    if (c.javaToolOptions() != null
        && !c.javaToolOptions().isBlank()
        && !c.env().containsKey(JAVA_TOOL_OPTIONS)) {
      env.add(new EnvVar(JAVA_TOOL_OPTIONS, c.javaToolOptions(), null));
    }
    c.env().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> env.add(new EnvVar(e.getKey(), e.getValue(), null)));

    ContainerBuilder b =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(c.image())
            .withImagePullPolicy(c.imagePullPolicy())
            .withCommand(c.command())
            .withArgs(args)
            .withEnv(env)
            .withResources(c.resources() == null ? new ResourceRequirements() : c.resources())
            .withSecurityContext(AgentPodSecurity.securityContext(c))
            .withVolumeMounts(AgentPodSecurity.mounts(c));
    if (c.metricsPort() > 0) {
      b.addNewPort()
          .withName("metrics")
          .withContainerPort(c.metricsPort())
          .withProtocol("TCP")
          .endPort();
      // The agent serves /readyz and /healthz on its --metrics-port, on $HOST_IP only; the kubelet
      // probes a hostNetwork pod at its pod IP, which is that same host IP.
      b.withStartupProbe(
              probe("/readyz", c.metricsPort(), STARTUP_PERIOD_SECONDS, STARTUP_FAILURES))
          .withReadinessProbe(probe("/readyz", c.metricsPort(), READINESS_PERIOD_SECONDS, 3))
          .withLivenessProbe(
              probe("/healthz", c.metricsPort(), LIVENESS_PERIOD_SECONDS, LIVENESS_FAILURES));
    }
    return b.build();
  }

  private static Probe probe(String path, int port, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static IntOrString intOrString(String v) {
    if (v != null && v.matches("\\d+")) {
      return new IntOrString(Integer.parseInt(v));
    }
    return new IntOrString(v == null ? "1" : v);
  }

  /** SHA-256 of the object's JSON (without the hash annotation), first 16 hex digits. */
  static String hash(DaemonSet ds) {
    try {
      byte[] json = Serialization.asJson(ds).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hash a live DaemonSet was rendered with, or null. */
  public static String hashOf(DaemonSet ds) {
    if (ds == null || ds.getMetadata().getAnnotations() == null) {
      return null;
    }
    return ds.getMetadata().getAnnotations().get(HASH_ANNOTATION);
  }
}
