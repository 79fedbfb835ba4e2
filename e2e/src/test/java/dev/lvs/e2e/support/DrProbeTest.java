package dev.lvs.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.e2e.support.DrProbe.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrProbeTest {
  @Test
  void connectionEntriesOfTheServiceAreParsed() {
    String table =
        """
        IPVS connection entries
        pro expire state       source             virtual            destination
        TCP 01:44  FIN_WAIT    172.16.58.100:44494 172.16.58.1:80     172.16.58.7:80
        TCP 00:59  SYN_RECV    172.16.58.100:20001 172.16.58.1:80     172.16.58.8:80
        TCP 01:10  FIN_WAIT    172.16.58.100:30000 172.16.58.9:443    172.16.58.8:443
        """;
    assertThat(DrProbe.parseConnections(table, "172.16.58.1:80"))
        .containsExactly(
            new Connection("FIN_WAIT", "172.16.58.100", 44494, "172.16.58.7"),
            new Connection("SYN_RECV", "172.16.58.100", 20001, "172.16.58.8"));
  }

  @Test
  void requestPortsLieBelowTheEphemeralRange() {
    // Linux's default net.ipv4.ip_local_port_range is 32768-60999: no automatic port choice of
    // another program can take one of the probe's ports.
    assertThat(DrProbe.FIRST_PORT).isGreaterThanOrEqualTo(1024);
    assertThat(DrProbe.LAST_PORT).isLessThan(32768);
    assertThat(List.of(DrProbe.FIRST_PORT, DrProbe.LAST_PORT)).isSorted();
  }
}
