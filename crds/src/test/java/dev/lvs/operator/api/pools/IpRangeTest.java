package dev.lvs.operator.api.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.operator.api.IpLiterals;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpRangeTest {

  @Test
  void cidrsRangesAndSingleAddressesOfBothFamilies() {
    IpRange v4 = IpRange.parse("192.0.2.0/28");
    assertThat(v4.family()).isEqualTo(4);
    assertThat(v4.size()).isEqualTo(BigInteger.valueOf(16));
    assertThat(v4).hasToString("192.0.2.0-192.0.2.15");
    assertThat(IpRange.parse(" 192.0.2.10 - 192.0.2.20 ").size()).isEqualTo(BigInteger.valueOf(11));
    assertThat(IpRange.parse("192.0.2.7").size()).isEqualTo(BigInteger.ONE);
    assertThat(IpRange.parse("0.0.0.0/0").size()).isEqualTo(BigInteger.ONE.shiftLeft(32));

    IpRange v6 = IpRange.parse("2001:db8::/64");
    assertThat(v6.family()).isEqualTo(6);
    assertThat(v6.size()).isEqualTo(BigInteger.ONE.shiftLeft(64));
    assertThat(v6.lastAddress().getHostAddress()).isEqualTo("2001:db8:0:0:ffff:ffff:ffff:ffff");
    assertThat(IpRange.parse("2001:db8::10-2001:db8::1f").size()).isEqualTo(BigInteger.valueOf(16));
    assertThat(IpRange.parse("::/0").size()).isEqualTo(BigInteger.ONE.shiftLeft(128));
  }

  @Test
  void containsIsFamilyAwareAndInclusive() {
    IpRange r = IpRange.parse("192.0.2.10-192.0.2.20");
    assertThat(r.contains(IpLiterals.parse("192.0.2.10"))).isTrue();
    assertThat(r.contains(IpLiterals.parse("192.0.2.20"))).isTrue();
    assertThat(r.contains(IpLiterals.parse("192.0.2.9"))).isFalse();
    assertThat(r.contains(IpLiterals.parse("192.0.2.21"))).isFalse();
    // ::c000:20a has the same low 32 bits as 192.0.2.10, but another family.
    assertThat(r.contains(IpLiterals.parse("::c000:20a"))).isFalse();
  }

  @Test
  void overlapNeedsTheSameFamilyAndASharedAddress() {
    assertThat(IpRange.parse("10.0.0.0/24").overlaps(IpRange.parse("10.0.0.255-10.0.1.3")))
        .isTrue();
    assertThat(IpRange.parse("10.0.0.0/24").overlaps(IpRange.parse("10.0.1.0/24"))).isFalse();
    assertThat(IpRange.parse("10.0.0.0/8").overlaps(IpRange.parse("10.20.30.40"))).isTrue();
    assertThat(IpRange.parse("::/0").overlaps(IpRange.parse("10.0.0.0/8"))).isFalse();
    assertThat(
            IpRange.parse("2001:db8::/120").overlaps(IpRange.parse("2001:db8::ff-2001:db8::1ff")))
        .isTrue();
  }

  @Test
  void rangesBecomeTheFewestCidrsThatCoverThemExactly() {
    assertThat(IpRange.parse("10.0.0.1-10.0.0.6").toCidrs())
        .containsExactly("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32");
    assertThat(IpRange.parse("192.0.2.0/24").toCidrs()).containsExactly("192.0.2.0/24");
    assertThat(IpRange.parse("0.0.0.0/0").toCidrs()).containsExactly("0.0.0.0/0");
    assertThat(IpRange.parse("::/0").toCidrs()).containsExactly("0:0:0:0:0:0:0:0/0");
    assertThat(IpRange.parse("255.255.255.254-255.255.255.255").toCidrs())
        .containsExactly("255.255.255.254/31");
    assertThat(IpRange.parse("2001:db8::10-2001:db8::1f").toCidrs())
        .containsExactly("2001:db8:0:0:0:0:0:10/124");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 500; i++) {
      long a = random.nextInt(1 << 20);
      long b = a + random.nextInt(5000);
      IpRange r = new IpRange(4, BigInteger.valueOf(a), BigInteger.valueOf(b));
      List<IpRange> cover = r.toCidrs().stream().map(IpRange::parse).toList();
      BigInteger total = cover.stream().map(IpRange::size).reduce(BigInteger.ZERO, BigInteger::add);
      assertThat(total).as("%s", r).isEqualTo(r.size());
      assertThat(cover.get(0).first()).isEqualTo(r.first());
      assertThat(cover.get(cover.size() - 1).last()).isEqualTo(r.last());
      for (int k = 1; k < cover.size(); k++) {
        assertThat(cover.get(k).first()).isEqualTo(cover.get(k - 1).last().add(BigInteger.ONE));
      }
      assertThat(cover.size()).isLessThanOrEqualTo(64);
    }
  }

  @Test
  void errorsSayWhatIsWrongAndNeverResolveNames() {
    assertThatThrownBy(() -> IpRange.parse("192.0.2.10/24"))
        .hasMessage("\"192.0.2.10/24\" has host bits set: did you mean 192.0.2.0/24?");
    assertThat(IpRange.problem("2001:db8::1/64"))
        .contains("has host bits set: did you mean 2001:db8:0:0:0:0:0:0/64?");
    assertThat(IpRange.problem("192.0.2.0/33"))
        .contains("is not a CIDR: the prefix length must be 0-32");
    assertThat(IpRange.problem("192.0.2.0/024")).isPresent();
    assertThat(IpRange.problem("192.0.2.20-192.0.2.10"))
        .contains("is not a range: its first address is after its last");
    assertThat(IpRange.problem("192.0.2.1-2001:db8::1"))
        .contains("is not a range: its two ends are of different families");
    assertThat(IpRange.problem("lb.example.com").get()).contains("host names are never resolved");
    assertThat(IpRange.problem("10.0.0.0/8-10.0.0.1")).isPresent();
    assertThat(IpRange.problem(null)).contains("is missing");
    assertThat(IpRange.tryParse("nonsense")).isEmpty();
  }
}
