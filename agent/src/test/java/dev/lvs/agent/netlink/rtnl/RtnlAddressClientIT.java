package dev.lvs.agent.netlink.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetnsSandbox;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rtnetlink against the real kernel, in the throw-away network namespace of netns-java. */
class RtnlAddressClientIT {
  private RtnlAddressClient client;
  private Link lo;

  @BeforeEach
  void open() throws Exception {
    NetnsSandbox.assumeSandbox();
    client = RtnlAddressClient.open();
    lo = client.link("lo").orElseThrow();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void listsLinksAndLooksThemUp() throws Exception {
    List<Link> links = client.links();
    assertThat(links).extracting(Link::name).contains("lo");
    assertThat(lo.isLoopback()).isTrue();
    assertThat(lo.isUp()).isTrue();
    assertThat(lo.mtu()).isPositive();
    assertThat(client.link(lo.index())).contains(lo);
    assertThat(client.link("nosuchlink0")).isEmpty();
    assertThat(client.link(999_999)).isEmpty();
  }

  @Test
  void addsListsAndDeletesAnIpv4VipWithItsLabel() throws Exception {
    IfAddress vip = IfAddress.host(lo.index(), InetAddress.getByName("172.16.58.1"), "lo:lvs");
    client.addAddress(vip);
    try {
      assertThat(client.addresses()).contains(vip);
      assertThat(client.addresses())
          .anySatisfy(a -> assertThat(a.address().getHostAddress()).isEqualTo("127.0.0.1"));

      assertThatThrownBy(() -> client.addAddress(vip))
          .isInstanceOfSatisfying(
              NetlinkException.class,
              e -> {
                assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST);
                assertThat(e.isExists()).isTrue();
                assertThat(e.operation()).contains("RTM_NEWADDR 172.16.58.1/32");
              });
    } finally {
      client.deleteAddress(vip);
    }
    assertThat(client.addresses()).doesNotContain(vip);
    assertThatThrownBy(() -> client.deleteAddress(vip))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EADDRNOTAVAIL);
              assertThat(e.isNotFound()).isTrue();
            });
  }

  @Test
  void deleteWithAnotherLabelLeavesTheAddress() throws Exception {
    IfAddress vip = IfAddress.host(lo.index(), InetAddress.getByName("172.16.58.2"), "lo:lvs");
    client.addAddress(vip);
    try {
      IfAddress other = IfAddress.host(lo.index(), vip.address(), "lo:other");
      assertThatThrownBy(() -> client.deleteAddress(other))
          .isInstanceOfSatisfying(
              NetlinkException.class,
              e -> assertThat(e.errno()).isEqualTo(NetlinkException.EADDRNOTAVAIL));
      assertThat(client.addresses()).contains(vip);
    } finally {
      client.deleteAddress(vip);
    }
  }

  @Test
  void addsAndDeletesAnIpv6Vip() throws Exception {
    IfAddress vip = IfAddress.host(lo.index(), InetAddress.getByName("2001:db8:58::1"), null);
    client.addAddress(vip);
    try {
      assertThat(client.addresses()).contains(vip);
      assertThatThrownBy(() -> client.addAddress(vip))
          .isInstanceOfSatisfying(
              NetlinkException.class,
              e -> assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST));
    } finally {
      client.deleteAddress(vip);
    }
    assertThat(client.addresses()).doesNotContain(vip);
    assertThatThrownBy(() -> client.deleteAddress(vip))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> assertThat(e.errno()).isEqualTo(NetlinkException.EADDRNOTAVAIL));
  }

  @Test
  void manyAddressesListAcrossSeveralDatagrams() throws Exception {
    int n = 300;
    for (int i = 0; i < n; i++) {
      client.addAddress(
          IfAddress.host(
              lo.index(), InetAddress.getByName("10.77." + (i / 200) + "." + (i % 200 + 1)), null));
    }
    try {
      assertThat(client.addresses())
          .filteredOn(a -> a.address().getHostAddress().startsWith("10.77."))
          .hasSize(n);
    } finally {
      for (int i = 0; i < n; i++) {
        client.deleteAddress(
            IfAddress.host(
                lo.index(),
                InetAddress.getByName("10.77." + (i / 200) + "." + (i % 200 + 1)),
                null));
      }
    }
  }

  @Test
  void addressOnAMissingLinkIsENODEV() throws Exception {
    IfAddress bad = IfAddress.host(999_999, InetAddress.getByName("172.16.58.3"), null);
    assertThatThrownBy(() -> client.addAddress(bad))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(NetlinkException.ENODEV));
  }
}
