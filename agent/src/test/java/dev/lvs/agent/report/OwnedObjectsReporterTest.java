package dev.lvs.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnedSysctl;
import dev.lvs.agent.state.Ownership;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The count an agent publishes on its Node: every kernel object it owns, and 0 for none. */
class OwnedObjectsReporterTest {
  private static final InetAddress VIP = Ips.literal("172.16.58.1");

  @Test
  void countsServicesDestinationsAddressesAndSysctls() {
    Ownership o = Ownership.empty();
    assertThat(OwnedObjectsReporter.count(o)).isZero();
    ServiceKey key = new ServiceKey(ServiceKey.AF_INET, ServiceKey.IPPROTO_TCP, VIP, 80, 0);
    o.addService(key);
    o.addDestination(key, new DestinationKey(Ips.literal("10.0.0.7"), 80));
    o.addDestination(key, new DestinationKey(Ips.literal("10.0.0.8"), 80));
    o.addAddress(new OwnedAddress(2, "eth0", VIP, 32, "eth0:lvs"));
    o.putSysctl("net/ipv4/conf/all/arp_ignore", new OwnedSysctl("0", "1"));
    assertThat(OwnedObjectsReporter.count(o)).isEqualTo(5);
    o.removeService(key);
    o.removeAddress(new OwnedAddress(2, "eth0", VIP, 32, "eth0:lvs").key());
    o.removeSysctl("net/ipv4/conf/all/arp_ignore");
    assertThat(o.isEmpty()).isTrue();
    assertThat(OwnedObjectsReporter.count(o)).isZero();
  }
}
