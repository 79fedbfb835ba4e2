package dev.lvs.agent.state;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** A kernel parameter value the node wants, and why. */
public record DesiredSysctl(String path, String value, Set<ObjectRef> wantedBy, String why) {
  public DesiredSysctl {
    wantedBy = Collections.unmodifiableSet(new TreeSet<>(wantedBy));
  }

  /** Whether the kernel's {@code current} value needs no change (see {@link ArpSysctls}). */
  public boolean satisfiedBy(String current) {
    return ArpSysctls.satisfies(path, value, current);
  }
}
