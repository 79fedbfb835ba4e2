package dev.lvs.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link KindNetwork}: docker network inspect's JSON, and the checks of the VIP and the hosts. */
class KindNetworkTest {
  /** What docker network inspect kind prints for a dual-stack kind network (IDs shortened). */
  static final String INSPECT =
      """
      [
          {
              "Name": "kind",
              "Id": "6a1b",
              "Scope": "local",
              "Driver": "bridge",
              "EnableIPv6": true,
              "IPAM": {
                  "Driver": "default",
                  "Options": {},
                  "Config": [
                      {"Subnet": "fc00:f853:ccd:e793::/64", "Gateway": "fc00:f853:ccd:e793::1"},
                      {"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"}
                  ]
              },
              "Internal": false,
              "Containers": {
                  "11aa": {
                      "Name": "lvs-e2e-control-plane",
                      "EndpointID": "e1",
                      "MacAddress": "02:42:ac:12:00:03",
                      "IPv4Address": "172.18.0.3/16",
                      "IPv6Address": "fc00:f853:ccd:e793::3/64"
                  },
                  "22bb": {
                      "Name": "lvs-e2e-worker",
                      "IPv4Address": "172.18.0.2/16",
                      "IPv6Address": "fc00:f853:ccd:e793::2/64"
                  },
                  "33cc": {
                      "Name": "lvs-e2e-worker2",
                      "IPv4Address": "172.18.0.4/16",
                      "IPv6Address": ""
                  },
                  "44dd": {
                      "Name": "lvs-e2e-client",
                      "IPv4Address": "172.18.0.5/16",
                      "IPv6Address": ""
                  },
                  "55ee": {"Name": "v6-only", "IPv4Address": "", "IPv6Address": "fc00:f853:ccd:e793::9/64"}
              },
              "Options": {"com.docker.network.bridge.enable_ip_masquerade": "true"},
              "Labels": {}
          }
      ]
      """;

  private static Map<String, String> hosts() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("lvs-e2e-worker", "172.18.0.2");
    h.put("lvs-e2e-control-plane", "172.18.0.3");
    h.put("lvs-e2e-worker2", "172.18.0.4");
    h.put("lvs-e2e-client", "172.18.0.5");
    return h;
  }

  @Test
  void parsesTheIpv4SubnetsAndTheContainersAddresses() {
    KindNetwork n = KindNetwork.parse(INSPECT);
    assertThat(n.name()).isEqualTo("kind");
    assertThat(n.ipv4Subnets()).containsExactly("172.18.0.0/16");
    assertThat(n.gateways()).containsExactly("172.18.0.1");
    assertThat(n.containers())
        .containsExactly(
            Map.entry("lvs-e2e-control-plane", "172.18.0.3"),
            Map.entry("lvs-e2e-worker", "172.18.0.2"),
            Map.entry("lvs-e2e-worker2", "172.18.0.4"),
            Map.entry("lvs-e2e-client", "172.18.0.5"));
  }

  @Test
  void aFreeVipOnTheSegmentWithTheHostsWhereTheTopologySaysIsFine() {
    assertThat(KindNetwork.parse(INSPECT).problems("172.18.255.200", hosts())).isEmpty();
  }

  @Test
  void aVipOffTheSegmentTakenOrTheGatewayIsReported() {
    KindNetwork n = KindNetwork.parse(INSPECT);
    assertThat(n.problems("172.19.255.200", hosts()))
        .containsExactly("the VIP 172.19.255.200 is not in network kind's [172.18.0.0/16]");
    assertThat(n.problems("172.18.0.4", hosts()))
        .containsExactly("the VIP 172.18.0.4 is container lvs-e2e-worker2's address");
    assertThat(n.problems("172.18.0.1", hosts()))
        .containsExactly("the VIP 172.18.0.1 is network kind's gateway");
    assertThat(n.problems("fc00:f853:ccd:e793::200", hosts()))
        .containsExactly("the VIP fc00:f853:ccd:e793::200 is not an IPv4 address");
  }

  @Test
  void hostsThatMovedOrLeftAreReported() {
    Map<String, String> h = hosts();
    h.put("lvs-e2e-worker2", "172.18.0.9");
    h.put("gone", "172.18.0.10");
    assertThat(KindNetwork.parse(INSPECT).problems("172.18.255.200", h))
        .containsExactly(
            "lvs-e2e-worker2 is at 172.18.0.4 on network kind, not 172.18.0.9",
            "container gone is not on network kind");
  }

  @Test
  void aNetworkWithoutIpv4IsReported() {
    String v6 =
        INSPECT.replace("{\"Subnet\": \"172.18.0.0/16\", \"Gateway\": \"172.18.0.1\"}", "{}");
    assertThat(KindNetwork.parse(v6).problems("172.18.255.200", Map.of()))
        .containsExactly("Docker network kind has no IPv4 subnet");
  }

  @Test
  void subnetMembership() {
    assertThat(KindNetwork.contains("172.18.0.0/16", "172.18.255.200")).isTrue();
    assertThat(KindNetwork.contains("172.18.0.0/16", "172.19.0.1")).isFalse();
    assertThat(KindNetwork.contains("10.89.0.0/24", "10.89.0.200")).isTrue();
    assertThat(KindNetwork.contains("10.89.0.0/24", "10.89.1.200")).isFalse();
    assertThat(KindNetwork.contains("192.168.48.0/20", "192.168.63.200")).isTrue();
    assertThat(KindNetwork.contains("192.168.48.0/20", "192.168.64.1")).isFalse();
    assertThat(KindNetwork.contains("0.0.0.0/0", "255.255.255.255")).isTrue();
    assertThat(KindNetwork.contains("10.0.0.1/32", "10.0.0.1")).isTrue();
    assertThat(KindNetwork.contains("10.0.0.1/32", "10.0.0.2")).isFalse();
    assertThat(KindNetwork.ipv4("255.255.255.255")).isEqualTo(0xffffffffL);
    assertThatThrownBy(() -> KindNetwork.ipv4("256.1.1.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KindNetwork.contains("10.0.0.0/33", "10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void notInspectOutputIsRefused() {
    assertThatThrownBy(() -> KindNetwork.parse("[]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KindNetwork.parse("Error: No such network: kind"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(KindNetwork.parse("[{\"Name\": \"x\"}]").ipv4Subnets()).isEmpty();
  }
}
