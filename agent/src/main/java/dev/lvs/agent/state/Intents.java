package dev.lvs.agent.state;

import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The write-ahead part of the ownership record: the kernel objects the agent is about to create,
 * each exactly as it will ask for it. They are written to {@code owned.json} (fsynced) before the
 * first of them is created, so that a process killed mid-apply can, on restart, adopt what it made
 * instead of finding it "held by something else" for good. An intent is never ownership by itself:
 * it becomes ownership when the kernel holds exactly the intended object, and it is dropped once
 * the outcome of its creation is known. Not thread-safe.
 */
public final class Intents {
  private final Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, IpvsDestination>> destinations =
      new LinkedHashMap<>();
  private final Map<OwnedAddress.Key, OwnedAddress> addresses = new LinkedHashMap<>();
  private final Map<String, OwnedSysctl> sysctls = new LinkedHashMap<>();

  public Intents copy() {
    Intents c = new Intents();
    c.clearAndAddAll(this);
    return c;
  }

  /** Makes this a copy of {@code other}. */
  void clearAndAddAll(Intents other) {
    clear();
    addAll(other);
  }

  /** Adds every intent of {@code other}. */
  public void addAll(Intents other) {
    services.putAll(other.services);
    other.destinations.forEach(
        (k, v) -> destinations.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(v));
    addresses.putAll(other.addresses);
    sysctls.putAll(other.sysctls);
  }

  public boolean isEmpty() {
    return services.isEmpty() && destinations.isEmpty() && addresses.isEmpty() && sysctls.isEmpty();
  }

  public int size() {
    return services.size()
        + destinations.values().stream().mapToInt(Map::size).sum()
        + addresses.size()
        + sysctls.size();
  }

  public void clear() {
    services.clear();
    destinations.clear();
    addresses.clear();
    sysctls.clear();
  }

  public Map<ServiceKey, IpvsService> services() {
    return Collections.unmodifiableMap(services);
  }

  /** The services with intended destinations (the service itself may or may not be intended). */
  public Map<ServiceKey, Map<DestinationKey, IpvsDestination>> destinations() {
    return Collections.unmodifiableMap(destinations);
  }

  public Map<OwnedAddress.Key, OwnedAddress> addresses() {
    return Collections.unmodifiableMap(addresses);
  }

  /** Intended sysctl writes: the value before the write (the original) and the value written. */
  public Map<String, OwnedSysctl> sysctls() {
    return Collections.unmodifiableMap(sysctls);
  }

  public void service(IpvsService service) {
    services.put(service.key(), service);
  }

  public void destination(ServiceKey service, IpvsDestination destination) {
    destinations
        .computeIfAbsent(service, k -> new LinkedHashMap<>())
        .put(destination.key(), destination);
  }

  public void address(OwnedAddress address) {
    addresses.put(address.key(), address);
  }

  public void sysctl(String path, OwnedSysctl value) {
    sysctls.put(path, value);
  }

  public boolean hasService(ServiceKey key) {
    return services.containsKey(key);
  }

  public boolean hasDestination(ServiceKey service, DestinationKey destination) {
    return destinations.getOrDefault(service, Map.of()).containsKey(destination);
  }

  public boolean hasAddress(OwnedAddress.Key key) {
    return addresses.containsKey(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intents other
        && services.equals(other.services)
        && destinations.equals(other.destinations)
        && addresses.equals(other.addresses)
        && sysctls.equals(other.sysctls);
  }

  @Override
  public int hashCode() {
    return Objects.hash(services, destinations, addresses, sysctls);
  }

  @Override
  public String toString() {
    return "Intents{services="
        + services.keySet()
        + ", destinations="
        + destinations
        + ", addresses="
        + addresses.values()
        + ", sysctls="
        + sysctls
        + "}";
  }
}
