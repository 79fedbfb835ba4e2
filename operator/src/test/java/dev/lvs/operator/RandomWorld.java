package dev.lvs.operator;

import static dev.lvs.operator.Fixtures.T0;

import dev.lvs.operator.api.v1alpha1.LocalNode;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.RealServerStatus;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import dev.lvs.operator.api.v1alpha1.VirtualServiceStatus;
import dev.lvs.operator.model.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Small random clusters and single random changes to them, for tests that compare what a change
 * does to the computed status with what the event mapping says it affects. Objects are described by
 * immutable records and built fresh, so the worlds before and after a change share no object.
 */
public final class RandomWorld {

  /** A VirtualService: selector and directors are indexes into the selector tables below. */
  public record Vs(
      String ns,
      String name,
      String vip,
      int port,
      int createdSeconds,
      int selector,
      int directors,
      boolean localNode,
      boolean deleting,
      long generation,
      boolean conflict,
      List<Report> reports) {
    /** A spec change: these spec fields, the next generation, the rest as it was. */
    Vs respec(String vip, int port, int selector, int directors, boolean localNode) {
      return new Vs(
          ns,
          name,
          vip,
          port,
          createdSeconds,
          selector,
          directors,
          localNode,
          deleting,
          generation + 1,
          conflict,
          reports);
    }

    /** A change outside the spec (deletion, status): the same generation. */
    Vs restate(boolean deleting, boolean conflict, List<Report> reports) {
      return new Vs(
          ns,
          name,
          vip,
          port,
          createdSeconds,
          selector,
          directors,
          localNode,
          deleting,
          generation,
          conflict,
          reports);
    }
  }

  public record Report(String node, String state, long observedGeneration, Map<String, Long> rs) {}

  public record Rs(
      String ns,
      String name,
      Map<String, String> labels,
      String address,
      String nodeName,
      boolean deleting,
      long generation,
      List<String> vips) {}

  public record Nd(String name, Map<String, String> labels, List<String> ips, String ready) {}

  /** One world: what the caches hold. Its objects and view are built once, on first use. */
  public static final class World {
    private final List<Vs> vss;
    private final List<Rs> rss;
    private final List<Nd> nodes;
    private List<VirtualService> builtVss;
    private List<RealServer> builtRss;
    private List<Node> builtNodes;
    private ClusterView view;

    public World(List<Vs> vss, List<Rs> rss, List<Nd> nodes) {
      this.vss = vss;
      this.rss = rss;
      this.nodes = nodes;
    }

    public List<Vs> vss() {
      return vss;
    }

    public List<Rs> rss() {
      return rss;
    }

    public List<Nd> nodes() {
      return nodes;
    }

    public List<VirtualService> virtualServices() {
      if (builtVss == null) {
        builtVss = vss.stream().map(RandomWorld::build).toList();
      }
      return builtVss;
    }

    public List<RealServer> realServers() {
      if (builtRss == null) {
        builtRss = rss.stream().map(RandomWorld::build).toList();
      }
      return builtRss;
    }

    public List<Node> nodeObjects() {
      if (builtNodes == null) {
        builtNodes = nodes.stream().map(RandomWorld::build).toList();
      }
      return builtNodes;
    }

    public ClusterView view() {
      if (view == null) {
        view = new ClusterView(virtualServices(), realServers(), nodeObjects());
      }
      return view;
    }
  }

  /**
   * One change: {@code before} and {@code after} are the changed object (built), {@code before} is
   * null for an object that appeared (then {@code after} is it) or disappeared (then {@code after}
   * is its last state); {@code update} says whether it was an update.
   */
  public record Change(World from, World to, HasMetadata before, HasMetadata after, String what) {
    public boolean update() {
      return before != null;
    }
  }

  static final String[] NAMESPACES = {"a", "b"};
  static final String[] VIPS = {"10.9.0.1", "10.9.0.2", "10.0.0.1", "10.1.0.1", "fd00::1"};
  static final String[] ADDRESSES = {null, "10.1.0.1", "10.1.0.2", "10.9.0.1", "10.9.0.2"};
  static final String[] NODE_NAMES = {null, "n0", "n1", "n2", "n3", "n4", "ghost"};
  static final String[] READY = {"True", "True", "False", null};
  static final int SELECTORS = 8;
  static final int DIRECTOR_SELECTORS = 5;

  /** The RealServer selectors a Vs may have. */
  public static LabelSelector realServerSelector(int i) {
    return switch (i) {
      case 0 -> new LabelSelectorBuilder().addToMatchLabels("app", "x").build();
      case 1 ->
          new LabelSelectorBuilder().addToMatchLabels(Map.of("app", "y", "tier", "web")).build();
      case 2 -> expr("app", "In", "x", "z");
      case 3 -> expr("tier", "NotIn", "db");
      case 4 -> expr("tier", "Exists");
      case 5 -> new LabelSelectorBuilder().build();
      case 6 -> null;
      default -> {
        LabelSelector s = expr("tier", "DoesNotExist");
        s.setMatchLabels(Map.of("app", "z"));
        yield s;
      }
    };
  }

  /** The directors selectors a Vs may have. */
  public static LabelSelector directorsSelector(int i) {
    return switch (i) {
      case 0 -> new LabelSelectorBuilder().addToMatchLabels("role", "director").build();
      case 1 -> expr("zone", "In", "1");
      case 2 ->
          new LabelSelectorBuilder()
              .addToMatchLabels(Map.of("role", "director", "zone", "2"))
              .build();
      case 3 -> expr("role", "Exists");
      default -> expr("role", "NotIn", "worker");
    };
  }

  private static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(values.length == 0 ? null : List.of(values))
        .endMatchExpression()
        .build();
  }

  private final Random random;
  private int addedCount;

  private final int reportPercent;

  /** Random worlds where each VirtualService has a report from a node with a 30% chance. */
  public RandomWorld(long seed) {
    this(seed, 30);
  }

  public RandomWorld(long seed, int reportPercent) {
    this.random = new Random(seed);
    this.reportPercent = reportPercent;
  }

  private <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  public World world() {
    List<Nd> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(node("n" + i, i));
    }
    List<Rs> rss = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rss.add(rs("rs" + i));
    }
    List<Vs> vss = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      vss.add(vs("vs" + i, rss));
    }
    return new World(vss, rss, nodes);
  }

  private Nd node(String name, int i) {
    List<String> ips = new ArrayList<>();
    ips.add(chance(15) ? pick(VIPS) : "10.0.0." + (i + 1));
    if (chance(20)) {
      ips.add("fd00::" + (i + 1));
    }
    return new Nd(name, nodeLabels(), ips, pick(READY));
  }

  private Map<String, String> nodeLabels() {
    Map<String, String> l = new TreeMap<>();
    if (chance(60)) {
      l.put("role", chance(60) ? "director" : "worker");
    }
    if (chance(50)) {
      l.put("zone", chance(50) ? "1" : "2");
    }
    return l;
  }

  private Map<String, String> rsLabels() {
    Map<String, String> l = new TreeMap<>();
    if (chance(80)) {
      l.put("app", pick(new String[] {"x", "y", "z"}));
    }
    if (chance(50)) {
      l.put("tier", chance(50) ? "web" : "db");
    }
    return l;
  }

  private Rs rs(String name) {
    return new Rs(
        pick(NAMESPACES),
        name,
        rsLabels(),
        pick(ADDRESSES),
        pick(NODE_NAMES),
        chance(15),
        1 + random.nextInt(2),
        chance(30) ? List.of(pick(VIPS)) : List.of());
  }

  private Vs vs(String name, List<Rs> rss) {
    return new Vs(
        pick(NAMESPACES),
        name,
        pick(VIPS),
        chance(70) ? 80 : 81,
        random.nextInt(4),
        random.nextInt(SELECTORS),
        random.nextInt(DIRECTOR_SELECTORS),
        chance(20),
        chance(15),
        1 + random.nextInt(2),
        chance(20),
        reports(rss));
  }

  private List<Report> reports(List<Rs> rss) {
    List<Report> reports = new ArrayList<>();
    for (String node : new String[] {"n0", "n1", "n2", "n3", "n4", "gone"}) {
      if (chance(reportPercent)) {
        Map<String, Long> gens = new TreeMap<>();
        for (Rs rs : rss) {
          if (chance(25)) {
            gens.put(rs.name(), 1L + random.nextInt(2));
          }
        }
        reports.add(
            new Report(node, chance(85) ? "Applied" : "Failed", 1 + random.nextInt(2), gens));
      }
    }
    return reports;
  }

  /** A random change of one object of {@code w}. */
  public Change change(World w) {
    int kind = random.nextInt(3);
    if (kind == 0) {
      return changeRs(w);
    } else if (kind == 1) {
      return changeNode(w);
    }
    return changeVs(w);
  }

  private Change changeRs(World w) {
    List<Rs> rss = new ArrayList<>(w.rss());
    int op = random.nextInt(8);
    if (op == 0) {
      Rs added = rs("rs-new" + (++addedCount));
      rss.add(added);
      return new Change(w, new World(w.vss(), rss, w.nodes()), null, build(added), "add rs");
    }
    int i = random.nextInt(rss.size());
    Rs old = rss.get(i);
    if (op == 1) {
      rss.remove(i);
      return new Change(w, new World(w.vss(), rss, w.nodes()), null, build(old), "delete rs");
    }
    Rs changed =
        switch (op) {
          case 2 -> withRsLabels(old, rsLabels());
          case 3 -> respec(old, pick(ADDRESSES), old.nodeName());
          case 4 -> respec(old, old.address(), pick(NODE_NAMES));
          case 5 ->
              new Rs(
                  old.ns(),
                  old.name(),
                  old.labels(),
                  old.address(),
                  old.nodeName(),
                  true,
                  old.generation(),
                  old.vips());
          case 6 ->
              new Rs(
                  old.ns(),
                  old.name(),
                  old.labels(),
                  old.address(),
                  old.nodeName(),
                  old.deleting(),
                  old.generation(),
                  chance(50) ? List.of() : List.of(pick(VIPS)));
          default -> respec(old, old.address(), old.nodeName());
        };
    rss.set(i, changed);
    return new Change(
        w, new World(w.vss(), rss, w.nodes()), build(old), build(changed), "update rs " + op);
  }

  private static Rs withRsLabels(Rs o, Map<String, String> labels) {
    return new Rs(
        o.ns(),
        o.name(),
        labels,
        o.address(),
        o.nodeName(),
        o.deleting(),
        o.generation(),
        o.vips());
  }

  private static Rs respec(Rs o, String address, String nodeName) {
    return new Rs(
        o.ns(),
        o.name(),
        o.labels(),
        address,
        nodeName,
        o.deleting(),
        o.generation() + 1,
        o.vips());
  }

  private Change changeNode(World w) {
    List<Nd> nodes = new ArrayList<>(w.nodes());
    int op = random.nextInt(5);
    String fresh = chance(50) ? "ghost" : "n9";
    if (op == 0 && nodes.stream().noneMatch(n -> n.name().equals(fresh))) {
      Nd added = node(fresh, 8);
      nodes.add(added);
      return new Change(w, new World(w.vss(), w.rss(), nodes), null, build(added), "add node");
    }
    if (op == 0) {
      op = 2;
    }
    int i = random.nextInt(nodes.size());
    Nd old = nodes.get(i);
    if (op == 1) {
      nodes.remove(i);
      return new Change(w, new World(w.vss(), w.rss(), nodes), null, build(old), "delete node");
    }
    Nd changed =
        switch (op) {
          case 2 -> new Nd(old.name(), nodeLabels(), old.ips(), old.ready());
          case 3 -> new Nd(old.name(), old.labels(), node(old.name(), i + 10).ips(), old.ready());
          default -> new Nd(old.name(), old.labels(), old.ips(), pick(READY));
        };
    nodes.set(i, changed);
    return new Change(
        w, new World(w.vss(), w.rss(), nodes), build(old), build(changed), "update node " + op);
  }

  private Change changeVs(World w) {
    List<Vs> vss = new ArrayList<>(w.vss());
    int op = random.nextInt(11);
    if (op == 0) {
      Vs added = vs("vs-new" + (++addedCount), w.rss());
      vss.add(added);
      return new Change(w, new World(vss, w.rss(), w.nodes()), null, build(added), "add vs");
    }
    int i = random.nextInt(vss.size());
    Vs o = vss.get(i);
    if (op == 1) {
      vss.remove(i);
      return new Change(w, new World(vss, w.rss(), w.nodes()), null, build(o), "delete vs");
    }
    Vs c =
        switch (op) {
          case 2 -> o.respec(pick(VIPS), o.port(), o.selector(), o.directors(), o.localNode());
          case 3 ->
              o.respec(
                  o.vip(), o.port() == 80 ? 81 : 80, o.selector(), o.directors(), o.localNode());
          case 4 ->
              o.respec(o.vip(), o.port(), random.nextInt(SELECTORS), o.directors(), o.localNode());
          case 5 ->
              o.respec(
                  o.vip(),
                  o.port(),
                  o.selector(),
                  random.nextInt(DIRECTOR_SELECTORS),
                  o.localNode());
          case 6 -> o.respec(o.vip(), o.port(), o.selector(), o.directors(), !o.localNode());
          case 7 -> o.restate(true, o.conflict(), o.reports());
          case 8 -> o.restate(o.deleting(), !o.conflict(), o.reports());
          case 9 -> o.restate(o.deleting(), o.conflict(), reports(w.rss()));
          default -> o.respec(o.vip(), o.port(), o.selector(), o.directors(), o.localNode());
        };
    vss.set(i, c);
    return new Change(w, new World(vss, w.rss(), w.nodes()), build(o), build(c), "update vs " + op);
  }

  // ------------------------------------------------------------------ building objects

  public static VirtualService build(Vs p) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(p.ns())
            .withName(p.name())
            .withGeneration(p.generation())
            .withCreationTimestamp(T0.plusSeconds(p.createdSeconds()).toString())
            .withDeletionTimestamp(p.deleting() ? T0.plusSeconds(30).toString() : null)
            .build());
    VirtualServiceSpec spec = new VirtualServiceSpec();
    spec.setVip(p.vip());
    spec.setPort(p.port());
    spec.setRealServerSelector(realServerSelector(p.selector()));
    spec.setDirectors(directorsSelector(p.directors()));
    if (p.localNode()) {
      LocalNode l = new LocalNode();
      l.setEnabled(true);
      spec.setLocalNode(l);
    }
    vs.setSpec(spec);
    VirtualServiceStatus status = new VirtualServiceStatus();
    if (p.conflict()) {
      status.setConditions(
          List.of(
              dev.lvs.operator.status.Conditions.of(
                  dev.lvs.operator.status.Conditions.CONFLICT,
                  true,
                  "DuplicateVirtualService",
                  "x",
                  p.generation(),
                  List.of(),
                  T0)));
    }
    Map<String, NodeReport> reports = new LinkedHashMap<>();
    for (Report r : p.reports()) {
      NodeReport nr = new NodeReport();
      nr.setState(r.state());
      nr.setObservedGeneration(r.observedGeneration());
      nr.setRealServerGenerations(new LinkedHashMap<>(r.rs()));
      reports.put(r.node(), nr);
    }
    status.setNodes(reports);
    vs.setStatus(status);
    return vs;
  }

  public static RealServer build(Rs p) {
    RealServer rs = new RealServer();
    rs.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(p.ns())
            .withName(p.name())
            .withGeneration(p.generation())
            .withCreationTimestamp(T0.toString())
            .withLabels(new LinkedHashMap<>(p.labels()))
            .withDeletionTimestamp(p.deleting() ? T0.plusSeconds(30).toString() : null)
            .build());
    RealServerSpec spec = new RealServerSpec();
    spec.setAddress(p.address());
    spec.setNodeName(p.nodeName());
    rs.setSpec(spec);
    RealServerStatus status = new RealServerStatus();
    status.setVips(new ArrayList<>(p.vips()));
    rs.setStatus(status);
    return rs;
  }

  public static Node build(Nd p) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(p.name())
            .withLabels(new LinkedHashMap<>(p.labels()))
            .endMetadata();
    var status = b.withNewStatus();
    for (String ip : p.ips()) {
      status = status.addNewAddress().withType("InternalIP").withAddress(ip).endAddress();
    }
    if (p.ready() != null) {
      status = status.addNewCondition().withType("Ready").withStatus(p.ready()).endCondition();
    }
    return status.endStatus().build();
  }
}
