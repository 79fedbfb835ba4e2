package dev.lvs.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @CsvSource({
    "172.16.58.1, 172.16.58.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "' 10.0.0.1 ', 10.0.0.1",
    "2001:db8::1, 2001:db8:0:0:0:0:0:1",
    "2001:DB8:0:0:0:0:0:1, 2001:db8:0:0:0:0:0:1",
    "::, 0:0:0:0:0:0:0:0",
    "::1, 0:0:0:0:0:0:0:1",
    "fe80::, fe80:0:0:0:0:0:0:0",
    "1::, 1:0:0:0:0:0:0:0",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221",
    "::192.0.2.33, 0:0:0:0:0:0:c000:221",
  })
  void parsesLiterals(String text, String expected) {
    InetAddress a = IpLiterals.parse(text);
    assertThat(a.getHostAddress()).isEqualTo(expected);
    assertThat(a).isInstanceOf(expected.contains(":") ? Inet6Address.class : Inet4Address.class);
    assertThat(IpLiterals.problem(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // host names: a resolver would answer for localhost at once, so accepting none of them
        // shows that no resolver is asked, whatever the network
        "localhost",
        "example.invalid",
        "localhost:80",
        "x:y",
        "[2001:db8::1]",
        "fe80::1%lo",
        "fe80::1%1",
        "1.1.1.256",
        "999.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "1..2.3",
        "01.2.3.4",
        "1.2.3.4 5",
        "+1.2.3.4",
        "",
        " ",
        ":",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        "12345::1",
        "1:2:3:4:5:6:7:8::",
        "::1.2.3",
        "1.2.3.4::",
        "::ffff:1.2.3.4",
        "::ffff:102:304",
        "g::1",
      })
  void rejectsEverythingElseWithoutAResolver(String text) {
    assertThat(IpLiterals.tryParse(text)).isEmpty();
    assertThat(IpLiterals.problem(text)).isPresent();
    assertThatThrownBy(() -> IpLiterals.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "localhost | is not an IP address (host names are never resolved)",
        "example.invalid | is not an IP address (host names are never resolved)",
        "localhost:80 | is not an IP address (host names are never resolved)",
        "fe80::1%eth0 | has a zone (%eth0): give the address alone",
        "[2001:db8::1] | is in brackets: give the address alone",
        "::ffff:1.2.3.4 | is an IPv4-mapped IPv6 address: give the IPv4 address 1.2.3.4",
        "1.1.1.256 | is not an IPv4 or IPv6 address",
      })
  void problemsSayWhatIsWrong(String text, String problem) {
    assertThat(IpLiterals.problem(text)).contains(problem);
    assertThatThrownBy(() -> IpLiterals.parse(text)).hasMessage("\"" + text + "\" " + problem);
  }

  @Test
  void nullIsNoAddress() {
    assertThat(IpLiterals.tryParse(null)).isEmpty();
    assertThat(IpLiterals.problem(null)).contains("is missing");
  }
}
