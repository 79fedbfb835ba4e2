package dev.lvs.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KindTopology}: the topology file e2e/kind/up writes. */
class KindTopologyTest {
  @Test
  void readsRolesAddressesAndTheRealServersOrder() {
    KindTopology t =
        KindTopology.parse(
            List.of(
                "# name address role",
                "lvs-e2e-worker 172.18.0.2 director",
                "lvs-e2e-control-plane   172.18.0.3 real-server",
                "",
                "lvs-e2e-worker2 172.18.0.4\treal-server",
                "lvs-e2e-client 172.18.0.5 client"));
    assertThat(t.director()).isEqualTo("lvs-e2e-worker");
    assertThat(t.realServers()).containsExactly("lvs-e2e-control-plane", "lvs-e2e-worker2");
    assertThat(t.client()).isEqualTo("lvs-e2e-client");
    assertThat(t.nodes())
        .containsExactly("lvs-e2e-worker", "lvs-e2e-control-plane", "lvs-e2e-worker2");
    assertThat(t.addresses().keySet())
        .containsExactly(
            "lvs-e2e-worker", "lvs-e2e-control-plane", "lvs-e2e-worker2", "lvs-e2e-client");
    assertThat(t.addresses().get("lvs-e2e-worker2")).isEqualTo("172.18.0.4");
  }

  @Test
  void refusesIncompleteOrAmbiguousTopologies() {
    assertThatThrownBy(() -> KindTopology.parse(List.of("a 1.1.1.1 director", "c 1.1.1.3 client")))
        .hasMessageContaining("expected a director, two real servers and a client");
    assertThatThrownBy(
            () ->
                KindTopology.parse(
                    List.of("a 1.1.1.1 director", "b 1.1.1.2 director", "c 1.1.1.3 client")))
        .hasMessageContaining("two hosts are the director");
    assertThatThrownBy(() -> KindTopology.parse(List.of("a 1.1.1.1 router")))
        .hasMessageContaining("unknown role");
    assertThatThrownBy(() -> KindTopology.parse(List.of("a 1.1.1.1")))
        .hasMessageContaining("expected NAME ADDRESS ROLE");
    assertThatThrownBy(() -> KindTopology.parse(List.of("a 1.1.1.1 director", "a 1.1.1.2 client")))
        .hasMessageContaining("listed twice");
  }
}
