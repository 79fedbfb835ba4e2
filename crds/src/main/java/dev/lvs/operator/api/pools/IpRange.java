package dev.lvs.operator.api.pools;

import dev.lvs.operator.api.IpLiterals;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A contiguous block of addresses of one family, from {@code first} to {@code last} inclusive, as
 * unsigned integers. A pool's entry is written as a CIDR ({@code 192.0.2.0/28}, {@code
 * 2001:db8::/120}), a range ({@code 192.0.2.10-192.0.2.20}) or one address. A CIDR must be
 * canonical: host bits set are an error that gives the canonical form, since {@code 192.0.2.10/24}
 * usually means a typo and not the whole /24.
 */
public record IpRange(int family, BigInteger first, BigInteger last)
    implements Comparable<IpRange> {

  public IpRange {
    if (family != 4 && family != 6) {
      throw new IllegalArgumentException("family must be 4 or 6, not " + family);
    }
    if (first.signum() < 0 || last.compareTo(max(family)) > 0 || first.compareTo(last) > 0) {
      throw new IllegalArgumentException("not a range: " + first + "-" + last);
    }
  }

  /** The range {@code text} denotes, or IllegalArgumentException with a message naming it. */
  public static IpRange parse(String text) {
    return tryParse(text)
        .orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" " + problem(text).get()));
  }

  /** The range, or empty when {@code text} is not a CIDR, a range or an address. */
  public static Optional<IpRange> tryParse(String text) {
    return problem(text).isPresent() ? Optional.empty() : Optional.of(read(text));
  }

  /**
   * Why {@code text} is not a pool entry, as a predicate to put after it, or empty when it is one.
   */
  public static Optional<String> problem(String text) {
    if (text == null) {
      return Optional.of("is missing");
    }
    String s = text.trim();
    int slash = s.indexOf('/');
    int dash = s.indexOf('-');
    if (slash >= 0 && dash >= 0) {
      return Optional.of("is neither a CIDR nor a range: give ADDRESS/PREFIX or FIRST-LAST");
    }
    if (slash >= 0) {
      Optional<String> bad = IpLiterals.problem(s.substring(0, slash));
      if (bad.isPresent()) {
        return Optional.of("is not a CIDR: its address " + bad.get());
      }
      InetAddress base = IpLiterals.parse(s.substring(0, slash));
      int family = familyOf(base);
      int bits = family == 4 ? 32 : 128;
      String prefixText = s.substring(slash + 1);
      if (!prefixText.matches("[0-9]{1,3}")
          || (prefixText.length() > 1 && prefixText.startsWith("0"))
          || Integer.parseInt(prefixText) > bits) {
        return Optional.of("is not a CIDR: the prefix length must be 0-" + bits);
      }
      int prefix = Integer.parseInt(prefixText);
      BigInteger value = toBig(base);
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
      if (!value.and(hostMask).equals(BigInteger.ZERO)) {
        return Optional.of(
            "has host bits set: did you mean "
                + toAddress(family, value.andNot(hostMask)).getHostAddress()
                + "/"
                + prefix
                + "?");
      }
      return Optional.empty();
    }
    if (dash >= 0) {
      String a = s.substring(0, dash).trim();
      String b = s.substring(dash + 1).trim();
      Optional<String> badA = IpLiterals.problem(a);
      if (badA.isPresent()) {
        return Optional.of("is not a range: its first address " + badA.get());
      }
      Optional<String> badB = IpLiterals.problem(b);
      if (badB.isPresent()) {
        return Optional.of("is not a range: its last address " + badB.get());
      }
      InetAddress first = IpLiterals.parse(a);
      InetAddress last = IpLiterals.parse(b);
      if (familyOf(first) != familyOf(last)) {
        return Optional.of("is not a range: its two ends are of different families");
      }
      if (toBig(first).compareTo(toBig(last)) > 0) {
        return Optional.of("is not a range: its first address is after its last");
      }
      return Optional.empty();
    }
    return IpLiterals.problem(s)
        .map(p -> "is not a CIDR, a range (FIRST-LAST) or an address: it " + p);
  }

  private static IpRange read(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    if (slash >= 0) {
      InetAddress base = IpLiterals.parse(s.substring(0, slash));
      int family = familyOf(base);
      int bits = family == 4 ? 32 : 128;
      int prefix = Integer.parseInt(s.substring(slash + 1));
      BigInteger first = toBig(base);
      BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
      return new IpRange(family, first, first.add(size).subtract(BigInteger.ONE));
    }
    int dash = s.indexOf('-');
    if (dash >= 0) {
      InetAddress first = IpLiterals.parse(s.substring(0, dash).trim());
      InetAddress last = IpLiterals.parse(s.substring(dash + 1).trim());
      return new IpRange(familyOf(first), toBig(first), toBig(last));
    }
    return of(IpLiterals.parse(s));
  }

  /** The one-address range of {@code address}. */
  public static IpRange of(InetAddress address) {
    BigInteger v = toBig(address);
    return new IpRange(familyOf(address), v, v);
  }

  public boolean contains(InetAddress address) {
    if (familyOf(address) != family) {
      return false;
    }
    BigInteger v = toBig(address);
    return first.compareTo(v) <= 0 && v.compareTo(last) <= 0;
  }

  public boolean overlaps(IpRange other) {
    return family == other.family
        && first.compareTo(other.last) <= 0
        && other.first.compareTo(last) <= 0;
  }

  /**
   * The fewest CIDRs that cover exactly this range, lowest first ({@code 10.0.0.1-10.0.0.6} is
   * 10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/31, 10.0.0.6/32): for CEL, which can test {@code
   * cidr(c).containsIP(ip)} but cannot compare addresses. At most 2 × bits CIDRs.
   */
  public List<String> toCidrs() {
    int bits = family == 4 ? 32 : 128;
    List<String> out = new ArrayList<>();
    BigInteger at = first;
    while (at.compareTo(last) <= 0) {
      // The largest block aligned at `at` that does not pass `last`.
      int size = at.signum() == 0 ? bits : Math.min(bits, at.getLowestSetBit());
      while (at.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(last) > 0) {
        size--;
      }
      out.add(toAddress(family, at).getHostAddress() + "/" + (bits - size));
      at = at.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  /** The number of addresses. */
  public BigInteger size() {
    return last.subtract(first).add(BigInteger.ONE);
  }

  public InetAddress firstAddress() {
    return toAddress(family, first);
  }

  public InetAddress lastAddress() {
    return toAddress(family, last);
  }

  @Override
  public int compareTo(IpRange o) {
    int c = Integer.compare(family, o.family);
    if (c != 0) {
      return c;
    }
    c = first.compareTo(o.first);
    return c != 0 ? c : last.compareTo(o.last);
  }

  @Override
  public String toString() {
    return first.equals(last)
        ? firstAddress().getHostAddress()
        : firstAddress().getHostAddress() + "-" + lastAddress().getHostAddress();
  }

  /** 4 or 6. */
  public static int familyOf(InetAddress address) {
    return address instanceof Inet6Address ? 6 : 4;
  }

  /** The address as an unsigned integer. */
  public static BigInteger toBig(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  /** The address of {@code family} whose unsigned value is {@code value}. */
  public static InetAddress toAddress(int family, BigInteger value) {
    int len = family == 4 ? 4 : 16;
    byte[] raw = value.toByteArray();
    byte[] out = new byte[len];
    int copy = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
    try {
      return family == 4 ? InetAddress.getByAddress(out) : Inet6Address.getByAddress(null, out, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  static BigInteger max(int family) {
    return BigInteger.ONE.shiftLeft(family == 4 ? 32 : 128).subtract(BigInteger.ONE);
  }
}
