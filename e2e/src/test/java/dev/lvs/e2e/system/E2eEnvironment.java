package dev.lvs.e2e.system;

import dev.lvs.e2e.support.Hosts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole system, as the end-to-end suite sees it: a cluster reached through a kubeconfig, and
 * its machines by name through {@link Hosts}. Two providers implement it: the lab ({@link
 * LabEnvironment}: a real kube-apiserver on this machine, nodes in a qemu guest with Debian's
 * kernel) and kind ({@link KindEnvironment}: a 3-node kind cluster with the chart installed, and a
 * client container). The scenarios ({@link LvsDrSystemE2E}) are the same for both.
 *
 * <p>The topology both provide: node {@link #director()} labelled {@code lvs.dev/director=true},
 * real-server nodes {@link #realServerNodes()} (two), each running a web server on port 80 that
 * answers its node's name ({@code /}: the name and a newline) and a large page ({@code /big}: the
 * name, a newline, then 4,000,000 bytes {@code x}), all on one L2 segment with the {@link
 * #clientHost()}; the VIP {@link #vip()} is free on that segment.
 */
public interface E2eEnvironment extends AutoCloseable {

  /** The provider named by system property {@code lvs.e2e.env} ({@code lab} or {@code kind}). */
  static E2eEnvironment fromSystemProperties() {
    String env = System.getProperty("lvs.e2e.env", "lab");
    return switch (env) {
      case "lab" -> LabEnvironment.open();
      case "kind" -> KindEnvironment.open();
      default ->
          throw new IllegalArgumentException("lvs.e2e.env=" + env + ": expected lab or kind");
    };
  }

  /** A client with cluster-admin rights. */
  KubernetesClient client();

  /** The director node, the two real-server nodes and the client, by name. */
  Hosts hosts();

  String director();

  /** The two real-server nodes, in order (rs1, rs2 in the lab). */
  java.util.List<String> realServerNodes();

  /** The client's host name (a {@link #hosts()} name, like the nodes'). */
  String clientHost();

  /** A host's address on the shared L2 segment. */
  String address(String host);

  /** A free address on the segment, used as the VIP. */
  String vip();

  /** Where the suite may write files that the hosts can read (captures, FIFOs, logs). */
  Path workDir();

  /** Restarts the agent on {@code node} (its container: the process exits and starts again). */
  void restartAgent(String node);

  /** Restarts the operator. */
  void restartOperator();

  /**
   * Kills a node: its processes die, it drops off the network, and the Node becomes not Ready as
   * the node lifecycle controller would mark it.
   */
  void killNode(String node);

  /** The agent's log on {@code node} (the current container's), for assertions on its changes. */
  String agentLog(String node);

  /** The director nodes of this environment ({@code ./e2e/lab up --directors N}). */
  default java.util.List<String> directors() {
    return java.util.List.of(director());
  }

  /** SIGKILL of the node's agent, which stays down until {@link #startAgent}. */
  default void killAgent(String node) {
    throw new UnsupportedOperationException("kill-agent is not supported here");
  }

  /** Starts the agent {@link #killAgent} stopped, and returns once it is ready. */
  default void startAgent(String node) {
    throw new UnsupportedOperationException("start-agent is not supported here");
  }

  /** How long convergence may take here (JVMs in an emulated guest are slow). */
  Duration converge();

  @Override
  void close();
}
