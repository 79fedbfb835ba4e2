package dev.lvs.operator.api.pools;

import dev.lvs.operator.api.LabelSelectors;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A VipPool as the admission, the operator and the agents use it: its parsed ranges, the entries
 * that could not be used (each with why), and its namespace selector.
 */
public record Pool(
    String name,
    List<IpRange> ranges,
    List<String> problems,
    LabelSelector namespaceSelector,
    boolean avoidBuggyIps,
    boolean autoAssign,
    boolean allowSharing) {

  public Pool {
    ranges = List.copyOf(ranges);
    problems = List.copyOf(problems);
  }

  /** The pool of a VipPool object; unusable entries are left out and listed in problems. */
  public static Pool of(VipPool object) {
    VipPoolSpec spec = object.getSpec() == null ? new VipPoolSpec() : object.getSpec();
    List<IpRange> ranges = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> entries = spec.getAddresses() == null ? List.of() : spec.getAddresses();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      var problem = IpRange.problem(entry);
      if (problem.isPresent()) {
        problems.add("spec.addresses[" + i + "]: \"" + entry + "\" " + problem.get());
      } else {
        ranges.add(IpRange.parse(entry));
      }
    }
    if (entries.isEmpty()) {
      problems.add("spec.addresses: the pool has no addresses");
    }
    return new Pool(
        object.getMetadata().getName(),
        ranges,
        problems,
        spec.getNamespaceSelector(),
        spec.avoidsBuggyIps(),
        spec.autoAssigns(),
        spec.allowsSharing());
  }

  public boolean contains(InetAddress address) {
    for (IpRange r : ranges) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the namespace with {@code namespaceLabels} may use this pool. */
  public boolean admits(Map<String, String> namespaceLabels) {
    return namespaceSelector == null || LabelSelectors.matches(namespaceSelector, namespaceLabels);
  }
}
