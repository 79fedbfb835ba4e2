package dev.lvs.agent.sync;

import dev.lvs.agent.pools.PoolEnforcement;
import dev.lvs.agent.pools.VipGate;
import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.state.HostInterfaces;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.Ownership;
import java.net.InetAddress;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The VIP gate of one sync: the snapshot's pools, and this host's addresses but its own VIPs. */
final class VipGates {
  private VipGates() {}

  static VipGate of(
      PoolEnforcement enforcement, Snapshot snapshot, HostInterfaces interfaces, Ownership owned) {
    // Ours: what we own, and what an interrupted apply of ours was adding (its intents, which
    // this sync adopts when the kernel matches).
    Set<InetAddress> own =
        Stream.concat(
                owned.addresses().values().stream(), owned.intents().addresses().values().stream())
            .map(OwnedAddress::address)
            .collect(Collectors.toSet());
    return VipGate.of(
        enforcement, snapshot.vipPools(), snapshot.namespaces(), snapshot.nodes(), interfaces, own);
  }
}
