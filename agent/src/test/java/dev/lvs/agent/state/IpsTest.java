package dev.lvs.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpsTest {
  @Test
  void parsesLiteralsOnlyNeverHostNames() {
    assertThat(Ips.parse("172.16.58.1")).isPresent();
    assertThat(Ips.parse("2001:db8::1")).isPresent();
    assertThat(Ips.parse("localhost")).isEmpty();
    assertThat(Ips.parse("1.2.3")).isEmpty();
    assertThat(Ips.parse("300.1.1.1")).isEmpty();
    assertThat(Ips.parse(null)).isEmpty();
  }

  @Test
  void refusesWhatTheKernelCannotTakeAndNamesWhy() {
    // Java's own parser took these: a zone (looked up as an interface), brackets, and an
    // IPv4-mapped address silently turned into IPv4; "host:port" went to the resolver.
    assertThat(Ips.parse("fe80::1%lo")).isEmpty();
    assertThat(Ips.parse("[2001:db8::1]")).isEmpty();
    assertThat(Ips.parse("::ffff:172.16.58.1")).isEmpty();
    assertThat(Ips.parse("localhost:80")).isEmpty();
    assertThat(Ips.problem("localhost"))
        .contains("is not an IP address (host names are never resolved)");
    assertThat(Ips.problem("example.invalid"))
        .contains("is not an IP address (host names are never resolved)");
    assertThat(Ips.problem("2001:db8::1")).isEmpty();
  }

  @Test
  void ipv4Masks() {
    assertThat(Ips.ipv4Mask(32)).isEqualTo(0xffffffff);
    assertThat(Ips.ipv4Mask(24)).isEqualTo(0xffffff00);
    assertThat(Ips.ipv4Mask(0)).isEqualTo(0);
    assertThat(Ips.ipv4Mask("255.255.255.0")).contains(0xffffff00);
    assertThat(Ips.ipv4Mask("255.0.255.0")).isEmpty();
  }

  @Test
  void labelKeepsSuffixWithinFifteenBytes() {
    assertThat(DesiredStateCalculator.label("eth0")).isEqualTo("eth0:lvs");
    assertThat(DesiredStateCalculator.label("enp0s31f6abcdef")).isEqualTo("enp0s31f6ab:lvs");
    assertThat(DesiredStateCalculator.label("enp0s31f6abcdef")).hasSize(15);
  }
}
