package dev.lvs.e2e.lab;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What a DaemonSet's pod template means on one lab node, as the DaemonSet controller and a kubelet
 * would read it: whether the node is selected (node selector, required node affinity, taints and
 * tolerations), the container's environment (downward API, ConfigMap and Secret keys) and its
 * command with {@code $(VAR)} references expanded, and a bash script that runs the container on a
 * lab node (its volumes bind-mounted, its capabilities bounded). Pure, except for the lookups the
 * caller passes. Anything the lab cannot do faithfully is an {@link UnsupportedPodException} naming
 * the field, never a silent approximation.
 */
public final class PodTemplates {
  private PodTemplates() {}

  /** A pod template field the lab cannot run. */
  public static final class UnsupportedPodException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedPodException(String message) {
      super(message);
    }
  }

  /** The capabilities a container runtime (containerd, CRI-O) grants a non-privileged container. */
  static final List<String> RUNTIME_DEFAULT_CAPS =
      List.of(
          "CHOWN",
          "DAC_OVERRIDE",
          "FSETID",
          "FOWNER",
          "MKNOD",
          "NET_RAW",
          "SETGID",
          "SETUID",
          "SETFCAP",
          "SETPCAP",
          "NET_BIND_SERVICE",
          "SYS_CHROOT",
          "KILL",
          "AUDIT_WRITE");

  /** Host paths that are the kernel's (the same on every lab node, or per network namespace). */
  static final List<String> KERNEL_PATHS =
      List.of("/proc", "/sys", "/dev", "/lib/modules", "/usr/lib/modules");

  // ------------------------------------------------------------------ scheduling

  /** Whether the DaemonSet controller would run this template's pod on {@code node}. */
  public static boolean schedulable(PodSpec spec, Node node) {
    return nodeSelectorMatches(spec, node)
        && affinityMatches(spec, node)
        && tolerates(
            spec.getTolerations(), node.getSpec() == null ? null : node.getSpec().getTaints());
  }

  static boolean nodeSelectorMatches(PodSpec spec, Node node) {
    Map<String, String> selector = spec.getNodeSelector();
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = labels(node);
    return selector.entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /** requiredDuringSchedulingIgnoredDuringExecution: terms are ORed, requirements ANDed. */
  static boolean affinityMatches(PodSpec spec, Node node) {
    if (spec.getAffinity() == null
        || spec.getAffinity().getNodeAffinity() == null
        || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        spec.getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return false;
    }
    return terms.stream().anyMatch(t -> termMatches(t, node));
  }

  static boolean termMatches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> expressions = nonNull(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = nonNull(term.getMatchFields());
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false; // an empty term matches no node
    }
    Map<String, String> labels = labels(node);
    for (NodeSelectorRequirement r : expressions) {
      if (!requirementMatches(r, labels.containsKey(r.getKey()), labels.get(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields) {
      if (!"metadata.name".equals(r.getKey())) {
        throw new UnsupportedPodException(
            "nodeAffinity matchFields key " + r.getKey() + ": only metadata.name exists");
      }
      if (!requirementMatches(r, true, node.getMetadata().getName())) {
        return false;
      }
    }
    return true;
  }

  static boolean requirementMatches(NodeSelectorRequirement r, boolean present, String value) {
    List<String> values = nonNull(r.getValues());
    switch (r.getOperator()) {
      case "In":
        return present && values.contains(value);
      case "NotIn":
        return !present || !values.contains(value);
      case "Exists":
        return present;
      case "DoesNotExist":
        return !present;
      case "Gt":
      case "Lt":
        if (!present || values.size() != 1) {
          return false;
        }
        try {
          long have = Long.parseLong(value);
          long want = Long.parseLong(values.get(0));
          return "Gt".equals(r.getOperator()) ? have > want : have < want;
        } catch (NumberFormatException e) {
          return false;
        }
      default:
        throw new UnsupportedPodException("nodeAffinity operator " + r.getOperator());
    }
  }

  /** Every NoSchedule and NoExecute taint of the node must be tolerated. */
  static boolean tolerates(List<Toleration> tolerations, List<Taint> taints) {
    for (Taint taint : nonNull(taints)) {
      if ("PreferNoSchedule".equals(taint.getEffect())) {
        continue;
      }
      if (nonNull(tolerations).stream().noneMatch(t -> tolerates(t, taint))) {
        return false;
      }
    }
    return true;
  }

  static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null
        && !t.getEffect().isEmpty()
        && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    boolean exists = "Exists".equals(t.getOperator());
    if (t.getKey() == null || t.getKey().isEmpty()) {
      return exists; // an empty key with Exists tolerates everything
    }
    if (!t.getKey().equals(taint.getKey())) {
      return false;
    }
    return exists || Objects.equals(nullToEmpty(t.getValue()), nullToEmpty(taint.getValue()));
  }

  // ------------------------------------------------------------------ the container

  /** What the downward API and the lookups resolve against. */
  public record PodContext(
      String podName,
      String namespace,
      String podUid,
      String nodeName,
      String hostIp,
      String serviceAccountName,
      Map<String, String> podLabels,
      Map<String, String> podAnnotations) {}

  /** Looks up a key of a ConfigMap or Secret: (kind "ConfigMap"/"Secret" + "/" + name, key). */
  public interface KeyLookup extends BiFunction<String, String, String> {}

  /**
   * The container's environment in order: the container's own variables ({@code $(VAR)} in values
   * expanded against earlier ones), after what a kubelet adds to every container.
   */
  public static Map<String, String> environment(
      Container c, PodContext ctx, String apiHost, int apiPort, KeyLookup lookup) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", ctx.nodeName()); // hostNetwork: the node's host name
    env.put("HOME", "/root");
    env.put("KUBERNETES_SERVICE_HOST", apiHost);
    env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiPort));
    env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(apiPort));
    if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) {
      throw new UnsupportedPodException("container " + c.getName() + ": envFrom");
    }
    for (EnvVar v : nonNull(c.getEnv())) {
      String value;
      if (v.getValueFrom() != null) {
        value = valueFrom(c, v.getName(), v.getValueFrom(), ctx, lookup);
      } else {
        value = expand(nullToEmpty(v.getValue()), env);
      }
      env.put(v.getName(), value);
    }
    return env;
  }

  private static String valueFrom(
      Container c, String name, EnvVarSource src, PodContext ctx, KeyLookup lookup) {
    String where = "container " + c.getName() + " env " + name;
    if (src.getFieldRef() != null) {
      String path = src.getFieldRef().getFieldPath();
      switch (path) {
        case "metadata.name":
          return ctx.podName();
        case "metadata.namespace":
          return ctx.namespace();
        case "metadata.uid":
          return ctx.podUid();
        case "spec.nodeName":
          return ctx.nodeName();
        case "spec.serviceAccountName":
          return nullToEmpty(ctx.serviceAccountName());
        case "status.hostIP":
        case "status.podIP":
        case "status.hostIPs":
        case "status.podIPs":
          return ctx.hostIp(); // hostNetwork: the pod's IP is the node's
        default:
          String label = bracketKey(path, "metadata.labels");
          if (label != null) {
            return nullToEmpty(ctx.podLabels().get(label));
          }
          String annotation = bracketKey(path, "metadata.annotations");
          if (annotation != null) {
            return nullToEmpty(ctx.podAnnotations().get(annotation));
          }
          throw new UnsupportedPodException(where + ": fieldRef " + path);
      }
    }
    if (src.getConfigMapKeyRef() != null) {
      String v =
          lookup.apply(
              "ConfigMap/" + src.getConfigMapKeyRef().getName(), src.getConfigMapKeyRef().getKey());
      if (v == null && !Boolean.TRUE.equals(src.getConfigMapKeyRef().getOptional())) {
        throw new UnsupportedPodException(
            where + ": ConfigMap " + src.getConfigMapKeyRef().getName() + " key missing");
      }
      return nullToEmpty(v);
    }
    if (src.getSecretKeyRef() != null) {
      String v =
          lookup.apply("Secret/" + src.getSecretKeyRef().getName(), src.getSecretKeyRef().getKey());
      if (v == null && !Boolean.TRUE.equals(src.getSecretKeyRef().getOptional())) {
        throw new UnsupportedPodException(
            where + ": Secret " + src.getSecretKeyRef().getName() + " key missing");
      }
      return nullToEmpty(v);
    }
    throw new UnsupportedPodException(where + ": resourceFieldRef or another valueFrom");
  }

  private static String bracketKey(String path, String prefix) {
    if (path.startsWith(prefix + "['") && path.endsWith("']")) {
      return path.substring(prefix.length() + 2, path.length() - 2);
    }
    return null;
  }

  /**
   * Kubernetes' {@code $(VAR)} expansion: a defined variable is replaced, an undefined reference is
   * left as it is, and {@code $$} is an escaped {@code $}.
   */
  public static String expand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char ch = s.charAt(i);
      if (ch == '$' && i + 1 < s.length()) {
        char next = s.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (next == '(') {
          int close = s.indexOf(')', i + 2);
          if (close > 0) {
            String name = s.substring(i + 2, close);
            if (env.containsKey(name)) {
              out.append(env.get(name));
            } else {
              out.append(s, i, close + 1);
            }
            i = close + 1;
            continue;
          }
        }
      }
      out.append(ch);
      i++;
    }
    return out.toString();
  }

  /** The container's argv: command then args, expanded. Without a command the image's is needed. */
  public static List<String> argv(Container c, Map<String, String> env) {
    if (c.getCommand() == null || c.getCommand().isEmpty()) {
      throw new UnsupportedPodException(
          "container "
              + c.getName()
              + ": no command; the lab has no image to take the entrypoint from (set the"
              + " operator's agent-command)");
    }
    List<String> argv = new ArrayList<>();
    c.getCommand().forEach(w -> argv.add(expand(w, env)));
    nonNull(c.getArgs()).forEach(w -> argv.add(expand(w, env)));
    return argv;
  }

  /** The bounding capability set of a container, or null when privileged (all of them). */
  static Set<String> capabilities(Container c) {
    SecurityContext sc = c.getSecurityContext();
    if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
      return null;
    }
    Set<String> caps = new LinkedHashSet<>(RUNTIME_DEFAULT_CAPS);
    Capabilities k = sc == null ? null : sc.getCapabilities();
    if (k != null) {
      for (String add : nonNull(k.getAdd())) {
        if ("ALL".equalsIgnoreCase(add)) {
          return null;
        }
        caps.add(strip(add));
      }
      for (String drop : nonNull(k.getDrop())) {
        if ("ALL".equalsIgnoreCase(drop)) {
          caps.clear();
          nonNull(k.getAdd()).forEach(a -> caps.add(strip(a)));
          break;
        }
        caps.remove(strip(drop));
      }
    }
    return caps;
  }

  private static String strip(String cap) {
    String c = cap.toUpperCase(Locale.ROOT);
    return c.startsWith("CAP_") ? c.substring(4) : c;
  }

  /**
   * The bash script that runs the pod's (single) container on lab node {@code node}: in the node's
   * network namespace and a mount namespace of its own (the caller runs it under {@code ip netns
   * exec}), with each volume bind-mounted at its mount path (a hostPath of the node is a directory
   * under {@code nodeRoot}, except the kernel's own paths), the service account token where a
   * kubelet projects it, and the capability bounding set of its security context. Probes (startup,
   * readiness, liveness) are not run: the stand-in counts a running container as ready and
   * available, and never restarts one for failing a probe.
   */
  public static String script(
      PodTemplateSpec template,
      String node,
      String nodeRoot,
      String serviceAccountDir,
      Map<String, String> env,
      String hash) {
    return script(template, node, nodeRoot, serviceAccountDir, env, hash, List.of());
  }

  /**
   * As {@link #script(PodTemplateSpec, String, String, String, Map, String)}, keeping the host
   * directories {@code kept} visible at their paths even where a volume is mounted over a parent of
   * theirs: they stand in for the image's files (the lab runs the agent jar of the lab's directory,
   * /tmp/lvs-lab by default, and the agent pod mounts an emptyDir at /tmp).
   */
  public static String script(
      PodTemplateSpec template,
      String node,
      String nodeRoot,
      String serviceAccountDir,
      Map<String, String> env,
      String hash,
      List<String> kept) {
    PodSpec spec = template.getSpec();
    if (spec.getContainers().size() != 1) {
      throw new UnsupportedPodException(
          "spec.containers: the lab runs pods of exactly one container, not "
              + spec.getContainers().size());
    }
    if (spec.getInitContainers() != null && !spec.getInitContainers().isEmpty()) {
      throw new UnsupportedPodException("spec.initContainers");
    }
    if (!Boolean.TRUE.equals(spec.getHostNetwork())) {
      throw new UnsupportedPodException(
          "spec.hostNetwork: the lab's nodes run only host-network pods (no pod network)");
    }
    Container c = spec.getContainers().get(0);
    List<String> argv = argv(c, env);
    Map<String, Volume> volumes = new LinkedHashMap<>();
    nonNull(spec.getVolumes()).forEach(v -> volumes.put(v.getName(), v));

    StringBuilder b = new StringBuilder();
    b.append("#!/bin/bash\n");
    b.append("# Pod template ").append(hash).append(" on lab node ").append(node);
    b.append(", written by dev.lvs.e2e.lab.DaemonSetStandIn. Runs under ip netns exec.\n");
    b.append("set -euo pipefail\n");
    // Kept directories that a volume will cover: bound aside first, back in place after.
    List<String> covered = new ArrayList<>();
    for (String k : kept) {
      boolean isCovered =
          nonNull(c.getVolumeMounts()).stream()
              .map(VolumeMount::getMountPath)
              .anyMatch(t -> k.equals(t) || k.startsWith(t.endsWith("/") ? t : t + "/"));
      if (isCovered) {
        String stage = nodeRoot + "/var/lib/kubelet/pods/" + hash + "/kept/" + covered.size();
        b.append("mkdir -p ").append(Mailbox.quote(stage)).append('\n');
        b.append("mount --rbind ")
            .append(Mailbox.quote(k))
            .append(' ')
            .append(Mailbox.quote(stage))
            .append('\n');
        covered.add(k);
      }
    }
    for (VolumeMount m : nonNull(c.getVolumeMounts())) {
      Volume v = volumes.get(m.getName());
      if (v == null) {
        throw new UnsupportedPodException(
            "container " + c.getName() + " volumeMount " + m.getName() + ": no such volume");
      }
      String source;
      if (v.getHostPath() != null) {
        String path = v.getHostPath().getPath();
        boolean kernel =
            KERNEL_PATHS.stream().anyMatch(k -> path.equals(k) || path.startsWith(k + "/"));
        source = kernel ? path : nodeRoot + path;
        String type = nullToEmpty(v.getHostPath().getType());
        if (!kernel && (type.isEmpty() || type.equals("DirectoryOrCreate"))) {
          b.append("mkdir -p ").append(Mailbox.quote(source)).append('\n');
        }
        b.append("[ -e ")
            .append(Mailbox.quote(source))
            .append(" ] || { echo ")
            .append(Mailbox.quote("volume " + v.getName() + ": hostPath " + path + " missing"))
            .append(" >&2; exit 1; }\n");
      } else if (v.getEmptyDir() != null) {
        source = nodeRoot + "/var/lib/kubelet/pods/" + hash + "/volumes/" + v.getName();
        b.append("mkdir -p ").append(Mailbox.quote(source)).append('\n');
      } else {
        throw new UnsupportedPodException(
            "volume " + v.getName() + ": only hostPath and emptyDir volumes run in the lab");
      }
      bind(b, source, m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly()));
    }
    for (int i = 0; i < covered.size(); i++) {
      String stage = nodeRoot + "/var/lib/kubelet/pods/" + hash + "/kept/" + i;
      String k = Mailbox.quote(covered.get(i));
      b.append("mkdir -p ").append(k).append('\n');
      b.append("mount --rbind ").append(Mailbox.quote(stage)).append(' ').append(k).append('\n');
    }
    if (serviceAccountDir != null) {
      bind(b, serviceAccountDir, "/var/run/secrets/kubernetes.io/serviceaccount", true);
    }
    // The container has no kubeconfig of its own: hide the host's, so the client finds the token.
    b.append("if [ -d /root/.kube ]; then mount -t tmpfs -o size=1m tmpfs /root/.kube; fi\n");
    b.append("exec env -i");
    env.forEach((k, v) -> b.append(' ').append(Mailbox.quote(k + "=" + v)));
    List<String> setpriv = new ArrayList<>();
    Set<String> caps = capabilities(c);
    if (caps != null) {
      String list =
          caps.stream()
              .map(x -> "+" + x.toLowerCase(Locale.ROOT))
              .reduce((x, y) -> x + "," + y)
              .orElse("");
      setpriv.add("--bounding-set=-all" + (list.isEmpty() ? "" : "," + list));
      setpriv.add("--inh-caps=-all");
    }
    SecurityContext sc = c.getSecurityContext();
    Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : null;
    if (uid == null && spec.getSecurityContext() != null) {
      uid = spec.getSecurityContext().getRunAsUser();
    }
    if (uid != null && uid != 0) {
      setpriv.add("--reuid=" + uid);
      setpriv.add("--regid=" + uid);
      setpriv.add("--clear-groups");
    }
    // allowPrivilegeEscalation: false is the no_new_privs bit, as runc sets it. (Not run here:
    // readOnlyRootFilesystem, since the lab's root is the host's, and seccompProfile.)
    if (sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      setpriv.add("--no-new-privs");
    }
    if (!setpriv.isEmpty()) {
      b.append(" setpriv ").append(String.join(" ", setpriv)).append(" --");
    }
    for (String w : argv) {
      b.append(' ').append(Mailbox.quote(w));
    }
    b.append('\n');
    return b.toString();
  }

  private static void bind(StringBuilder b, String source, String target, boolean readOnly) {
    if (source.equals(target) && !readOnly) {
      return;
    }
    String t = Mailbox.quote(target);
    b.append("mkdir -p ").append(t).append('\n');
    b.append("mount --bind ").append(Mailbox.quote(source)).append(' ').append(t).append('\n');
    if (readOnly) {
      b.append("mount -o remount,bind,ro ").append(t).append('\n');
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A digest of the pod template, as the DaemonSet controller's controller-revision-hash. */
  public static String templateHash(PodTemplateSpec template) {
    try {
      byte[] json = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The node's first InternalIP, or null. */
  public static String internalIp(Node node) {
    if (node.getStatus() == null) {
      return null;
    }
    return nonNull(node.getStatus().getAddresses()).stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }

  private static <T> List<T> nonNull(List<T> l) {
    return l == null ? List.of() : l;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
