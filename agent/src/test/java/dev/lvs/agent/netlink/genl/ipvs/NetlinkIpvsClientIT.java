package dev.lvs.agent.netlink.genl.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsInfo;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsStats;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetnsSandbox;
import dev.lvs.agent.netlink.rtnl.RtnlAddressClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IPVS through generic netlink against a real kernel with ip_vs: only in the qemu guest
 * (src/test/sh/run-ipvs-tests). Each test removes what it created.
 */
@Tag("ipvs")
class NetlinkIpvsClientIT {
  private static final int TCP = ServiceKey.IPPROTO_TCP;
  private static final int UDP = ServiceKey.IPPROTO_UDP;

  private NetlinkIpvsClient ipvs;
  private final List<ServiceKey> created = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    NetnsSandbox.assumeSandbox();
    ipvs = NetlinkIpvsClient.open();
  }

  @AfterEach
  void cleanUp() {
    if (ipvs == null) {
      return;
    }
    for (ServiceKey key : created) {
      try {
        ipvs.deleteService(key);
      } catch (IOException e) {
        // already gone
      }
    }
    ipvs.close();
  }

  private static InetAddress ip(String s) throws IOException {
    return InetAddress.getByName(s);
  }

  private IpvsService add(IpvsService s) throws IOException {
    ipvs.addService(s);
    created.add(s.key());
    return s;
  }

  private Optional<ServiceEntry> listed(ServiceKey key) throws IOException {
    return ipvs.listServices().stream().filter(e -> e.service().key().equals(key)).findFirst();
  }

  private static ThrowingConsumer<Throwable> errno(int errno, String operationPart) {
    return t -> {
      assertThat(t).isInstanceOf(NetlinkException.class);
      NetlinkException e = (NetlinkException) t;
      assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
      assertThat(e.operation()).contains(operationPart);
    };
  }

  @Test
  void info() throws Exception {
    IpvsInfo info = ipvs.info();
    assertThat(info.version()).isGreaterThanOrEqualTo(0x010200);
    assertThat(info.connectionTableSize()).isPositive();
    assertThat(ipvs.family().id()).isGreaterThanOrEqualTo(0x10);
  }

  @Test
  void ipv4ServiceLifecycle() throws Exception {
    ServiceKey key = ServiceKey.of(TCP, ip("172.16.58.1"), 80);
    IpvsService svc = add(new IpvsService(key, "wlc", 0, 0, 0xffffffff));
    assertThat(listed(key)).get().extracting(ServiceEntry::service).isEqualTo(svc);

    assertThatThrownBy(() -> ipvs.addService(svc))
        .satisfies(errno(NetlinkException.EEXIST, "IPVS NEW_SERVICE TCP 172.16.58.1:80"));

    IpvsService persistent = new IpvsService(key, "rr", IpvsService.F_PERSISTENT, 300, 0xffffff00);
    ipvs.updateService(persistent);
    assertThat(listed(key)).get().extracting(ServiceEntry::service).isEqualTo(persistent);

    ipvs.deleteService(key);
    assertThat(listed(key)).isEmpty();
    assertThatThrownBy(() -> ipvs.deleteService(key))
        .satisfies(errno(NetlinkException.ESRCH, "IPVS DEL_SERVICE TCP 172.16.58.1:80"));
    assertThatThrownBy(() -> ipvs.updateService(svc))
        .satisfies(errno(NetlinkException.ESRCH, "IPVS SET_SERVICE"));
  }

  @Test
  void ipv6ServiceWithPersistencePrefix() throws Exception {
    ServiceKey key = ServiceKey.of(UDP, ip("2001:db8:58::1"), 53);
    IpvsService svc = add(new IpvsService(key, "sh", IpvsService.F_PERSISTENT, 600, 64));
    assertThat(listed(key)).get().extracting(ServiceEntry::service).isEqualTo(svc);

    IpvsService changed = new IpvsService(key, "rr", IpvsService.F_ONEPACKET, 0, 128);
    ipvs.updateService(changed);
    assertThat(listed(key)).get().extracting(ServiceEntry::service).isEqualTo(changed);
  }

  @Test
  void destinationsBothFamiliesAndWeightAboveU16() throws Exception {
    ServiceKey v4 = ServiceKey.of(TCP, ip("172.16.58.1"), 80);
    add(new IpvsService(v4, "wrr", 0, 0, 0xffffffff));
    IpvsDestination d1 =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 70000, 0, 0);
    IpvsDestination d2 =
        new IpvsDestination(ip("172.16.58.8"), 80, ForwardMethod.TUNNEL, 1, 1000, 10);
    ipvs.addDestination(v4, d1);
    ipvs.addDestination(v4, d2);
    assertThat(ipvs.listDestinations(v4))
        .extracting(DestinationEntry::destination)
        .containsExactlyInAnyOrder(d1, d2);

    assertThatThrownBy(() -> ipvs.addDestination(v4, d1))
        .satisfies(
            errno(NetlinkException.EEXIST, "IPVS NEW_DEST TCP 172.16.58.1:80 -> 172.16.58.7:80"));

    IpvsDestination drained =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 0, 5, 2);
    ipvs.updateDestination(v4, drained);
    assertThat(ipvs.listDestinations(v4))
        .extracting(DestinationEntry::destination)
        .containsExactlyInAnyOrder(drained, d2);

    ipvs.deleteDestination(v4, d1.key());
    assertThat(ipvs.listDestinations(v4))
        .extracting(DestinationEntry::destination)
        .containsOnly(d2);
    assertThatThrownBy(() -> ipvs.deleteDestination(v4, d1.key()))
        .satisfies(
            errno(NetlinkException.ENOENT, "IPVS DEL_DEST TCP 172.16.58.1:80 -> 172.16.58.7"));
    assertThatThrownBy(() -> ipvs.updateDestination(v4, d1))
        .satisfies(errno(NetlinkException.ENOENT, "IPVS SET_DEST"));

    ServiceKey v6 = ServiceKey.of(TCP, ip("2001:db8:58::1"), 443);
    add(new IpvsService(v6, "rr", 0, 0, 128));
    IpvsDestination d6 =
        new IpvsDestination(ip("2001:db8:58::7"), 443, ForwardMethod.DIRECT_ROUTE, 100000, 0, 0);
    ipvs.addDestination(v6, d6);
    assertThat(ipvs.listDestinations(v6))
        .extracting(DestinationEntry::destination)
        .containsOnly(d6);
    ipvs.deleteDestination(v6, d6.key());
    assertThat(ipvs.listDestinations(v6)).isEmpty();
  }

  @Test
  void destinationsSurviveAServiceUpdate() throws Exception {
    ServiceKey key = ServiceKey.of(TCP, ip("172.16.58.2"), 8080);
    add(new IpvsService(key, "rr", 0, 0, 0xffffffff));
    IpvsDestination d =
        new IpvsDestination(ip("172.16.58.9"), 8080, ForwardMethod.DIRECT_ROUTE, 1, 0, 0);
    ipvs.addDestination(key, d);
    ipvs.updateService(new IpvsService(key, "wlc", 0, 0, 0xffffffff));
    assertThat(ipvs.listDestinations(key))
        .extracting(DestinationEntry::destination)
        .containsOnly(d);
  }

  @Test
  void missingServiceErrors() throws Exception {
    ServiceKey key = ServiceKey.of(TCP, ip("172.16.58.99"), 80);
    IpvsDestination d =
        new IpvsDestination(ip("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 1, 0, 0);
    assertThatThrownBy(() -> ipvs.addDestination(key, d))
        .satisfies(errno(NetlinkException.ESRCH, "IPVS NEW_DEST TCP 172.16.58.99:80"));
    assertThatThrownBy(() -> ipvs.deleteService(key))
        .satisfies(errno(NetlinkException.ESRCH, "IPVS DEL_SERVICE"));
    // The kernel answers a destination dump for a missing service with nothing.
    assertThat(ipvs.listDestinations(key)).isEmpty();
  }

  @Test
  void unknownSchedulerIsTheKernelsENOENT() throws Exception {
    ServiceKey key = ServiceKey.of(TCP, ip("172.16.58.3"), 80);
    assertThatThrownBy(() -> add(new IpvsService(key, "nosuchsched", 0, 0, 0xffffffff)))
        .satisfies(errno(NetlinkException.ENOENT, "IPVS NEW_SERVICE TCP 172.16.58.3:80"));
    assertThat(listed(key)).isEmpty();
  }

  @Test
  void fwmarkServices() throws Exception {
    ServiceKey v4 = ServiceKey.fwmark(ServiceKey.AF_INET, 0x58);
    IpvsService svc = add(new IpvsService(v4, "rr", IpvsService.F_PERSISTENT, 120, 0xffffff00));
    assertThat(listed(v4)).get().extracting(ServiceEntry::service).isEqualTo(svc);
    IpvsDestination d =
        new IpvsDestination(ip("172.16.58.7"), 0, ForwardMethod.DIRECT_ROUTE, 3, 0, 0);
    ipvs.addDestination(v4, d);
    assertThat(ipvs.listDestinations(v4)).extracting(DestinationEntry::destination).containsOnly(d);

    ServiceKey v6 = ServiceKey.fwmark(ServiceKey.AF_INET6, 0x58);
    IpvsService svc6 = add(new IpvsService(v6, "rr", 0, 0, 128));
    assertThat(listed(v6)).get().extracting(ServiceEntry::service).isEqualTo(svc6);
    assertThat(listed(v4)).isPresent();
  }

  @Test
  void timeoutsRoundTrip() throws Exception {
    IpvsTimeouts before = ipvs.timeouts();
    assertThat(before.tcp()).isPositive();
    try {
      IpvsTimeouts t = new IpvsTimeouts(901, 121, 301);
      ipvs.setTimeouts(t);
      assertThat(ipvs.timeouts()).isEqualTo(t);
    } finally {
      ipvs.setTimeouts(before);
    }
    assertThat(ipvs.timeouts()).isEqualTo(before);
  }

  @Test
  void stats64CountLocalConnections() throws Exception {
    // A service on a VIP of lo with the local node as destination: local clients go through IPVS.
    new ProcessBuilder("ip", "link", "set", "dev", "lo", "up").inheritIO().start().waitFor();
    InetAddress vip = ip("10.88.0.1");
    try (RtnlAddressClient rtnl = RtnlAddressClient.open();
        ServerSocket server = new ServerSocket()) {
      int lo = rtnl.link("lo").orElseThrow().index();
      IfAddress a = IfAddress.host(lo, vip, "lo:lvs");
      rtnl.addAddress(a);
      try {
        server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        int port = server.getLocalPort();
        ServiceKey key = ServiceKey.of(TCP, vip, port);
        add(new IpvsService(key, "rr", 0, 0, 0xffffffff));
        ipvs.addDestination(
            key, new IpvsDestination(ip("127.0.0.1"), port, ForwardMethod.LOCAL_NODE, 1, 0, 0));
        for (int i = 0; i < 3; i++) {
          try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(vip, port), 10_000);
            try (Socket s = server.accept()) {
              c.getOutputStream().write(new byte[100]);
              s.getInputStream().readNBytes(100);
            }
          }
        }
        // The kernel folds its per-CPU counters into the totals every 2 s.
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  IpvsStats st = listed(key).orElseThrow().stats();
                  assertThat(st.connections()).isGreaterThanOrEqualTo(3);
                  assertThat(st.inPackets()).isGreaterThanOrEqualTo(3);
                  assertThat(st.inBytes()).isGreaterThan(300);
                  DestinationEntry de = ipvs.listDestinations(key).get(0);
                  assertThat(de.stats().connections()).isGreaterThanOrEqualTo(3);
                });
      } finally {
        rtnl.deleteAddress(a);
      }
    }
  }
}
