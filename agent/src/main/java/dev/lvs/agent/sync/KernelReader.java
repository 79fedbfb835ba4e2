package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.DesiredState;
import dev.lvs.agent.state.Ownership;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the agent needs from the kernel: links and addresses always; the IPVS table only when
 * the node wants or owns IPVS services (so real servers never need the ip_vs module); destinations
 * only of owned (or intended) services; the sysctls desired, owned or intended. An owned service
 * missing from the dump is asked for by key before it is taken as gone.
 */
public final class KernelReader {
  private static final Logger log = LoggerFactory.getLogger(KernelReader.class);

  private final IpvsClient ipvs;
  private final AddressClient addresses;
  private final dev.lvs.agent.sysctl.Sysctls sysctls;

  private final IpvsReadListener listener;

  /** Told of each read of the IPVS table, with its counters (for /metrics). */
  public interface IpvsReadListener {
    /**
     * @param services every service of the dump
     * @param destinations the destinations of the owned services that were listed
     */
    void kernelRead(
        List<ServiceEntry> services, Map<ServiceKey, List<DestinationEntry>> destinations);
  }

  public KernelReader(
      IpvsClient ipvs, AddressClient addresses, dev.lvs.agent.sysctl.Sysctls sysctls) {
    this(ipvs, addresses, sysctls, (s, d) -> {});
  }

  public KernelReader(
      IpvsClient ipvs,
      AddressClient addresses,
      dev.lvs.agent.sysctl.Sysctls sysctls,
      IpvsReadListener listener) {
    this.ipvs = ipvs;
    this.addresses = addresses;
    this.sysctls = sysctls;
    this.listener = listener;
  }

  /** Links and addresses: read first, as the desired state depends on them. */
  public Interfaces interfaces() throws IOException {
    return new Interfaces(addresses.links(), addresses.addresses());
  }

  public ActualState read(Interfaces interfaces, DesiredState desired, Ownership owned)
      throws IOException {
    Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
    Map<ServiceKey, Map<DestinationKey, IpvsDestination>> destinations = new LinkedHashMap<>();
    if (needsIpvs(desired, owned)) {
      List<ServiceEntry> entries = new ArrayList<>(ipvs.listServices());
      Map<ServiceKey, List<DestinationEntry>> destEntries = new LinkedHashMap<>();
      for (ServiceEntry e : entries) {
        services.put(e.service().key(), e.service());
      }
      confirmAbsence(owned, services);
      Set<ServiceKey> toList = new java.util.LinkedHashSet<>(owned.services());
      toList.addAll(owned.intents().services().keySet()); // to adopt ({@link Adoption})
      toList.addAll(owned.intents().destinations().keySet());
      for (ServiceKey key : toList) {
        if (!services.containsKey(key)) {
          continue;
        }
        Map<DestinationKey, IpvsDestination> dests = new LinkedHashMap<>();
        List<DestinationEntry> listed = ipvs.listDestinations(key);
        for (DestinationEntry d : listed) {
          dests.put(d.destination().key(), d.destination());
        }
        destinations.put(key, dests);
        destEntries.put(key, listed);
      }
      listener.kernelRead(entries, destEntries);
    }
    Set<String> paths = new TreeSet<>(desired.sysctls().keySet());
    paths.addAll(owned.sysctls().keySet());
    paths.addAll(owned.intents().sysctls().keySet());
    Map<String, Optional<String>> values = new LinkedHashMap<>();
    for (String path : paths) {
      values.put(path, sysctls.read(path));
    }
    return new ActualState(
        services, destinations, interfaces.links(), interfaces.addresses(), values);
  }

  /**
   * A service dump is not a snapshot: the kernel resumes it by index after dropping its mutex and
   * never flags it NLM_F_DUMP_INTR, so another IPVS user deleting a service meanwhile can make it
   * skip one of ours. Before the planner forgets or re-creates an owned service missing from the
   * dump, ask for it by key.
   */
  private void confirmAbsence(Ownership owned, Map<ServiceKey, IpvsService> services)
      throws IOException {
    for (ServiceKey key : owned.services()) {
      if (services.containsKey(key)) {
        continue;
      }
      Optional<IpvsService> got = ipvs.getService(key);
      if (got.isPresent()) {
        log.info("ipvs: owned service {} was missing from the dump but is there", key);
        services.put(key, got.get());
      }
    }
  }

  /** The current values of {@code paths}. */
  public Map<String, Optional<String>> sysctls(java.util.Collection<String> paths)
      throws IOException {
    Map<String, Optional<String>> values = new LinkedHashMap<>();
    for (String path : paths) {
      values.put(path, sysctls.read(path));
    }
    return values;
  }

  /** Whether the IPVS table is read: only when the node wants or owns IPVS services. */
  static boolean needsIpvs(DesiredState desired, Ownership owned) {
    return !desired.services().isEmpty()
        || !owned.services().isEmpty()
        || !owned.intents().services().isEmpty()
        || !owned.intents().destinations().isEmpty();
  }

  /** The links and addresses of the node. */
  public record Interfaces(List<Link> links, List<IfAddress> addresses) {}
}
