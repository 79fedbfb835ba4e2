package dev.lvs.agent.state;

import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.ServiceKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent created in the kernel and may therefore change or remove: IPVS services, the
 * destinations it added to them, addresses, and sysctls it changed. Anything else is never touched.
 * Not thread-safe: the sync loop works on a copy and hands it to {@link OwnershipStore}.
 */
public final class Ownership {
  private final Map<ServiceKey, Set<DestinationKey>> services = new LinkedHashMap<>();
  private final Map<OwnedAddress.Key, OwnedAddress> addresses = new LinkedHashMap<>();
  private final Map<String, OwnedSysctl> sysctls = new LinkedHashMap<>();
  private final Intents intents = new Intents();

  public static Ownership empty() {
    return new Ownership();
  }

  public Ownership copy() {
    Ownership c = new Ownership();
    services.forEach((k, v) -> c.services.put(k, new LinkedHashSet<>(v)));
    c.addresses.putAll(addresses);
    c.sysctls.putAll(sysctls);
    c.intents.clearAndAddAll(intents);
    return c;
  }

  /** Nothing owned and nothing intended. */
  public boolean isEmpty() {
    return services.isEmpty() && addresses.isEmpty() && sysctls.isEmpty() && intents.isEmpty();
  }

  /**
   * What is about to be created (write-ahead), or what an interrupted apply may have created: see
   * {@link Intents}. Changed in place.
   */
  public Intents intents() {
    return intents;
  }

  /**
   * Drops every record of a kernel object: after a reboot, none of them exists any more, and an
   * object with the same key was made by someone else.
   */
  public void clear() {
    services.clear();
    addresses.clear();
    sysctls.clear();
    intents.clear();
  }

  // IPVS services and their destinations.

  public Set<ServiceKey> services() {
    return Collections.unmodifiableSet(services.keySet());
  }

  public boolean ownsService(ServiceKey key) {
    return services.containsKey(key);
  }

  /** The destinations the agent added to an owned service (empty when none or not owned). */
  public Set<DestinationKey> destinations(ServiceKey key) {
    return Collections.unmodifiableSet(services.getOrDefault(key, Set.of()));
  }

  public void addService(ServiceKey key) {
    services.putIfAbsent(key, new LinkedHashSet<>());
  }

  /** Forgets a service and every destination in it. */
  public void removeService(ServiceKey key) {
    services.remove(key);
  }

  public void addDestination(ServiceKey service, DestinationKey destination) {
    services.computeIfAbsent(service, k -> new LinkedHashSet<>()).add(destination);
  }

  public void removeDestination(ServiceKey service, DestinationKey destination) {
    Set<DestinationKey> d = services.get(service);
    if (d != null) {
      d.remove(destination);
    }
  }

  // Addresses.

  public Map<OwnedAddress.Key, OwnedAddress> addresses() {
    return Collections.unmodifiableMap(addresses);
  }

  public Optional<OwnedAddress> address(OwnedAddress.Key key) {
    return Optional.ofNullable(addresses.get(key));
  }

  public void addAddress(OwnedAddress address) {
    addresses.put(address.key(), address);
  }

  public void removeAddress(OwnedAddress.Key key) {
    addresses.remove(key);
  }

  // Sysctls.

  public Map<String, OwnedSysctl> sysctls() {
    return Collections.unmodifiableMap(sysctls);
  }

  public Optional<OwnedSysctl> sysctl(String path) {
    return Optional.ofNullable(sysctls.get(path));
  }

  public void putSysctl(String path, OwnedSysctl value) {
    sysctls.put(path, value);
  }

  public void removeSysctl(String path) {
    sysctls.remove(path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ownership other
        && services.equals(other.services)
        && addresses.equals(other.addresses)
        && sysctls.equals(other.sysctls)
        && intents.equals(other.intents);
  }

  @Override
  public int hashCode() {
    return Objects.hash(services, addresses, sysctls, intents);
  }

  @Override
  public String toString() {
    return "Ownership{services="
        + services
        + ", addresses="
        + addresses.values()
        + ", sysctls="
        + sysctls
        + (intents.isEmpty() ? "" : ", intents=" + intents)
        + "}";
  }
}
