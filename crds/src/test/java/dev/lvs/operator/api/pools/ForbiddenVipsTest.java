package dev.lvs.operator.api.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.IpLiterals;
import org.junit.jupiter.api.Test;

class ForbiddenVipsTest {

  @Test
  void addressClassesThatAreNeverAVip() {
    assertThat(ForbiddenVips.why(IpLiterals.parse("0.0.0.0")))
        .get()
        .asString()
        .contains("unspecified");
    assertThat(ForbiddenVips.why(IpLiterals.parse("127.0.0.53")))
        .get()
        .asString()
        .contains("loopback");
    assertThat(ForbiddenVips.why(IpLiterals.parse("169.254.1.1")))
        .get()
        .asString()
        .contains("link-local");
    assertThat(ForbiddenVips.why(IpLiterals.parse("239.1.1.1")))
        .get()
        .asString()
        .contains("multicast");
    assertThat(ForbiddenVips.why(IpLiterals.parse("255.255.255.255")))
        .get()
        .asString()
        .contains("broadcast");
    assertThat(ForbiddenVips.why(IpLiterals.parse("::"))).get().asString().contains("unspecified");
    assertThat(ForbiddenVips.why(IpLiterals.parse("::1"))).get().asString().contains("loopback");
    assertThat(ForbiddenVips.why(IpLiterals.parse("fe80::1")))
        .get()
        .asString()
        .contains("link-local");
    assertThat(ForbiddenVips.why(IpLiterals.parse("ff02::1")))
        .get()
        .asString()
        .contains("multicast");
    assertThat(ForbiddenVips.why(IpLiterals.parse("192.0.2.10"))).isEmpty();
    assertThat(ForbiddenVips.why(IpLiterals.parse("2001:db8::10"))).isEmpty();
  }

  @Test
  void aHostsAddressIsNamedWithItsHolder() {
    HostAddresses nodes =
        HostAddresses.builder()
            .add(IpLiterals.parse("192.0.2.2"), "node rs2 (InternalIP)")
            .add(IpLiterals.parse("192.0.2.2"), "node other (ExternalIP)")
            .build();
    assertThat(ForbiddenVips.why(IpLiterals.parse("192.0.2.2"), nodes))
        .contains("is the address of node rs2 (InternalIP)");
    assertThat(ForbiddenVips.why(IpLiterals.parse("192.0.2.3"), nodes)).isEmpty();
  }
}
