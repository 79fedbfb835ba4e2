package dev.lvs.operator.agent;

import dev.lvs.operator.config.AgentConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * What the agent container may touch: its security context and its volumes. Pure.
 *
 * <ul>
 *   <li>Of the host's {@code /proc/sys} only {@code net/} is mounted, writable, at {@code
 *       /host/proc/sys/net}: every parameter the agent writes is under it (the agent's {@code
 *       SysctlPaths}: {@code net/ipv4/conf/IF/arp_*}, {@code net/ipv4/vs/*}). The container's own
 *       {@code /proc/sys} is read-only (the runtime's default), so {@code kernel.core_pattern} and
 *       the rest of {@code kernel.*} stay out of reach. Which network namespace {@code
 *       /proc/sys/net} shows depends on the reading process, not on the mount: with hostNetwork,
 *       the node's.
 *   <li>Capabilities: all dropped, {@code NET_ADMIN} added (IPVS generic netlink, rtnetlink
 *       addresses, {@code SO_RCVBUFFORCE}). Writing the mounted net sysctls needs no more: they are
 *       owned by UID 0 of the node's network namespace and the agent runs as UID 0, and {@code
 *       NET_ADMIN} makes them writable to its holder in any case. {@code NET_RAW} (in the chart's
 *       default list) for the gratuitous ARP and unsolicited Neighbour Advertisements a director
 *       sends when it takes over a VIP; no {@code SYS_ADMIN}, no {@code SYS_MODULE}.
 *   <li>No {@code /lib/modules}: the agent never runs modprobe. Directors load {@code ip_vs} at
 *       boot; scheduler modules the kernel loads itself ({@code request_module}, with the host's
 *       modprobe in the host's mount namespace).
 *   <li>A read-only root filesystem, with an emptyDir at {@code /tmp} where the JVM writes its perf
 *       data and jffi unpacks its native library; {@code allowPrivilegeEscalation: false}; the
 *       runtime's default seccomp profile.
 * </ul>
 *
 * {@code privileged} (off by default) is an escape hatch for runtimes where that is not enough; it
 * keeps the read-only root and the same mounts.
 */
final class AgentPodSecurity {
  private AgentPodSecurity() {}

  /** Where the agent finds /proc/sys (LVS_PROC_SYS): it addresses parameters as "net/...". */
  static final String HOST_PROC_SYS = "/host/proc/sys";

  static final String PROC_SYS_NET = "/proc/sys/net";
  static final String HOST_PROC_SYS_NET = HOST_PROC_SYS + "/net";
  static final String TMP = "/tmp";

  /** jffi's library is about 150 KiB, the JVM's perf data 32 KiB; room for heap dumps it is not. */
  static final String TMP_SIZE_LIMIT = "64Mi";

  static SecurityContext securityContext(AgentConfig c) {
    SecurityContextBuilder b =
        new SecurityContextBuilder()
            .withPrivileged(c.privileged())
            .withReadOnlyRootFilesystem(true);
    if (c.privileged()) {
      // The API server rejects allowPrivilegeEscalation=false with privileged=true, and a
      // privileged container has every capability and no seccomp filter anyway.
      return b.build();
    }
    return b.withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .withAdd(c.capabilities())
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static List<VolumeMount> mounts(AgentConfig c) {
    return List.of(
        new VolumeMountBuilder().withName("state").withMountPath(c.stateDir()).build(),
        new VolumeMountBuilder().withName("proc-sys-net").withMountPath(HOST_PROC_SYS_NET).build(),
        new VolumeMountBuilder().withName("tmp").withMountPath(TMP).build());
  }

  static List<Volume> volumes(AgentConfig c) {
    return List.of(
        hostPath("state", c.stateDir(), "DirectoryOrCreate"),
        hostPath("proc-sys-net", PROC_SYS_NET, "Directory"),
        new VolumeBuilder()
            .withName("tmp")
            .withNewEmptyDir()
            .withSizeLimit(new Quantity(TMP_SIZE_LIMIT))
            .endEmptyDir()
            .build());
  }

  private static Volume hostPath(String name, String path, String type) {
    return new VolumeBuilder()
        .withName(name)
        .withNewHostPath()
        .withPath(path)
        .withType(type)
        .endHostPath()
        .build();
  }
}
