package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.state.DesiredDestination;
import dev.lvs.agent.state.DesiredService;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.DesiredSysctl;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnedSysctl;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.Problem;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Diffs the desired state against the kernel. Pure. Its rules:
 *
 * <ul>
 *   <li>edit in place: a changed scheduler, persistence or netmask is one SET_SERVICE, a changed
 *       weight or threshold one SET_DEST; nothing that can be edited is deleted and re-added;
 *   <li>only what the ownership record proves the agent created is changed or removed (IPv4
 *       addresses must also carry the {@code :lvs} label); anything else that is in the way is
 *       reported as a conflict, never taken over;
 *   <li>destinations someone added by hand to an owned service are left alone;
 *   <li>owned things that are no longer wanted are removed, whenever they were un-wanted;
 *   <li>there is no flush.
 * </ul>
 */
public final class Planner {
  public static final String LABEL_SUFFIX = ":lvs";

  private Planner() {}

  public static Plan diff(DesiredState desired, ActualState actual, Ownership ownership) {
    List<Step> steps = new ArrayList<>();
    List<Forget> forgets = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Set<ObjectRef> vipHeldElsewhere =
        diffAddresses(desired, actual, ownership, steps, forgets, problems);
    Set<ServiceKey> inPlace =
        diffServices(desired, actual, ownership, vipHeldElsewhere, steps, forgets, problems);
    diffSysctls(desired, actual, ownership, steps, forgets);
    return new Plan(steps, forgets, problems, inPlace);
  }

  /** Whether a kernel address is provably the agent's. */
  public static boolean owns(Ownership ownership, IfAddress address) {
    if (ownership.address(new OwnedAddress.Key(address.linkIndex(), address.address())).isEmpty()) {
      return false;
    }
    return address.isIpv6() || (address.label() != null && address.label().endsWith(LABEL_SUFFIX));
  }

  /** Returns the owned, desired services already in the kernel. */
  private static Set<ServiceKey> diffServices(
      DesiredState desired,
      ActualState actual,
      Ownership ownership,
      Set<ObjectRef> vipHeldElsewhere,
      List<Step> steps,
      List<Forget> forgets,
      List<Problem> problems) {
    Set<ServiceKey> inPlace = new HashSet<>();
    for (DesiredService ds : desired.services().values()) {
      ServiceKey key = ds.service().key();
      ObjectRef vs = ds.virtualService();
      IpvsService present = actual.services().get(key);
      boolean owned = ownership.ownsService(key);
      if (present == null && vipHeldElsewhere.contains(vs)) {
        // Programming IPVS for a VIP something else holds would take its traffic: don't.
        problems.add(
            Problem.conflict(
                vs,
                "IPVS service "
                    + key
                    + " not created while its VIP is held by something else on this node"));
        continue;
      }
      if (present == null) {
        // Re-creating an owned service drops its old destinations from the record when it
        // succeeds (Applier), not before: if it already exists after all, they are still ours.
        steps.add(new Step.AddService(ds.service(), vs, owned ? "missing from the kernel" : null));
        for (DesiredDestination dd : ds.destinations().values()) {
          steps.add(new Step.AddDestination(key, dd.destination(), vs, dd.source()));
        }
        continue;
      }
      if (!owned) {
        problems.add(
            Problem.conflict(
                vs,
                "IPVS service "
                    + key
                    + " exists but was not created by this agent: held by something else"));
        continue;
      }
      inPlace.add(key);
      if (!sameService(present, ds.service())) {
        steps.add(new Step.UpdateService(present, ds.service(), vs));
      }
      Map<DestinationKey, IpvsDestination> presentDests = actual.destinationsOf(key);
      Set<DestinationKey> ownedDests = ownership.destinations(key);
      for (DesiredDestination dd : ds.destinations().values()) {
        DestinationKey dk = dd.destination().key();
        IpvsDestination pd = presentDests.get(dk);
        if (pd == null) {
          steps.add(new Step.AddDestination(key, dd.destination(), vs, dd.source()));
        } else if (!ownedDests.contains(dk)) {
          problems.add(
              Problem.conflict(
                  vs,
                  "destination "
                      + dk.address().getHostAddress()
                      + ":"
                      + dk.port()
                      + " of "
                      + key
                      + " was not added by this agent: held by something else, left alone"));
        } else if (!sameDestination(pd, dd)) {
          steps.add(new Step.UpdateDestination(key, pd, dd.destination(), vs, dd.source()));
        }
      }
      for (DestinationKey dk : ownedDests) {
        if (ds.destinations().containsKey(dk)) {
          continue;
        }
        if (presentDests.containsKey(dk)) {
          steps.add(new Step.DeleteDestination(key, dk, "no longer selected by " + vs));
        } else {
          forgets.add(new Forget.Destination(key, dk, "gone from the kernel"));
        }
      }
    }
    for (ServiceKey key : ownership.services()) {
      if (desired.services().containsKey(key)) {
        continue;
      }
      if (actual.services().containsKey(key)) {
        steps.add(new Step.DeleteService(key, "no longer desired"));
      } else {
        forgets.add(new Forget.Service(key, "gone from the kernel"));
      }
    }
    return inPlace;
  }

  /** Returns the VirtualServices whose director VIP is held by something else. */
  private static Set<ObjectRef> diffAddresses(
      DesiredState desired,
      ActualState actual,
      Ownership ownership,
      List<Step> steps,
      List<Forget> forgets,
      List<Problem> problems) {
    Set<ObjectRef> heldElsewhere = new HashSet<>();
    Set<OwnedAddress.Key> wanted = new HashSet<>();
    Set<OwnedAddress.Key> forgotten = new HashSet<>();
    ForeignServices foreignServices = new ForeignServices(desired, actual, ownership);
    Map<InetAddress, List<IfAddress>> byAddress = new HashMap<>(); // not a scan per VIP
    for (IfAddress a : actual.addresses()) {
      byAddress.computeIfAbsent(a.address(), k -> new ArrayList<>()).add(a);
    }
    for (DesiredAddress da : desired.addresses().values()) {
      Optional<Link> link = actual.link(da.interfaceName());
      if (link.isEmpty()) {
        for (ObjectRef vs : da.wantedBy()) {
          problems.add(
              Problem.failed(
                  vs,
                  "interface "
                      + da.interfaceName()
                      + " does not exist: cannot add "
                      + da.address().getHostAddress()));
        }
        continue;
      }
      int index = link.get().index();
      OwnedAddress.Key key = new OwnedAddress.Key(index, da.address());
      wanted.add(key);
      IfAddress want = new IfAddress(index, da.address(), da.prefixLength(), da.label());
      List<IfAddress> sameAddress = byAddress.getOrDefault(da.address(), List.of());
      Optional<IfAddress> onLink =
          sameAddress.stream().filter(a -> a.linkIndex() == index).findFirst();
      Optional<IfAddress> foreign =
          sameAddress.stream().filter(a -> !owns(ownership, a)).findFirst();
      Optional<ServiceKey> foreignService = foreignServices.blocking(da);
      if (onLink.isPresent() && owns(ownership, onLink.get())) {
        IfAddress have = onLink.get();
        if (have.prefixLength() != want.prefixLength()
            || !Objects.equals(have.label(), want.label())) {
          steps.add(
              new Step.DeleteAddress(
                  have, da.interfaceName(), "replaced: prefix or label changed"));
          steps.add(new Step.AddAddress(want, da.interfaceName(), da.wantedBy(), da.role()));
        }
      } else if (foreign.isPresent()) {
        IfAddress f = foreign.get();
        String where =
            actual.link(f.linkIndex()).map(Link::name).orElse("ifindex " + f.linkIndex());
        if (da.isDirectorVip()) {
          heldElsewhere.addAll(da.wantedBy());
        }
        for (ObjectRef vs : da.wantedBy()) {
          problems.add(
              Problem.conflict(
                  vs,
                  "address "
                      + da.address().getHostAddress()
                      + " is already on "
                      + where
                      + " and was not added by this agent: held by something else"));
        }
        Optional<OwnedAddress> stale =
            ownership.address(new OwnedAddress.Key(f.linkIndex(), f.address()));
        if (stale.isPresent() && forgotten.add(stale.get().key())) {
          forgets.add(new Forget.Address(stale.get(), "no longer carries the :lvs label"));
        }
      } else if (foreignService.isPresent()) {
        ServiceKey service = foreignService.get();
        for (ObjectRef vs : da.wantedBy()) {
          problems.add(
              Problem.conflict(
                  vs,
                  "VIP "
                      + da.address().getHostAddress()
                      + " not added to "
                      + da.interfaceName()
                      + ": its IPVS service "
                      + service
                      + " exists and is not ours (held by something else, e.g. a keepalived"
                      + " backup); this node would answer ARP for it too"));
        }
      } else {
        steps.add(new Step.AddAddress(want, da.interfaceName(), da.wantedBy(), da.role()));
      }
    }
    for (OwnedAddress owned : ownership.addresses().values()) {
      if (wanted.contains(owned.key()) || forgotten.contains(owned.key())) {
        continue;
      }
      Optional<IfAddress> present =
          byAddress.getOrDefault(owned.address(), List.of()).stream()
              .filter(a -> a.linkIndex() == owned.linkIndex())
              .findFirst();
      if (present.isPresent() && owns(ownership, present.get())) {
        String name = actual.link(owned.linkIndex()).map(Link::name).orElse(owned.interfaceName());
        steps.add(new Step.DeleteAddress(present.get(), name, "no longer desired"));
      } else {
        forgets.add(
            new Forget.Address(
                owned,
                present.isPresent() ? "no longer carries the :lvs label" : "gone from the kernel"));
      }
    }
    return heldElsewhere;
  }

  private static void diffSysctls(
      DesiredState desired,
      ActualState actual,
      Ownership ownership,
      List<Step> steps,
      List<Forget> forgets) {
    for (DesiredSysctl ds : desired.sysctls().values()) {
      Optional<String> current = actual.sysctls().getOrDefault(ds.path(), Optional.empty());
      if (ds.satisfiedBy(current.orElse(null))) {
        continue; // equal, or stricter: never lowered
      }
      steps.add(
          new Step.SetSysctl(ds.path(), ds.value(), current.orElse(null), ds.wantedBy(), ds.why()));
    }
    for (Map.Entry<String, OwnedSysctl> e : ownership.sysctls().entrySet()) {
      String path = e.getKey();
      if (desired.sysctls().containsKey(path)) {
        continue;
      }
      OwnedSysctl owned = e.getValue();
      Optional<String> current = actual.sysctls().getOrDefault(path, Optional.empty());
      if (current.isEmpty()) {
        forgets.add(new Forget.Sysctl(path, "gone from the kernel"));
      } else if (!current.get().equals(owned.applied())) {
        forgets.add(
            new Forget.Sysctl(
                path, "changed by someone else to " + current.get() + "; left as it is"));
      } else if (current.get().equals(owned.original())) {
        forgets.add(new Forget.Sysctl(path, "already at its original value"));
      } else {
        steps.add(
            new Step.RestoreSysctl(path, owned.original(), owned.applied(), "no longer desired"));
      }
    }
  }

  static boolean sameService(IpvsService a, IpvsService b) {
    return a.scheduler().equals(b.scheduler())
        && a.flags() == b.flags()
        && a.timeoutSeconds() == b.timeoutSeconds()
        && a.netmask() == b.netmask();
  }

  /** The kernel may list a local-node destination as Local or Route: both are what we asked. */
  static boolean sameDestination(IpvsDestination present, DesiredDestination desired) {
    IpvsDestination want = desired.destination();
    boolean forwardOk =
        present.forward() == want.forward()
            || (desired.localNode()
                && (present.forward() == ForwardMethod.LOCAL_NODE
                    || present.forward() == ForwardMethod.DIRECT_ROUTE));
    return forwardOk
        && present.weight() == want.weight()
        && present.upperThreshold() == want.upperThreshold()
        && present.lowerThreshold() == want.lowerThreshold();
  }
}
