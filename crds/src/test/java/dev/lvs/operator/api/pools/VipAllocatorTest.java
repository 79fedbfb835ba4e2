package dev.lvs.operator.api.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.IpLiterals;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VipAllocatorTest {

  private static List<IpRange> ranges(String... texts) {
    return List.of(texts).stream().map(IpRange::parse).toList();
  }

  private static Optional<String> next(List<IpRange> r, boolean buggy, List<String> used) {
    return VipAllocator.next(
            r, buggy, used.stream().map(IpLiterals::parse).toList(), HostAddresses.NONE)
        .map(InetAddress::getHostAddress);
  }

  @Test
  void lowestFreeAddressInTheOrderOfTheRanges() {
    List<IpRange> r = ranges("192.0.2.10-192.0.2.11", "198.51.100.0/30");
    assertThat(next(r, false, List.of())).contains("192.0.2.10");
    assertThat(next(r, false, List.of("192.0.2.10"))).contains("192.0.2.11");
    assertThat(next(r, false, List.of("192.0.2.10", "192.0.2.11"))).contains("198.51.100.0");
    assertThat(
            next(
                r,
                false,
                List.of(
                    "192.0.2.10",
                    "192.0.2.11",
                    "198.51.100.0",
                    "198.51.100.1",
                    "198.51.100.2",
                    "198.51.100.3")))
        .isEmpty();
  }

  @Test
  void avoidBuggyIpsSkipsDotZeroAndDot255OfIpv4Only() {
    List<IpRange> r = ranges("10.0.0.255-10.0.1.1");
    assertThat(next(r, false, List.of())).contains("10.0.0.255");
    assertThat(next(r, true, List.of())).contains("10.0.1.1");
    assertThat(next(ranges("10.0.0.255-10.0.1.0"), true, List.of())).isEmpty();
    assertThat(next(ranges("2001:db8::ff-2001:db8::100"), true, List.of()))
        .contains("2001:db8:0:0:0:0:0:ff");
  }

  @Test
  void forbiddenClassesAndHostAddressesAreNeverHandedOut() {
    // A careless pool that spans loopback: skipped whole, without walking 16M addresses.
    assertThat(next(ranges("126.255.255.254-128.0.0.1"), false, List.of("126.255.255.254")))
        .contains("126.255.255.255");
    assertThat(next(ranges("127.0.0.0/8", "127.0.0.0/8"), false, List.of())).isEmpty();
    assertThat(next(ranges("fe80::/10", "2001:db8::/64"), false, List.of()))
        .contains("2001:db8:0:0:0:0:0:0");
    HostAddresses nodes =
        HostAddresses.builder()
            .add(IpLiterals.parse("192.0.2.1"), "node rs1 (InternalIP)")
            .add(IpLiterals.parse("192.0.2.2"), "node rs2 (InternalIP)")
            .build();
    assertThat(VipAllocator.next(ranges("192.0.2.1-192.0.2.9"), false, List.of(), nodes))
        .map(InetAddress::getHostAddress)
        .contains("192.0.2.3");
  }

  @Test
  void hugeIpv6PoolsCostWhatIsInUseNotTheirSize() {
    List<String> used = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      used.add("2001:db8::" + Integer.toHexString(i));
    }
    assertThat(next(ranges("2001:db8::/64"), false, used)).contains("2001:db8:0:0:0:0:0:1388");
  }

  /** Property: over random pools and uses, the pick is free, in the pool, and the lowest such. */
  @Test
  void thePickIsAlwaysTheLowestAllowedFreeAddressOfTheFirstRangeWithOne() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int base = random.nextInt(200);
      int len = 1 + random.nextInt(40);
      IpRange r = IpRange.parse("10.1." + base + ".0-10.1." + base + "." + Math.min(255, len));
      Set<String> used = new HashSet<>();
      for (int i = 0; i < random.nextInt(50); i++) {
        used.add("10.1." + base + "." + random.nextInt(Math.min(256, len + 1)));
      }
      boolean buggy = random.nextBoolean();
      String expected = null;
      for (int last = 0; last <= Math.min(255, len); last++) {
        String a = "10.1." + base + "." + last;
        if (!used.contains(a) && !(buggy && (last == 0 || last == 255))) {
          expected = a;
          break;
        }
      }
      assertThat(next(List.of(r), buggy, List.copyOf(used)))
          .as("round %d", round)
          .isEqualTo(Optional.ofNullable(expected));
    }
  }
}
