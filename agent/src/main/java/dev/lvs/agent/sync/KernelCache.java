package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.Ownership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's view of the kernel between full reads: what the last full {@link KernelReader} read
 * found, plus every step applied since. A sync triggered by a change diffs against it instead of
 * listing the kernel again (one IPVS service dump, one destination dump per owned service, an
 * address dump and the sysctls), so at 10,000 services a change costs its own netlink requests
 * only, not 10,002 dumps.
 *
 * <p>It is right only while nothing but the agent changes what the agent manages, so {@link Syncer}
 * re-reads the kernel on every periodic resync (repairing drift such as {@code ipvsadm -C}) and
 * drops the cache after a failed step or any error. It cannot answer, and the sync reads the
 * kernel, when the sync needs what the last read skipped (the IPVS table, a sysctl). Not
 * thread-safe: used by the sync thread under the kernel lock.
 */
final class KernelCache {
  private final boolean ipvsListed;
  private final Map<ServiceKey, IpvsService> services;
  private final Map<ServiceKey, Map<DestinationKey, IpvsDestination>> destinations;
  private List<Link> links;
  private final Map<OwnedAddress.Key, IfAddress> addresses = new LinkedHashMap<>();
  private final Map<String, Optional<String>> sysctls;

  private KernelCache(ActualState read, boolean ipvsListed) {
    this.ipvsListed = ipvsListed;
    this.services = new LinkedHashMap<>(read.services());
    this.destinations = new LinkedHashMap<>();
    read.destinations().forEach((k, v) -> destinations.put(k, new LinkedHashMap<>(v)));
    this.links = read.links();
    for (IfAddress a : read.addresses()) {
      addresses.put(key(a), a);
    }
    this.sysctls = new LinkedHashMap<>(read.sysctls());
  }

  /**
   * The cache of a full read. {@code ipvsListed}: whether the read listed the IPVS table ({@link
   * KernelReader#needsIpvs}); if not, the cache knows nothing of it.
   */
  static KernelCache of(ActualState read, boolean ipvsListed) {
    return new KernelCache(read, ipvsListed);
  }

  /** The links and addresses, as {@link KernelReader#interfaces()} would read them. */
  KernelReader.Interfaces interfaces() {
    return new KernelReader.Interfaces(links, new ArrayList<>(addresses.values()));
  }

  /** Takes links and addresses as just read (after an address notification). */
  void replaceInterfaces(KernelReader.Interfaces read) {
    links = read.links();
    addresses.clear();
    for (IfAddress a : read.addresses()) {
      addresses.put(key(a), a);
    }
  }

  /** Takes sysctl values as just read (after the sysctl check saw a change). */
  void replaceSysctls(Map<String, Optional<String>> read) {
    sysctls.putAll(read);
  }

  /** The sysctl values the cache knows. */
  Map<String, Optional<String>> sysctls() {
    return Map.copyOf(sysctls);
  }

  /**
   * What {@link KernelReader#read} would return for {@code desired} and {@code owned}, or empty
   * when the cache does not hold all of it (then the kernel must be read).
   */
  Optional<ActualState> actual(DesiredState desired, Ownership owned) {
    boolean needsIpvs = KernelReader.needsIpvs(desired, owned);
    if (needsIpvs && !ipvsListed) {
      return Optional.empty();
    }
    Map<ServiceKey, Map<DestinationKey, IpvsDestination>> dests = new LinkedHashMap<>();
    if (needsIpvs) {
      for (ServiceKey key : owned.services()) {
        if (!services.containsKey(key)) {
          continue;
        }
        Map<DestinationKey, IpvsDestination> d = destinations.get(key);
        if (d == null) {
          return Optional.empty(); // owned, but its destinations were never listed
        }
        dests.put(key, d);
      }
    }
    Map<String, Optional<String>> values = new LinkedHashMap<>();
    for (String path : desired.sysctls().keySet()) {
      if (!copySysctl(path, values)) {
        return Optional.empty();
      }
    }
    for (String path : owned.sysctls().keySet()) {
      if (!copySysctl(path, values)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new ActualState(
            needsIpvs ? services : Map.of(),
            dests,
            links,
            new ArrayList<>(addresses.values()),
            values));
  }

  private boolean copySysctl(String path, Map<String, Optional<String>> into) {
    Optional<String> v = sysctls.get(path);
    if (v == null) {
      return false;
    }
    into.put(path, v);
    return true;
  }

  /** Records a step the kernel accepted. */
  void record(Step step) {
    if (step instanceof Step.AddService s) {
      services.put(s.service().key(), s.service());
      destinations.put(s.service().key(), new LinkedHashMap<>());
    } else if (step instanceof Step.UpdateService s) {
      services.put(s.to().key(), s.to());
    } else if (step instanceof Step.DeleteService s) {
      services.remove(s.key());
      destinations.remove(s.key());
    } else if (step instanceof Step.AddDestination s) {
      destinationsOf(s.service()).put(s.destination().key(), s.destination());
    } else if (step instanceof Step.UpdateDestination s) {
      destinationsOf(s.service()).put(s.to().key(), s.to());
    } else if (step instanceof Step.DeleteDestination s) {
      destinationsOf(s.service()).remove(s.destination());
    } else if (step instanceof Step.AddAddress s) {
      addresses.put(key(s.address()), s.address());
    } else if (step instanceof Step.DeleteAddress s) {
      addresses.remove(key(s.address()));
    } else if (step instanceof Step.SetSysctl s) {
      sysctls.put(s.path(), Optional.of(s.value()));
    } else if (step instanceof Step.RestoreSysctl s) {
      // The applier may have left a value someone else set: unknown, read it when needed.
      sysctls.remove(s.path());
    } else {
      throw new IllegalStateException("unknown step " + step);
    }
  }

  /** A service's listed destinations; a throw-away map when they were never listed. */
  private Map<DestinationKey, IpvsDestination> destinationsOf(ServiceKey key) {
    Map<DestinationKey, IpvsDestination> d = destinations.get(key);
    return d == null ? new LinkedHashMap<>() : d;
  }

  private static OwnedAddress.Key key(IfAddress a) {
    return new OwnedAddress.Key(a.linkIndex(), a.address());
  }
}
