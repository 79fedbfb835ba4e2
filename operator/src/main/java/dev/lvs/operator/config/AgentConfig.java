package dev.lvs.operator.config;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * How the agent DaemonSet is rendered. Everything here comes from the operator's configuration;
 * nothing from the cluster.
 *
 * @param daemonSetName the DaemonSet's name (also the app.kubernetes.io/instance label)
 * @param image the agent image
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param imagePullSecrets names of Secrets in the operator's namespace
 * @param serviceAccountName the agents' ServiceAccount
 * @param command the container command (the image entrypoint is the chart's business)
 * @param extraArgs appended after the standard {@code run --node-name ... --state-dir ...}
 * @param stateDir the host directory for the agents' state, mounted at the same path
 * @param metricsPort the agents' metrics port, 0 for none
 * @param env extra environment variables, in order
 * @param labels extra labels on the DaemonSet and its pods
 * @param annotations extra annotations on the pods
 * @param tolerations the pods' tolerations
 * @param resources the container's requests and limits
 * @param javaToolOptions the agent JVM's JAVA_TOOL_OPTIONS (heap policy, exit on OutOfMemoryError);
 *     empty for none; an explicit JAVA_TOOL_OPTIONS in {@code env} wins
 * @param privileged run privileged (an escape hatch); when false, every capability is dropped and
 *     only {@code capabilities} are added
 * @param capabilities Linux capabilities added when not privileged
 * @param priorityClassName the pods' priority class, or null
 * @param maxUnavailable the rolling update's maxUnavailable (a number or a percentage)
 */
public record AgentConfig(
    String daemonSetName,
    String image,
    String imagePullPolicy,
    List<String> imagePullSecrets,
    String serviceAccountName,
    List<String> command,
    List<String> extraArgs,
    String stateDir,
    int metricsPort,
    Map<String, String> env,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<Toleration> tolerations,
    ResourceRequirements resources,
    String javaToolOptions,
    boolean privileged,
    List<String> capabilities,
    String priorityClassName,
    String maxUnavailable) {

  public AgentConfig {
    imagePullSecrets = List.copyOf(imagePullSecrets);
    command = List.copyOf(command);
    extraArgs = List.copyOf(extraArgs);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    tolerations = List.copyOf(tolerations);
    capabilities = List.copyOf(capabilities);
  }
}
