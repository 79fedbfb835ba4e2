package dev.lvs.operator.api.pools;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Addresses that belong to hosts (a Node's InternalIP and ExternalIP, an address on a director's
 * interface), each with a description of its holder, such as {@code node rs2 (InternalIP)}.
 */
public final class HostAddresses {
  public static final HostAddresses NONE = new HostAddresses(Map.of());

  private final Map<InetAddress, String> holders;

  private HostAddresses(Map<InetAddress, String> holders) {
    this.holders = holders;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> holderOf(InetAddress address) {
    return Optional.ofNullable(holders.get(address));
  }

  public Map<InetAddress, String> all() {
    return Collections.unmodifiableMap(holders);
  }

  public static final class Builder {
    private final Map<InetAddress, String> holders = new LinkedHashMap<>();

    /** Records {@code address} as held by {@code holder}; the first holder named is kept. */
    public Builder add(InetAddress address, String holder) {
      holders.putIfAbsent(address, holder);
      return this;
    }

    public HostAddresses build() {
      return new HostAddresses(Map.copyOf(holders));
    }
  }
}
