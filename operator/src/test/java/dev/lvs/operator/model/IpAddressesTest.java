package dev.lvs.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressesTest {
  @ParameterizedTest
  @CsvSource({
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "' 10.0.0.1 ', 10.0.0.1",
    // Not literals: kept as written (trimmed, lower-cased). InetAddress.getByName asked the
    // resolver for the first two (all digits and three dots passed as a literal) and turned the
    // IPv4-mapped one into 1.2.3.4, which the agents (and the CRD) refuse as a VIP.
    "1.1.1.256, 1.1.1.256",
    "999.1.1.1, 999.1.1.1",
    "::ffff:1.2.3.4, ::ffff:1.2.3.4",
    "localhost, localhost",
    "Example.Invalid, example.invalid",
  })
  void canonicalTextOfLiteralsOnly(String address, String canonical) {
    assertThat(IpAddresses.canonical(address)).isEqualTo(canonical);
  }
}
