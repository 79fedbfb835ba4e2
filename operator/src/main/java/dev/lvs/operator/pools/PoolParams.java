package dev.lvs.operator.pools;

import dev.lvs.operator.api.IpLiterals;
import dev.lvs.operator.api.pools.ForbiddenVips;
import dev.lvs.operator.api.pools.IpRange;
import dev.lvs.operator.api.pools.Pool;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data of the ConfigMap that the admission policy takes as its parameter: what the policy's CEL
 * cannot work out itself, precomputed. A ValidatingAdmissionPolicy can read one parameter object
 * per binding, and with a selector over several it requires every one to pass (an AND), so "in any
 * admitting pool" (an OR over pools) needs the pools folded into one object.
 *
 * <ul>
 *   <li>{@code pool.NAME.cidrs}: the pool's usable entries as CIDRs (a range becomes the fewest
 *       CIDRs covering it: CEL can test {@code cidr(c).containsIP(ip)} but not compare addresses),
 *       comma-separated;
 *   <li>{@code pool.NAME.namespaces}: {@code *} when the pool has no namespace selector, else the
 *       namespaces it admits now, comma-separated (CEL cannot evaluate a label selector);
 *   <li>{@code forbidden.cidrs}: the Nodes' InternalIPs and ExternalIPs and the forbidden address
 *       classes.
 * </ul>
 */
public final class PoolParams {
  private PoolParams() {}

  public static final String FORBIDDEN_KEY = "forbidden.cidrs";

  public static Map<String, String> data(
      List<Pool> pools, List<Namespace> namespaces, List<Node> nodes) {
    Map<String, String> data = new TreeMap<>();
    for (Pool p : pools) {
      List<String> cidrs = new ArrayList<>();
      p.ranges().forEach(r -> cidrs.addAll(r.toCidrs()));
      data.put("pool." + p.name() + ".cidrs", String.join(",", cidrs));
      String admitted;
      if (p.namespaceSelector() == null) {
        admitted = "*";
      } else {
        SortedSet<String> names = new TreeSet<>();
        for (Namespace ns : namespaces) {
          Map<String, String> labels = ns.getMetadata().getLabels();
          if (p.admits(labels == null ? Map.of() : labels)) {
            names.add(ns.getMetadata().getName());
          }
        }
        admitted = String.join(",", names);
      }
      data.put("pool." + p.name() + ".namespaces", admitted);
    }
    List<String> forbidden = new ArrayList<>();
    ForbiddenVips.classRanges().forEach(r -> forbidden.addAll(r.toCidrs()));
    SortedSet<String> hostCidrs = new TreeSet<>();
    for (InetAddress a : nodeAddresses(nodes)) {
      hostCidrs.addAll(IpRange.of(a).toCidrs());
    }
    forbidden.addAll(hostCidrs);
    data.put(FORBIDDEN_KEY, String.join(",", forbidden));
    return data;
  }

  /** Every Node's InternalIP and ExternalIP. */
  static List<InetAddress> nodeAddresses(List<Node> nodes) {
    List<InetAddress> out = new ArrayList<>();
    for (Node n : nodes) {
      if (n.getStatus() == null || n.getStatus().getAddresses() == null) {
        continue;
      }
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType())) {
          IpLiterals.tryParse(a.getAddress()).ifPresent(out::add);
        }
      }
    }
    return out;
  }
}
