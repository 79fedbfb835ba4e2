package dev.lvs.agent.fake;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsInfo;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsStats;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.ipvs.SyncDaemon;
import dev.lvs.agent.netlink.NetlinkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** An in-memory IPVS table with the kernel's errno behaviour, and a log of mutating calls. */
public final class FakeIpvsClient implements IpvsClient {
  private final Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, IpvsDestination>> destinations =
      new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private Predicate<String> failing = c -> false;
  private IpvsTimeouts timeouts = new IpvsTimeouts(900, 120, 300);
  private final Set<ServiceKey> omitOnce = new HashSet<>();
  private final Map<SyncDaemon.State, SyncDaemon> daemons =
      new java.util.EnumMap<>(SyncDaemon.State.class);

  /** Mutating calls, e.g. {@code addDestination TCP 10.0.0.1:80 10.0.0.7}. */
  public List<String> calls() {
    return calls;
  }

  /** Makes mutating calls whose description matches fail with EINVAL. */
  public void failWhen(Predicate<String> callMatches) {
    this.failing = callMatches;
  }

  /**
   * Leaves {@code key} out of the next service dump only, as a real dump may when another IPVS user
   * deletes a service while it runs (the kernel resumes dumps by index).
   */
  public void omitFromNextDump(ServiceKey key) {
    omitOnce.add(key);
  }

  /** {@code ipvsadm -C}. */
  public void flush() {
    services.clear();
    destinations.clear();
  }

  public Map<ServiceKey, IpvsService> services() {
    return services;
  }

  public Map<DestinationKey, IpvsDestination> destinations(ServiceKey key) {
    return destinations.getOrDefault(key, Map.of());
  }

  private void call(String c) throws NetlinkException {
    calls.add(c);
    if (failing.test(c)) {
      throw new NetlinkException(c, NetlinkException.EINVAL, "injected");
    }
  }

  @Override
  public IpvsInfo info() {
    return new IpvsInfo(0x010201, 4096);
  }

  @Override
  public List<ServiceEntry> listServices() {
    List<ServiceEntry> out =
        services.values().stream()
            .filter(s -> !omitOnce.contains(s.key()))
            .map(s -> new ServiceEntry(s, IpvsStats.ZERO))
            .toList();
    omitOnce.clear();
    return out;
  }

  @Override
  public Optional<IpvsService> getService(ServiceKey key) {
    return Optional.ofNullable(services.get(key));
  }

  @Override
  public void addService(IpvsService service) throws IOException {
    call("addService " + service.key());
    if (services.containsKey(service.key())) {
      throw new NetlinkException("NEW_SERVICE", NetlinkException.EEXIST, null);
    }
    services.put(service.key(), service);
    destinations.put(service.key(), new LinkedHashMap<>());
  }

  @Override
  public void updateService(IpvsService service) throws IOException {
    call("updateService " + service.key());
    if (!services.containsKey(service.key())) {
      throw new NetlinkException("SET_SERVICE", NetlinkException.ESRCH, null);
    }
    services.put(service.key(), service);
  }

  @Override
  public void deleteService(ServiceKey key) throws IOException {
    call("deleteService " + key);
    if (services.remove(key) == null) {
      throw new NetlinkException("DEL_SERVICE", NetlinkException.ESRCH, null);
    }
    destinations.remove(key);
  }

  @Override
  public List<DestinationEntry> listDestinations(ServiceKey service) throws IOException {
    if (!services.containsKey(service)) {
      throw new NetlinkException("GET_DEST", NetlinkException.ESRCH, null);
    }
    return destinations.get(service).values().stream()
        .map(
            d -> new DestinationEntry(d, 3, 1, 0, new IpvsStats(10, 20, 0, 3000, 0, 0, 0, 0, 0, 0)))
        .toList();
  }

  @Override
  public void addDestination(ServiceKey service, IpvsDestination d) throws IOException {
    call("addDestination " + service + " " + d.address().getHostAddress());
    Map<DestinationKey, IpvsDestination> m = destinations.get(service);
    if (m == null) {
      throw new NetlinkException("NEW_DEST", NetlinkException.ESRCH, null);
    }
    if (m.containsKey(d.key())) {
      throw new NetlinkException("NEW_DEST", NetlinkException.EEXIST, null);
    }
    m.put(d.key(), d);
  }

  @Override
  public void updateDestination(ServiceKey service, IpvsDestination d) throws IOException {
    call("updateDestination " + service + " " + d.address().getHostAddress());
    Map<DestinationKey, IpvsDestination> m = destinations.get(service);
    if (m == null || !m.containsKey(d.key())) {
      throw new NetlinkException("SET_DEST", NetlinkException.ENOENT, null);
    }
    m.put(d.key(), d);
  }

  @Override
  public void deleteDestination(ServiceKey service, DestinationKey d) throws IOException {
    call("deleteDestination " + service + " " + d.address().getHostAddress());
    Map<DestinationKey, IpvsDestination> m = destinations.get(service);
    if (m == null || m.remove(d) == null) {
      throw new NetlinkException("DEL_DEST", NetlinkException.ENOENT, null);
    }
  }

  @Override
  public IpvsTimeouts timeouts() {
    return timeouts;
  }

  @Override
  public void setTimeouts(IpvsTimeouts t) {
    timeouts = t;
  }

  @Override
  public List<SyncDaemon> daemons() {
    return new ArrayList<>(daemons.values());
  }

  /**
   * Like the kernel: EEXIST when that state runs; the defaults filled in as start_sync_thread does.
   */
  @Override
  public void startDaemon(SyncDaemon d) throws IOException {
    String c = "startDaemon " + d.describe();
    call(c);
    if (daemons.containsKey(d.state())) {
      throw new NetlinkException(c, NetlinkException.EEXIST, "fake");
    }
    daemons.put(
        d.state(),
        new SyncDaemon(
            d.state(),
            d.interfaceName(),
            d.syncId(),
            d.group() != null
                ? d.group()
                : java.net.InetAddress.getByName(SyncDaemon.DEFAULT_GROUP),
            d.port() != 0 ? d.port() : SyncDaemon.DEFAULT_PORT,
            d.ttl() != 0 ? d.ttl() : 1,
            d.maxLen() != 0 ? d.maxLen() : 1500 - 28));
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) throws IOException {
    String c = "stopDaemon " + state;
    call(c);
    if (daemons.remove(state) == null) {
      throw new NetlinkException(c, NetlinkException.ESRCH, "fake");
    }
  }

  @Override
  public void close() {}
}
