package dev.lvs.agent.state;

import dev.lvs.agent.election.DirectorRoles;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.pools.VipGate;
import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.LocalNode;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.Persistence;
import dev.lvs.operator.api.v1alpha1.Protocol;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.Scheduler;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.net.InetAddress;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The body of {@link DesiredState#compute}: one instance per computation. */
final class DesiredStateCalculator {
  static final String LABEL_SUFFIX = ":lvs";
  static final int IFNAMSIZ_LABEL = 15;
  static final String LOOPBACK = DesiredAddress.LOOPBACK;
  static final String INTERNAL_IP = "InternalIP";

  private final Map<String, Node> nodesByName = new HashMap<>();
  private final String nodeName;
  private final Node thisNode;
  private final AgentSettings settings;
  private final HostInterfaces interfaces;
  private final VipGate gate;
  private final DirectorRoles roles;

  private final Map<ServiceKey, DesiredService> services = new LinkedHashMap<>();
  private final Map<AddressKey, DesiredAddress> addresses = new TreeMap<>(ADDRESS_ORDER);
  private final Map<String, DesiredSysctl> sysctls = new TreeMap<>();
  private final Map<ObjectRef, Involvement> involvements = new TreeMap<>();
  private final Map<ObjectRef, List<String>> realServerVips = new TreeMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Map<ObjectRef, List<String>> realServerProblems = new HashMap<>();
  // Who wants each sysctl, gathered here and put into `sysctls` once at the end: copying a growing
  // set per VirtualService was quadratic (every director VirtualService wants expire_nodest_conn).
  private final Map<String, Set<ObjectRef>> sysctlWanters = new HashMap<>();
  // RealServers by namespace and label, so a selector does not scan every RealServer.
  private final Map<String, List<RealServer>> byNamespace = new HashMap<>();
  private final Map<LabelKey, List<RealServer>> byLabel = new HashMap<>();

  private record LabelKey(String namespace, String key, String value) {}

  private static final Comparator<AddressKey> ADDRESS_ORDER =
      Comparator.comparing(AddressKey::interfaceName)
          .thenComparing(k -> k.address().getHostAddress());

  DesiredStateCalculator(
      List<Node> nodes,
      String nodeName,
      AgentSettings settings,
      HostInterfaces interfaces,
      VipGate gate,
      DirectorRoles roles) {
    for (Node n : nodes) {
      nodesByName.put(n.getMetadata().getName(), n);
    }
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.thisNode = nodesByName.get(nodeName);
    this.settings = settings;
    this.interfaces = interfaces;
    this.gate = gate;
    this.roles = roles;
  }

  DesiredState compute(List<VirtualService> virtualServices, List<RealServer> realServers) {
    for (RealServer rs : realServers) {
      if (nodeName.equals(specOf(rs).getNodeName())) {
        realServerVips.put(ObjectRef.of(rs), new ArrayList<>());
      }
      String ns = ObjectRef.of(rs).namespace();
      byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(rs);
      Map<String, String> labels = rs.getMetadata().getLabels();
      if (labels != null) {
        labels.forEach(
            (k, v) ->
                byLabel.computeIfAbsent(new LabelKey(ns, k, v), x -> new ArrayList<>()).add(rs));
      }
    }
    Map<ObjectRef, String> conflictLosers = resolveConflicts(virtualServices);
    List<VirtualService> ordered =
        virtualServices.stream().sorted(Comparator.comparing(ObjectRef::of)).toList();
    for (VirtualService vs : ordered) {
      if (vs.getMetadata().getDeletionTimestamp() != null || vs.getSpec() == null) {
        continue;
      }
      computeOne(vs, conflictLosers.get(ObjectRef.of(vs)));
    }
    sysctlWanters.forEach(
        (path, wantedBy) -> {
          DesiredSysctl last = sysctls.get(path);
          sysctls.put(path, new DesiredSysctl(path, last.value(), wantedBy, last.why()));
        });
    realServerVips.replaceAll((k, v) -> v.stream().distinct().sorted().toList());
    return new DesiredState(services, addresses, sysctls, involvements, realServerVips, problems);
  }

  /** Losers of VIP/port/protocol conflicts, with the reason: the oldest VirtualService wins. */
  private Map<ObjectRef, String> resolveConflicts(List<VirtualService> virtualServices) {
    Map<String, List<VirtualService>> byTuple = new LinkedHashMap<>();
    for (VirtualService vs : virtualServices) {
      if (vs.getMetadata().getDeletionTimestamp() != null || vs.getSpec() == null) {
        continue;
      }
      Optional<InetAddress> vip = Ips.parse(vs.getSpec().getVip());
      if (vip.isEmpty() || vs.getSpec().getPort() == null) {
        continue;
      }
      String tuple =
          protocolOf(vs.getSpec()) + " " + Ips.hostPort(vip.get(), vs.getSpec().getPort());
      byTuple.computeIfAbsent(tuple, t -> new ArrayList<>()).add(vs);
    }
    Map<ObjectRef, String> losers = new HashMap<>();
    Comparator<VirtualService> oldestFirst =
        Comparator.comparing(DesiredStateCalculator::createdAt).thenComparing(ObjectRef::of);
    byTuple.forEach(
        (tuple, list) -> {
          if (list.size() < 2) {
            return;
          }
          List<VirtualService> sorted = list.stream().sorted(oldestFirst).toList();
          ObjectRef winner = ObjectRef.of(sorted.get(0));
          for (VirtualService loser : sorted.subList(1, sorted.size())) {
            losers.put(
                ObjectRef.of(loser),
                tuple + " is already claimed by the older VirtualService " + winner);
          }
        });
    return losers;
  }

  private void computeOne(VirtualService vs, String conflict) {
    ObjectRef ref = ObjectRef.of(vs);
    VirtualServiceSpec spec = vs.getSpec();
    List<RealServer> selected =
        candidates(ref.namespace(), spec.getRealServerSelector()).stream()
            .filter(rs -> Objects.equals(rs.getMetadata().getNamespace(), ref.namespace()))
            .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null && rs.getSpec() != null)
            .filter(
                rs ->
                    LabelSelectors.matches(
                        spec.getRealServerSelector(), rs.getMetadata().getLabels()))
            .sorted(Comparator.comparing(ObjectRef::of))
            .toList();
    boolean director =
        thisNode != null
            && LabelSelectors.matches(spec.getDirectors(), thisNode.getMetadata().getLabels());
    List<RealServer> onThisNode =
        selected.stream().filter(rs -> nodeName.equals(rs.getSpec().getNodeName())).toList();
    if (!director && onThisNode.isEmpty()) {
      return;
    }
    Set<String> roles = new TreeSet<>();
    if (director) {
      roles.add(LvsApi.ROLE_DIRECTOR);
    }
    if (!onThisNode.isEmpty()) {
      roles.add(LvsApi.ROLE_REAL_SERVER);
    }
    List<Problem> vsProblems = new ArrayList<>();
    Map<String, Long> generations = new TreeMap<>();
    Map<String, String> quiesced = new TreeMap<>();
    try {
      if (conflict != null) {
        vsProblems.add(Problem.conflict(ref, conflict));
        return;
      }
      List<String> invalid = SpecChecks.virtualService(spec);
      if (!invalid.isEmpty()) {
        invalid.forEach(m -> vsProblems.add(Problem.invalid(ref, m)));
        return;
      }
      String forwarding = spec.getForwarding();
      if (forwarding != null && !LvsApi.FORWARDING_DIRECT_ROUTING.equals(forwarding)) {
        vsProblems.add(
            Problem.invalid(
                ref,
                "forwarding "
                    + forwarding
                    + " is not implemented; only "
                    + LvsApi.FORWARDING_DIRECT_ROUTING
                    + " is"));
        return;
      }
      InetAddress vip = Ips.parse(spec.getVip()).orElseThrow(); // checked above
      VipGate.Verdict verdict = gate.check(vip, ref.namespace());
      if (verdict.refused()) {
        vsProblems.add(Problem.refused(ref, verdict.refusal().get()));
        return;
      }
      verdict.warning().ifPresent(w -> VipGate.warnOnce(ref.toString(), w));
      if (director) {
        computeDirector(vs, vip, selected, generations, quiesced, vsProblems);
      } else {
        computeRealServer(vs, vip, onThisNode, vsProblems);
      }
    } finally {
      problems.addAll(vsProblems);
      involvements.put(
          ref,
          new Involvement(
              ref,
              vs.getMetadata().getGeneration(),
              new TreeSet<>(roles),
              new TreeMap<>(generations),
              new TreeMap<>(quiesced),
              vsProblems));
    }
  }

  private void computeDirector(
      VirtualService vs,
      InetAddress vip,
      List<RealServer> selected,
      Map<String, Long> generations,
      Map<String, String> quiesced,
      List<Problem> vsProblems) {
    ObjectRef ref = ObjectRef.of(vs);
    VirtualServiceSpec spec = vs.getSpec();
    int port = spec.getPort();
    ServiceKey key = ServiceKey.of(protocolNumber(protocolOf(spec)), vip, port);
    IpvsService service = ipvsService(key, spec);
    Map<DestinationKey, DesiredDestination> destinations = new LinkedHashMap<>();
    List<InetAddress> ownAddresses = internalIps(thisNode);
    for (RealServer rs : selected) {
      ObjectRef rsRef = ObjectRef.of(rs);
      RealServerSpec rsSpec = rs.getSpec();
      if (!valid(ref, rs, vsProblems)) {
        continue;
      }
      Optional<InetAddress> address = realServerAddress(ref, rs, vip, vsProblems);
      if (address.isEmpty()) {
        continue;
      }
      if (nodeName.equals(rsSpec.getNodeName()) || ownAddresses.contains(address.get())) {
        vsProblems.add(
            Problem.invalid(
                ref,
                "RealServer "
                    + rsRef
                    + " is on this director node "
                    + nodeName
                    + ": Direct Routing cannot forward to the director itself; use"
                    + " spec.localNode instead"));
        continue;
      }
      // A lost node (Ready False or Unknown) gets weight 0: IPVS schedules no new connections to
      // it but keeps the destination and its connections, so nothing churns when it comes back.
      String lost = lostNode(rsSpec.getNodeName()).orElse(null);
      IpvsDestination dest =
          new IpvsDestination(
              address.get(),
              port,
              ForwardMethod.DIRECT_ROUTE,
              lost != null ? 0 : orDefault(rsSpec.getWeight(), RealServerSpec.DEFAULT_WEIGHT),
              orDefault(rsSpec.getUpperThreshold(), 0),
              orDefault(rsSpec.getLowerThreshold(), 0));
      DesiredDestination previous =
          destinations.putIfAbsent(dest.key(), new DesiredDestination(dest, rsRef, false, lost));
      if (previous != null) {
        vsProblems.add(
            Problem.invalid(
                ref,
                "RealServer "
                    + rsRef
                    + " has the same address "
                    + address.get().getHostAddress()
                    + " as "
                    + previous.realServer()
                    + "; skipped"));
        continue;
      }
      generations.put(rs.getMetadata().getName(), orDefault(rs.getMetadata().getGeneration(), 0L));
      if (lost != null) {
        quiesced.put(rs.getMetadata().getName(), lost);
      }
    }
    LocalNode localNode = spec.getLocalNode();
    if (localNode != null && Boolean.TRUE.equals(localNode.getEnabled())) {
      InetAddress loopback = Ips.isIpv6(vip) ? Ips.literal("::1") : Ips.literal("127.0.0.1");
      IpvsDestination self =
          new IpvsDestination(
              loopback,
              port,
              ForwardMethod.DIRECT_ROUTE,
              orDefault(localNode.getWeight(), LocalNode.DEFAULT_WEIGHT),
              0,
              0);
      destinations.put(self.key(), new DesiredDestination(self, null, true));
    }
    services.put(key, new DesiredService(service, ref, destinations));

    Optional<String> iface = directorInterface(vip);
    if (iface.isEmpty()) {
      vsProblems.add(
          Problem.invalid(
              ref,
              "cannot find the interface holding node "
                  + nodeName
                  + "'s "
                  + Ips.family(vip)
                  + " InternalIP to put the VIP on; set --director-interface"));
    } else if (roles.mayHold(vip.getHostAddress())) {
      // With an election, only the active director of the VIP holds it; standbys keep the IPVS
      // service and its destinations (a hot standby) and answer no ARP/ND for it.
      wantAddress(iface.get(), vip, ref, DesiredAddress.DIRECTOR_VIP);
    }
    settings
        .expireNodestConn()
        .ifPresent(
            v ->
                wantSysctl(
                    SysctlPaths.EXPIRE_NODEST_CONN,
                    String.valueOf(v),
                    ref,
                    "expire connections to removed destinations"));
    settings
        .expireQuiescentTemplate()
        .ifPresent(
            v ->
                wantSysctl(
                    SysctlPaths.EXPIRE_QUIESCENT_TEMPLATE,
                    String.valueOf(v),
                    ref,
                    "move persistent clients off weight-0 destinations"));
    settings
        .connReuseMode()
        .ifPresent(
            v ->
                wantSysctl(
                    SysctlPaths.CONN_REUSE_MODE, String.valueOf(v), ref, "--conn-reuse-mode"));
  }

  private void computeRealServer(
      VirtualService vs, InetAddress vip, List<RealServer> onThisNode, List<Problem> vsProblems) {
    ObjectRef ref = ObjectRef.of(vs);
    boolean any = false;
    for (RealServer rs : onThisNode) {
      if (!valid(ref, rs, vsProblems) || realServerAddress(ref, rs, vip, vsProblems).isEmpty()) {
        continue;
      }
      any = true;
      realServerVips
          .computeIfAbsent(ObjectRef.of(rs), k -> new ArrayList<>())
          .add(vip.getHostAddress());
    }
    if (!any) {
      return;
    }
    wantAddress(LOOPBACK, vip, ref, DesiredAddress.REAL_SERVER_VIP);
    if (Ips.isIpv6(vip)) {
      // IPv6 neighbour discovery answers only for addresses of the receiving interface: a VIP
      // on lo is silent without any sysctl.
      return;
    }
    List<String> arpInterfaces = new ArrayList<>(List.of("all", LOOPBACK));
    internalIps(thisNode).stream()
        .filter(a -> !Ips.isIpv6(a))
        .map(interfaces::holding)
        .flatMap(Optional::stream)
        .filter(name -> !LOOPBACK.equals(name))
        .forEach(arpInterfaces::add);
    for (String name : arpInterfaces) {
      wantSysctl(
          SysctlPaths.arpIgnore(name),
          SysctlPaths.ARP_IGNORE_VALUE,
          ref,
          "real server: do not answer ARP for the VIP on lo");
      wantSysctl(
          SysctlPaths.arpAnnounce(name),
          SysctlPaths.ARP_ANNOUNCE_VALUE,
          ref,
          "real server: never announce the VIP as ARP source");
    }
  }

  /**
   * Why a RealServer's node can take no new connections, when {@code nodeName} names a Node whose
   * Ready condition is there and not True; empty for a Ready node, a node without conditions, an
   * unknown node, or no node at all.
   */
  private Optional<String> lostNode(String nodeName) {
    if (nodeName == null) {
      return Optional.empty();
    }
    return NodeReadiness.notReady(nodesByName.get(nodeName))
        .map(status -> "node " + nodeName + " is not Ready (Ready=" + status + ")");
  }

  /** The RealServer's address of the VIP's family, or empty with a problem recorded. */
  private Optional<InetAddress> realServerAddress(
      ObjectRef vs, RealServer rs, InetAddress vip, List<Problem> vsProblems) {
    ObjectRef rsRef = ObjectRef.of(rs);
    RealServerSpec spec = rs.getSpec();
    if (spec.getAddress() != null) {
      Optional<InetAddress> a = Ips.parse(spec.getAddress()); // a literal: see valid()
      if (Ips.isIpv6(a.get()) != Ips.isIpv6(vip)) {
        vsProblems.add(
            Problem.invalid(
                vs,
                "RealServer "
                    + rsRef
                    + " address "
                    + spec.getAddress()
                    + " is "
                    + Ips.family(a.get())
                    + " but the VIP is "
                    + Ips.family(vip)));
        return Optional.empty();
      }
      return a;
    }
    if (spec.getNodeName() == null) {
      vsProblems.add(
          Problem.invalid(vs, "RealServer " + rsRef + " has neither address nor nodeName"));
      return Optional.empty();
    }
    Node node = nodesByName.get(spec.getNodeName());
    if (node == null) {
      vsProblems.add(
          Problem.invalid(
              vs,
              "RealServer "
                  + rsRef
                  + " has no address and its node "
                  + spec.getNodeName()
                  + " does not exist"));
      return Optional.empty();
    }
    Optional<InetAddress> ip =
        internalIps(node).stream().filter(a -> Ips.isIpv6(a) == Ips.isIpv6(vip)).findFirst();
    if (ip.isEmpty()) {
      vsProblems.add(
          Problem.invalid(
              vs,
              "RealServer "
                  + rsRef
                  + " has no address and node "
                  + spec.getNodeName()
                  + " has no "
                  + Ips.family(vip)
                  + " InternalIP"));
    }
    return ip;
  }

  /** The IPVS service of a spec {@link SpecChecks} found fine. */
  private static IpvsService ipvsService(ServiceKey key, VirtualServiceSpec spec) {
    Scheduler scheduler = spec.getScheduler() == null ? Scheduler.WLC : spec.getScheduler();
    boolean ipv6 = key.family() == ServiceKey.AF_INET6;
    int hostNetmask = ipv6 ? 128 : Ips.ipv4Mask(32);
    Persistence p = spec.getPersistence();
    if (p == null || p.getTimeoutSeconds() == null) {
      return new IpvsService(key, scheduler.kernelName(), 0, 0, hostNetmask);
    }
    int netmask = hostNetmask;
    if (p.getNetmask() != null) {
      netmask = Ips.ipv4Mask(p.getNetmask()).orElseThrow();
    } else if (p.getPrefixLength() != null) {
      netmask = ipv6 ? p.getPrefixLength() : Ips.ipv4Mask(p.getPrefixLength());
    }
    return new IpvsService(
        key, scheduler.kernelName(), IpvsService.F_PERSISTENT, p.getTimeoutSeconds(), netmask);
  }

  /**
   * Whether the RealServer's spec can be programmed ({@link SpecChecks}); if not, its problems are
   * recorded for the VirtualService selecting it, and it is skipped.
   */
  private boolean valid(ObjectRef vs, RealServer rs, List<Problem> vsProblems) {
    ObjectRef rsRef = ObjectRef.of(rs);
    List<String> invalid =
        realServerProblems.computeIfAbsent(rsRef, r -> SpecChecks.realServer(rs.getSpec()));
    invalid.forEach(m -> vsProblems.add(Problem.invalid(vs, "RealServer " + rsRef + ": " + m)));
    return invalid.isEmpty();
  }

  private Optional<String> directorInterface(InetAddress vip) {
    return DirectorInterfaces.forFamily(Ips.isIpv6(vip), thisNode, settings, interfaces);
  }

  private void wantAddress(String iface, InetAddress vip, ObjectRef ref, String role) {
    boolean ipv6 = Ips.isIpv6(vip);
    AddressKey key = new AddressKey(iface, vip);
    DesiredAddress previous = addresses.get(key);
    Set<ObjectRef> wantedBy = new TreeSet<>();
    wantedBy.add(ref);
    if (previous != null) {
      wantedBy.addAll(previous.wantedBy());
    }
    addresses.put(
        key,
        new DesiredAddress(
            iface, vip, ipv6 ? 128 : 32, ipv6 ? null : label(iface), wantedBy, role));
  }

  private void wantSysctl(String path, String value, ObjectRef ref, String why) {
    sysctlWanters.computeIfAbsent(path, p -> new TreeSet<>()).add(ref);
    sysctls.put(path, new DesiredSysctl(path, value, Set.of(), why)); // wantedBy: at the end
  }

  /**
   * The RealServers a selector may select: those of the namespace carrying its first matchLabels
   * entry, or every one of the namespace when it has none. The caller still applies the selector.
   */
  private List<RealServer> candidates(String namespace, LabelSelector selector) {
    if (selector != null
        && selector.getMatchLabels() != null
        && !selector.getMatchLabels().isEmpty()) {
      Map.Entry<String, String> first = selector.getMatchLabels().entrySet().iterator().next();
      return byLabel.getOrDefault(
          new LabelKey(namespace, first.getKey(), first.getValue()), List.of());
    }
    return byNamespace.getOrDefault(namespace, List.of());
  }

  /**
   * The IPv4 label marking an address as the agent's: {@code <iface>:lvs}, with the interface part
   * cut so the whole fits IFA_LABEL's 15 bytes while keeping the {@code :lvs} suffix.
   */
  static String label(String iface) {
    int room = IFNAMSIZ_LABEL - LABEL_SUFFIX.length();
    return (iface.length() > room ? iface.substring(0, room) : iface) + LABEL_SUFFIX;
  }

  private static List<InetAddress> internalIps(Node node) {
    return DirectorInterfaces.internalIps(node);
  }

  private static RealServerSpec specOf(RealServer rs) {
    return rs.getSpec() == null ? new RealServerSpec() : rs.getSpec();
  }

  private static Protocol protocolOf(VirtualServiceSpec spec) {
    return spec.getProtocol() == null ? Protocol.TCP : spec.getProtocol();
  }

  private static int protocolNumber(Protocol p) {
    return switch (p) {
      case TCP -> ServiceKey.IPPROTO_TCP;
      case UDP -> ServiceKey.IPPROTO_UDP;
      case SCTP -> ServiceKey.IPPROTO_SCTP;
    };
  }

  private static Instant createdAt(VirtualService vs) {
    String ts = vs.getMetadata().getCreationTimestamp();
    if (ts == null) {
      return Instant.MAX;
    }
    try {
      return Instant.parse(ts);
    } catch (DateTimeParseException e) {
      return Instant.MAX;
    }
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
