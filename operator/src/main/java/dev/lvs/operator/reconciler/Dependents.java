package dev.lvs.operator.reconciler;

import static dev.lvs.operator.reconciler.Watches.ids;
import static dev.lvs.operator.reconciler.Watches.labels;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import dev.lvs.operator.model.IpAddresses;
import dev.lvs.operator.model.Nodes;
import dev.lvs.operator.model.ServiceKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which primaries a change of a watched object affects: exactly those whose status can depend on
 * what changed, looked up through the cache indexes of a {@link ClusterView}. Each method gets the
 * object before and after the change; {@code before} is null when the object appeared or
 * disappeared, and then every part of it counts as changed.
 *
 * <p>The view's stores are the controller's caches: its primary cache for the primary kind (so a
 * primary is found by its current spec; if a cache lags behind the change, the lagging object's own
 * event reconciles it later against the newer cache) and its informers for the other kinds.
 *
 * <p>What each status depends on, and so what is mapped:
 *
 * <ul>
 *   <li>A VirtualService: the RealServers its selector selects (labels, spec, generation), the
 *       Nodes its directors selector matches, the Nodes of those RealServers (existence,
 *       InternalIPs), the services with its vip/port/protocol (conflicts), the services whose VIP
 *       is a selected RealServer's address, and while it is deleted the readiness of the nodes that
 *       still report it.
 *   <li>A RealServer: the services selecting it (their spec, conflict state, directors and the
 *       agents' reports), its node (existence, InternalIPs), the services whose VIP is its address,
 *       and while it is deleted the reports that list it and the readiness of their nodes.
 * </ul>
 */
final class Dependents {
  private Dependents() {}

  // ---------------------------------------------------------------- VirtualService controller

  /** The services whose selector selects the RealServer's labels before or after the change. */
  static Set<ResourceID> virtualServicesOfRealServer(
      ClusterView view, RealServer before, RealServer now) {
    Set<ResourceID> out = ids(view.selecting(now));
    if (before != null && !labels(before).equals(labels(now))) {
      out.addAll(ids(view.selecting(before)));
    }
    return out;
  }

  /**
   * Label changes: the services whose directors selector matches the old or new labels. Address
   * changes: the services selecting a RealServer on the node. Readiness: the services selecting a
   * RealServer on the node (a real server on a node that is not Ready is quiesced and makes its
   * services Degraded), the services it directs, and the services being deleted that still wait for
   * this node. A node appearing or disappearing: all of these, and the services it has an entry in
   * (the entries of a node that is gone are removed).
   */
  static Set<ResourceID> virtualServicesOfNode(ClusterView view, Node before, Node now) {
    Set<ResourceID> out = new HashSet<>();
    String name = now.getMetadata().getName();
    if (before == null) {
      out.addAll(ids(view.reportedBy(name)));
    }
    if (before == null || labelsChanged(before, now)) {
      out.addAll(ids(view.directing(now)));
      if (before != null) {
        out.addAll(ids(view.directing(before)));
      }
    }
    if (before == null || addressesChanged(before, now)) {
      for (RealServer rs : view.realServersOn(name)) {
        out.addAll(ids(view.selecting(rs)));
      }
    }
    if (before == null || livenessChanged(before, now)) {
      for (RealServer rs : view.realServersOn(name)) {
        out.addAll(ids(view.selecting(rs)));
      }
      out.addAll(ids(view.directing(now)));
      for (VirtualService vs : view.deletingVirtualServices()) {
        if (Watches.nodes(vs).containsKey(name)) {
          out.add(ResourceID.fromResource(vs));
        }
      }
    }
    return out;
  }

  /**
   * Another VirtualService's key changed (or it appeared, went, or began its deletion): the
   * services with its old or new vip/port/protocol, whose conflict winner may change. Its VIP
   * changed: the services selecting a RealServer whose address is the old or new VIP.
   */
  static Set<ResourceID> virtualServicesOfVirtualService(
      ClusterView view, VirtualService before, VirtualService now) {
    Set<ResourceID> out = new HashSet<>();
    if (keyClaimChanged(before, now)) {
      out.addAll(ids(view.sameKey(now)));
      if (before != null) {
        out.addAll(ids(view.sameKey(before)));
      }
    }
    for (String vip : changedVips(before, now)) {
      for (RealServer rs : view.realServersAt(vip)) {
        out.addAll(ids(view.selecting(rs)));
      }
    }
    return out;
  }

  /**
   * Whether the service's claim on a vip/port/protocol changed: it appeared, its key changed, or
   * its deletion began (a service being deleted competes with none, so the next oldest wins at
   * once).
   */
  private static boolean keyClaimChanged(VirtualService before, VirtualService now) {
    return before == null
        || !Objects.equals(ServiceKey.of(before), ServiceKey.of(now))
        || before.isMarkedForDeletion() != now.isMarkedForDeletion();
  }

  // ---------------------------------------------------------------- RealServer controller

  /**
   * The RealServers the service selects before or after the change; on a key change those of the
   * services with the old or new key too (their conflict state may flip, and a loser's servers are
   * not selected by it); on a VIP change those whose address is the old or new VIP; on a change of
   * the reports those being deleted that the reports list.
   */
  static Set<ResourceID> realServersOfVirtualService(
      ClusterView view, VirtualService before, VirtualService now) {
    Set<ResourceID> out = ids(view.selectedRealServers(now));
    if (before != null && !Objects.equals(selector(before), selector(now))) {
      out.addAll(ids(view.selectedRealServers(before)));
    }
    if (keyClaimChanged(before, now)) {
      List<VirtualService> keyMates = new ArrayList<>(view.sameKey(now));
      if (before != null) {
        keyMates.addAll(view.sameKey(before));
      }
      for (VirtualService mate : keyMates) {
        out.addAll(ids(view.selectedRealServers(mate)));
      }
    }
    for (String vip : changedVips(before, now)) {
      out.addAll(ids(view.realServersAt(vip)));
    }
    if (before == null || !Watches.nodes(before).equals(Watches.nodes(now))) {
      Set<String> listed = reportedRealServers(now);
      if (before != null) {
        listed.addAll(reportedRealServers(before));
      }
      String ns = now.getMetadata().getNamespace();
      for (String name : listed) {
        view.realServer(ns, name)
            .filter(HasMetadata::isMarkedForDeletion)
            .ifPresent(rs -> out.add(ResourceID.fromResource(rs)));
      }
    }
    return out;
  }

  /**
   * Address changes: the RealServers on the node. Label changes: the RealServers selected by the
   * services whose directors selector matches the old or new labels. Readiness: the RealServers on
   * the node (their Ready condition follows the node's) and the RealServers being deleted. A node
   * appearing or disappearing: all of these.
   */
  static Set<ResourceID> realServersOfNode(ClusterView view, Node before, Node now) {
    Set<ResourceID> out = new HashSet<>();
    if (before == null || addressesChanged(before, now)) {
      out.addAll(ids(view.realServersOn(now.getMetadata().getName())));
    }
    if (before == null || labelsChanged(before, now)) {
      List<VirtualService> directing = new ArrayList<>(view.directing(now));
      if (before != null) {
        directing.addAll(view.directing(before));
      }
      Set<ResourceID> seen = new HashSet<>();
      for (VirtualService vs : directing) {
        if (seen.add(ResourceID.fromResource(vs))) {
          out.addAll(ids(view.selectedRealServers(vs)));
        }
      }
    }
    if (before == null || livenessChanged(before, now)) {
      out.addAll(ids(view.realServersOn(now.getMetadata().getName())));
      out.addAll(ids(view.deletingRealServers()));
    }
    return out;
  }

  // ---------------------------------------------------------------- primary to secondaries

  /** The Nodes a VirtualService's status reads: its directors and its RealServers' nodes. */
  static Set<ResourceID> nodesOf(ClusterView view, VirtualService vs) {
    Set<ResourceID> out = new HashSet<>();
    view.directorNodes(vs).forEach(n -> out.add(new ResourceID(n)));
    for (RealServer rs : view.selectedRealServers(vs)) {
      if (rs.getSpec() != null && rs.getSpec().getNodeName() != null) {
        out.add(new ResourceID(rs.getSpec().getNodeName()));
      }
    }
    return out;
  }

  /** The Nodes a RealServer's status reads: its own and the directors of its services. */
  static Set<ResourceID> nodesOf(ClusterView view, RealServer rs) {
    Set<ResourceID> out = new HashSet<>();
    if (rs.getSpec() != null && rs.getSpec().getNodeName() != null) {
      out.add(new ResourceID(rs.getSpec().getNodeName()));
    }
    for (VirtualService vs : view.selecting(rs)) {
      view.directorNodes(vs).forEach(n -> out.add(new ResourceID(n)));
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private static boolean labelsChanged(Node before, Node now) {
    return !labels(before).equals(labels(now));
  }

  private static boolean addressesChanged(Node before, Node now) {
    return !Nodes.internalIps(before).equals(Nodes.internalIps(now));
  }

  private static boolean livenessChanged(Node before, Node now) {
    return !Nodes.readyStatus(before).equals(Nodes.readyStatus(now))
        || !Objects.equals(
            before.getMetadata().getDeletionTimestamp(), now.getMetadata().getDeletionTimestamp());
  }

  /**
   * The VIPs whose owner changed: both when the VIP changed, the VIP when the service came/went.
   */
  private static Set<String> changedVips(VirtualService before, VirtualService now) {
    Set<String> vips = new TreeSet<>();
    String vipNow = vip(now);
    if (before == null) {
      if (vipNow != null) {
        vips.add(vipNow);
      }
      return vips;
    }
    String vipBefore = vip(before);
    if (!Objects.equals(vipBefore, vipNow)) {
      if (vipBefore != null) {
        vips.add(vipBefore);
      }
      if (vipNow != null) {
        vips.add(vipNow);
      }
    }
    return vips;
  }

  private static LabelSelector selector(VirtualService vs) {
    return vs.getSpec() == null ? null : vs.getSpec().getRealServerSelector();
  }

  private static String vip(VirtualService vs) {
    return vs.getSpec() == null ? null : IpAddresses.canonical(vs.getSpec().getVip());
  }

  private static Set<String> reportedRealServers(VirtualService vs) {
    Set<String> names = new TreeSet<>();
    for (NodeReport r : Watches.nodes(vs).values()) {
      if (r != null && r.getRealServerGenerations() != null) {
        names.addAll(r.getRealServerGenerations().keySet());
      }
    }
    return names;
  }
}
