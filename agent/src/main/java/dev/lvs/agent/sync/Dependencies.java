package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.ArpSysctls;
import dev.lvs.agent.state.DesiredAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What each step of a plan needs to have happened before it, as a conjunction of clauses, each "at
 * least one of these earlier steps succeeded". Pure. The {@link Applier} skips a step with an unmet
 * clause, and a skipped step counts as failed for its own dependents.
 *
 * <ul>
 *   <li>a destination needs its service, when the plan creates it;
 *   <li>a real-server VIP on {@code lo} (IPv4) needs every ARP sysctl the plan sets: with ARP on,
 *       the node would answer ARP for the VIP (the LVS "ARP problem");
 *   <li>a director VIP needs an IPVS service for it: unless one of ours for that VIP is in place
 *       already, at least one of those the plan creates must have been created;
 *   <li>restoring an ARP sysctl needs every IPv4 VIP the plan removes from {@code lo} gone.
 * </ul>
 *
 * Ranks put every prerequisite before its step; a clause only ever names earlier steps.
 */
final class Dependencies {
  private Dependencies() {}

  /**
   * At least one of the steps at {@code anyOf} must have succeeded; else skip with {@code unmet}.
   */
  record Clause(List<Integer> anyOf, String unmet) {
    Clause {
      anyOf = List.copyOf(anyOf);
    }
  }

  /**
   * The clauses of each of {@code steps} (in plan order), by index.
   *
   * @param servicesInPlace owned services the plan leaves in the kernel (not created by it)
   */
  static List<List<Clause>> of(List<Step> steps, Set<ServiceKey> servicesInPlace) {
    Set<InetAddress> vipsInPlace = new HashSet<>();
    for (ServiceKey k : servicesInPlace) {
      if (k.address() != null) {
        vipsInPlace.add(k.address());
      }
    }
    Map<ServiceKey, Integer> addService = new HashMap<>();
    Map<InetAddress, List<Integer>> addServicesByVip = new HashMap<>();
    List<Integer> arpSets = new ArrayList<>();
    List<Integer> loRemovals = new ArrayList<>();
    List<List<Clause>> out = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      List<Clause> clauses = new ArrayList<>();
      if (step instanceof Step.AddDestination d && addService.containsKey(d.service())) {
        clauses.add(
            new Clause(
                List.of(addService.get(d.service())), "skipped: its service could not be created"));
      } else if (step instanceof Step.AddAddress a && isRealServerVip(a)) {
        for (int j : arpSets) {
          String path = ((Step.SetSysctl) steps.get(j)).path();
          clauses.add(new Clause(List.of(j), "skipped: ARP sysctl " + path + " could not be set"));
        }
      } else if (step instanceof Step.AddAddress a && isDirectorVip(a)) {
        InetAddress vip = a.address().address();
        List<Integer> creating = addServicesByVip.getOrDefault(vip, List.of());
        if (!vipsInPlace.contains(vip) && !creating.isEmpty()) {
          clauses.add(new Clause(creating, "skipped: " + services(steps, creating) + " created"));
        }
      } else if (step instanceof Step.RestoreSysctl r && ArpSysctls.isArp(r.path())) {
        for (int j : loRemovals) {
          Step.DeleteAddress d = (Step.DeleteAddress) steps.get(j);
          clauses.add(
              new Clause(
                  List.of(j),
                  "skipped: the VIP "
                      + d.address().address().getHostAddress()
                      + " could not be removed from lo, and ARP must stay off while it is there"));
        }
      }
      out.add(List.copyOf(clauses));
      register(step, i, addService, addServicesByVip, arpSets, loRemovals);
    }
    return out;
  }

  private static void register(
      Step step,
      int i,
      Map<ServiceKey, Integer> addService,
      Map<InetAddress, List<Integer>> addServicesByVip,
      List<Integer> arpSets,
      List<Integer> loRemovals) {
    if (step instanceof Step.AddService s) {
      ServiceKey key = s.service().key();
      addService.put(key, i);
      if (key.address() != null) {
        addServicesByVip.computeIfAbsent(key.address(), k -> new ArrayList<>()).add(i);
      }
    } else if (step instanceof Step.SetSysctl s && ArpSysctls.isArp(s.path())) {
      arpSets.add(i);
    } else if (step instanceof Step.DeleteAddress d
        && DesiredAddress.LOOPBACK.equals(d.interfaceName())
        && !d.address().isIpv6()) {
      loRemovals.add(i);
    }
  }

  private static boolean isRealServerVip(Step.AddAddress a) {
    return DesiredAddress.REAL_SERVER_VIP.equals(a.role()) && !a.address().isIpv6();
  }

  private static boolean isDirectorVip(Step.AddAddress a) {
    return DesiredAddress.DIRECTOR_VIP.equals(a.role());
  }

  private static String services(List<Step> steps, List<Integer> adds) {
    String keys =
        adds.stream()
            .map(j -> ((Step.AddService) steps.get(j)).service().key().toString())
            .collect(Collectors.joining(", "));
    return adds.size() == 1
        ? "its IPVS service " + keys + " could not be"
        : "none of its IPVS services " + keys + " could be";
  }
}
