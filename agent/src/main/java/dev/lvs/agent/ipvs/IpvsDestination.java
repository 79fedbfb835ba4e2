package dev.lvs.agent.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The configuration of one IPVS destination (real server) of a service: what a differ compares.
 * {@code address} and {@code port} are its identity within the service; weight is a u32 on the wire
 * (values above 65535 are legal for the kernel, though the API caps them).
 */
public record IpvsDestination(
    InetAddress address,
    int port,
    ForwardMethod forward,
    int weight,
    int upperThreshold,
    int lowerThreshold) {
  public IpvsDestination {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(forward, "forward");
    if (weight < 0) {
      throw new IllegalArgumentException("weight must not be negative: " + weight);
    }
  }

  /** The destination's identity within its service. */
  public DestinationKey key() {
    return new DestinationKey(address, port);
  }

  public record DestinationKey(InetAddress address, int port) {}
}
