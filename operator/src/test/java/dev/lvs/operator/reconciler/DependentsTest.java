package dev.lvs.operator.reconciler;

import static dev.lvs.operator.Fixtures.T0;
import static dev.lvs.operator.Fixtures.deleting;
import static dev.lvs.operator.Fixtures.director;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.putReport;
import static dev.lvs.operator.Fixtures.report;
import static dev.lvs.operator.Fixtures.rs;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.RandomWorld;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.status.DeletionGate;
import dev.lvs.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which primaries a change of a watched object is mapped to. */
class DependentsTest {
  private static final Instant NOW = T0.plusSeconds(60);
  private final StatusAggregator aggregator =
      new StatusAggregator(new DeletionGate(Duration.ofMinutes(2)));

  private static Set<String> names(Set<ResourceID> ids) {
    return ids.stream().map(ResourceID::getName).collect(Collectors.toCollection(TreeSet::new));
  }

  private static RealServer relabel(RealServer rs, String app) {
    RealServer copy = rs("copy", app, rs.getSpec().getAddress(), rs.getSpec().getNodeName());
    copy.getMetadata().setName(rs.getMetadata().getName());
    return copy;
  }

  // ------------------------------------------------------------------ VirtualService controller

  @Test
  void aRealServerLabelChangeMapsToTheServicesSelectingItsOldOrNewLabels() {
    var a = vs("a", "10.0.0.1", 80);
    var b = vs("b", "10.0.0.2", 80);
    var c = vs("c", "10.0.0.3", 80);
    var elsewhere = vs("other", "elsewhere", "10.0.0.4", 80, T0);
    elsewhere.getSpec().getRealServerSelector().setMatchLabels(Map.of("app", "a"));
    var before = rs("rs1", "a", "10.1.0.1", null);
    var after = relabel(before, "b");
    var view = new ClusterView(List.of(a, b, c, elsewhere), List.of(after), List.of());

    assertThat(names(Dependents.virtualServicesOfRealServer(view, before, after)))
        .containsExactly("a", "b");
    // Appearing or disappearing: only the services selecting it.
    assertThat(names(Dependents.virtualServicesOfRealServer(view, null, after)))
        .containsExactly("b");
    // A spec change with the same labels: the services selecting it, not the namespace.
    var moved = rs("rs1", "a", "10.1.0.9", null);
    assertThat(names(Dependents.virtualServicesOfRealServer(view, before, moved)))
        .containsExactly("a");
  }

  @Test
  void aNodeLabelChangeMapsToTheServicesWhoseDirectorsMatchOldOrNewLabels() {
    var byRole = vs("by-role", "10.0.0.1", 80); // role=director
    var byZone = vs("by-zone", "10.0.0.2", 80);
    byZone.getSpec().getDirectors().setMatchLabels(Map.of("zone", "z1"));
    var unrelated = vs("unrelated", "10.0.0.3", 80);
    unrelated.getSpec().getDirectors().setMatchLabels(Map.of("role", "edge"));
    Node before = director("d1", "10.1.0.1");
    Node after = node("d1", "10.1.0.1", true, "zone", "z1");
    var view = new ClusterView(List.of(byRole, byZone, unrelated), List.of(), List.of(after));

    assertThat(names(Dependents.virtualServicesOfNode(view, before, after)))
        .containsExactly("by-role", "by-zone");
  }

  @Test
  void aNodeAddressOrReadinessChangeMapsToTheServicesOfItsRealServersAndReadinessToDeletions() {
    var web = vs("web", "10.0.0.1", 80);
    var db = vs("db", "10.0.0.2", 80);
    var draining = deleting(vs("draining", "10.0.0.3", 80), T0);
    putReport(draining, "n7", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    var drainingElsewhere = deleting(vs("draining2", "10.0.0.4", 80), T0);
    putReport(drainingElsewhere, "n8", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    var onNode = rs("rs1", "web", null, "n7");
    var offNode = rs("rs2", "db", null, "n8");
    Node before = node("n7", "10.1.0.7", true);
    Node readdressed = node("n7", "10.1.0.77", true);
    Node notReady = node("n7", "10.1.0.7", false);
    var view =
        new ClusterView(
            List.of(web, db, draining, drainingElsewhere),
            List.of(onNode, offNode),
            List.of(readdressed));

    assertThat(names(Dependents.virtualServicesOfNode(view, before, readdressed)))
        .containsExactly("web");
    // Readiness: its real servers are quiesced (web turns Degraded), and deletions stop waiting.
    assertThat(names(Dependents.virtualServicesOfNode(view, before, notReady)))
        .containsExactlyInAnyOrder("draining", "web");
  }

  @Test
  void aNodeThatGoesMapsToTheServicesItStillHasAnEntryIn() {
    // An agent that lost its roles here may still have its entry (its removals failed); when its
    // Node goes, the service must reconcile to prune the entry.
    var web = vs("web", "10.0.0.1", 80);
    putReport(web, "gone", report(LvsApi.ROLE_REAL_SERVER, 1, "Failed", Map.of()));
    var db = vs("db", "10.0.0.2", 80);
    Node gone = node("gone", "10.1.0.9", true);
    var view = new ClusterView(List.of(web, db), List.of(), List.of());

    assertThat(names(Dependents.virtualServicesOfNode(view, null, gone))).containsExactly("web");
  }

  @Test
  void aKeyChangeMapsToTheServicesWithTheOldOrNewKeyAndAVipChangeToThoseUsingItAsAddress() {
    var loser = vs("ns", "loser", "10.0.0.1", 80, T0.plusSeconds(5));
    var target = vs("target", "10.0.0.2", 81);
    var other = vs("other", "10.0.0.3", 80);
    var ripIsVip = rs("rs1", "other", "10.0.0.5", null);
    var nodeIpIsVip = rs("rs2", "other", null, "n5");
    VirtualService before = vs("winner", "10.0.0.1", 80);
    VirtualService after = vs("winner", "10.0.0.2", 81);
    var view =
        new ClusterView(
            List.of(after, loser, target, other),
            List.of(ripIsVip, nodeIpIsVip),
            List.of(node("n5", "10.0.0.9", true)));

    assertThat(names(Dependents.virtualServicesOfVirtualService(view, before, after)))
        .containsExactly("loser", "target", "winner");
    VirtualService toRip = vs("winner", "10.0.0.5", 80);
    assertThat(names(Dependents.virtualServicesOfVirtualService(view, before, toRip)))
        .contains("other");
    VirtualService toNodeIp = vs("winner", "10.0.0.9", 80);
    assertThat(names(Dependents.virtualServicesOfVirtualService(view, before, toNodeIp)))
        .contains("other");
    // Neither key nor VIP changed (e.g. the selector did): no other service depends on it.
    VirtualService reselected = vs("winner", "10.0.0.1", 80);
    reselected.getSpec().getRealServerSelector().setMatchLabels(Map.of("app", "other"));
    assertThat(Dependents.virtualServicesOfVirtualService(view, before, reselected)).isEmpty();
  }

  // ------------------------------------------------------------------ RealServer controller

  @Test
  void aSelectorChangeMapsToTheServersSelectedBeforeOrAfter() {
    var a1 = rs("a1", "a", "10.1.0.1", null);
    var b1 = rs("b1", "b", "10.1.0.2", null);
    var c1 = rs("c1", "c", "10.1.0.3", null);
    VirtualService before = vs("svc", "10.0.0.1", 80);
    before.getSpec().getRealServerSelector().setMatchLabels(Map.of("app", "a"));
    VirtualService after = vs("svc", "10.0.0.1", 80);
    after.getSpec().getRealServerSelector().setMatchLabels(Map.of("app", "b"));
    var view = new ClusterView(List.of(after), List.of(a1, b1, c1), List.of());

    assertThat(names(Dependents.realServersOfVirtualService(view, before, after)))
        .containsExactly("a1", "b1");
  }

  @Test
  void reportsThatListADeletedServerMapToIt() {
    var going = deleting(rs("going", "x", "10.1.0.1", null), T0);
    var staying = rs("staying", "x", "10.1.0.2", null);
    VirtualService before = vs("svc", "10.0.0.1", 80);
    VirtualService after = vs("svc", "10.0.0.1", 80);
    putReport(
        after,
        "d1",
        report(LvsApi.ROLE_DIRECTOR, 1, "Applied", Map.of("going", 1L, "staying", 1L)));
    var view = new ClusterView(List.of(after), List.of(going, staying), List.of());

    assertThat(names(Dependents.realServersOfVirtualService(view, before, after)))
        .containsExactly("going");
  }

  @Test
  void aDirectorLabelChangeMapsToTheServersOfTheServicesItDirects() {
    var web = vs("web", "10.0.0.1", 80);
    var db = vs("db", "10.0.0.2", 80);
    db.getSpec().getDirectors().setMatchLabels(Map.of("role", "edge"));
    var webRs = rs("w1", "web", "10.1.0.1", null);
    var dbRs = rs("d1", "db", "10.1.0.2", null);
    var onNode = rs("n1", "none", null, "d9");
    Node before = node("d9", "10.1.0.9", true);
    Node after = director("d9", "10.1.0.9");
    var view = new ClusterView(List.of(web, db), List.of(webRs, dbRs, onNode), List.of(after));

    assertThat(names(Dependents.realServersOfNode(view, before, after))).containsExactly("w1");
    assertThat(names(Dependents.realServersOfNode(view, null, after))).containsExactly("n1", "w1");
  }

  // ------------------------------------------------------------------ random changes

  /**
   * For random clusters and random single changes: every VirtualService and RealServer whose
   * computed status differs between the cluster before and after the change is either the changed
   * object itself (its own event reconciles it) or among the primaries the change is mapped to,
   * given the informer's update filter lets the change through.
   */
  @Test
  void everyStatusAChangeAltersIsMappedToIt() {
    RandomWorld random = new RandomWorld(20261122L);
    int checked = 0;
    int mappedTotal = 0;
    for (int trial = 0; trial < 2000; trial++) {
      RandomWorld.World world = random.world();
      for (int step = 0; step < 3; step++) {
        RandomWorld.Change change = random.change(world);
        Set<ResourceID> vsMapped = virtualServiceControllerMapping(change);
        Set<ResourceID> rsMapped = realServerControllerMapping(change);
        mappedTotal += vsMapped.size() + rsMapped.size();

        Set<ResourceID> vsAffected = affectedVirtualServices(change);
        Set<ResourceID> rsAffected = affectedRealServers(change);
        String context = "trial " + trial + " step " + step + ": " + change.what();
        assertThat(vsMapped).as(context).containsAll(vsAffected);
        assertThat(rsMapped).as(context).containsAll(rsAffected);
        checked += vsAffected.size() + rsAffected.size();
        world = change.to();
      }
    }
    // The property is not vacuous: many changes did alter other objects' status.
    assertThat(checked).isGreaterThan(1000);
    assertThat(mappedTotal).isGreaterThan(checked);
  }

  private static Set<ResourceID> virtualServiceControllerMapping(RandomWorld.Change c) {
    ClusterView view = c.to().view();
    if (c.after() instanceof RealServer now) {
      RealServer before = (RealServer) c.before();
      if (before != null && !Watches.realServerSpecChanged(now, before)) {
        return Set.of();
      }
      return Dependents.virtualServicesOfRealServer(view, before, now);
    } else if (c.after() instanceof Node now) {
      Node before = (Node) c.before();
      if (before != null && !Watches.nodeChanged(now, before)) {
        return Set.of();
      }
      return Dependents.virtualServicesOfNode(view, before, now);
    }
    VirtualService now = (VirtualService) c.after();
    VirtualService before = (VirtualService) c.before();
    if (before != null && !Watches.virtualServiceSpecChanged(now, before)) {
      return Set.of();
    }
    return Dependents.virtualServicesOfVirtualService(view, before, now);
  }

  private static Set<ResourceID> realServerControllerMapping(RandomWorld.Change c) {
    ClusterView view = c.to().view();
    if (c.after() instanceof RealServer) {
      return Set.of(); // the primary itself; no other RealServer depends on it
    } else if (c.after() instanceof Node now) {
      Node before = (Node) c.before();
      if (before != null && !Watches.nodeChanged(now, before)) {
        return Set.of();
      }
      return Dependents.realServersOfNode(view, before, now);
    }
    VirtualService now = (VirtualService) c.after();
    VirtualService before = (VirtualService) c.before();
    if (before != null && !Watches.virtualServiceChanged(now, before)) {
      return Set.of();
    }
    return Dependents.realServersOfVirtualService(view, before, now);
  }

  private Set<ResourceID> affectedVirtualServices(RandomWorld.Change c) {
    ClusterView from = c.from().view();
    ClusterView to = c.to().view();
    Map<ResourceID, VirtualService> after = byId(c.to().virtualServices());
    Set<ResourceID> affected = new java.util.HashSet<>();
    for (VirtualService vs : c.from().virtualServices()) {
      ResourceID id = ResourceID.fromResource(vs);
      if (isChanged(c, vs) || !after.containsKey(id)) {
        continue;
      }
      var s1 = aggregator.virtualService(vs, from.with(vs), NOW);
      var s2 = aggregator.virtualService(vs, to.with(vs), NOW);
      if (!s1.equals(s2)) {
        affected.add(id);
      }
    }
    return affected;
  }

  private Set<ResourceID> affectedRealServers(RandomWorld.Change c) {
    ClusterView from = c.from().view();
    ClusterView to = c.to().view();
    Map<ResourceID, RealServer> after = byId(c.to().realServers());
    Set<ResourceID> affected = new java.util.HashSet<>();
    for (RealServer rs : c.from().realServers()) {
      ResourceID id = ResourceID.fromResource(rs);
      if (isChanged(c, rs) || !after.containsKey(id)) {
        continue;
      }
      var s1 = aggregator.realServer(rs, from.with(rs), NOW);
      var s2 = aggregator.realServer(rs, to.with(rs), NOW);
      if (!s1.equals(s2)) {
        affected.add(id);
      }
    }
    return affected;
  }

  private static boolean isChanged(RandomWorld.Change c, HasMetadata r) {
    return c.after().getClass() == r.getClass() && ClusterView.sameObject(c.after(), r);
  }

  private static <R extends HasMetadata> Map<ResourceID, R> byId(List<R> objects) {
    Map<ResourceID, R> m = new HashMap<>();
    objects.forEach(o -> m.put(ResourceID.fromResource(o), o));
    return m;
  }
}
