package dev.lvs.operator.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * IP address literals, parsed here digit by digit: an IPv4 dotted quad (no leading zeros) or an
 * IPv6 address in any RFC 4291 text form, compressed or not, with or without a dotted IPv4 tail.
 * Nothing here ever calls a resolver: the address is built from its bytes ({@link
 * InetAddress#getByAddress(byte[])} never looks anything up), so a host name is an error, never a
 * DNS query. Refused as the CRD's {@code isIP} refuses them: zones ({@code fe80::1%eth0}),
 * brackets, and IPv4-mapped IPv6 addresses ({@code ::ffff:1.2.3.4}, which Java would silently turn
 * into IPv4). Surrounding whitespace is ignored.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /** The address, or IllegalArgumentException with {@code "TEXT" PROBLEM} as its message. */
  public static InetAddress parse(String text) {
    Result r = read(text);
    if (r.address == null) {
      throw new IllegalArgumentException("\"" + text + "\" " + r.problem);
    }
    return r.address;
  }

  /** The address, or empty when {@code text} is not an IP literal. */
  public static Optional<InetAddress> tryParse(String text) {
    return Optional.ofNullable(read(text).address);
  }

  /**
   * Why {@code text} is not an IP literal, as a predicate to put after it ("is not an IP address
   * (host names are never resolved)"), or empty when it is one.
   */
  public static Optional<String> problem(String text) {
    return Optional.ofNullable(read(text).problem);
  }

  private record Result(InetAddress address, String problem) {
    static Result bad(String problem) {
      return new Result(null, problem);
    }
  }

  private static Result read(String text) {
    if (text == null) {
      return Result.bad("is missing");
    }
    String s = text.trim();
    if (s.isEmpty()) {
      return Result.bad("is empty");
    }
    if (s.startsWith("[") || s.endsWith("]")) {
      return Result.bad("is in brackets: give the address alone");
    }
    int zone = s.indexOf('%');
    if (zone >= 0 && s.indexOf(':') >= 0) {
      return Result.bad("has a zone (" + s.substring(zone) + "): give the address alone");
    }
    byte[] bytes = s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s);
    if (bytes == null) {
      return Result.bad(
          hasNonHexLetter(s)
              ? "is not an IP address (host names are never resolved)"
              : "is not an IPv4 or IPv6 address");
    }
    try {
      if (bytes.length == 16) {
        if (isIpv4Mapped(bytes)) {
          return Result.bad(
              "is an IPv4-mapped IPv6 address: give the IPv4 address "
                  + InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)).getHostAddress());
        }
        // Inet6Address explicitly, host null, no scope: nothing to resolve.
        return new Result(Inet6Address.getByAddress(null, bytes, -1), null);
      }
      return new Result(InetAddress.getByAddress(bytes), null);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /** Four decimal octets 0-255, without leading zeros; null when {@code s} is not one. */
  static byte[] ipv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int i = 0;
    int n = s.length();
    while (true) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 4 && isDigit(s.charAt(i))) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[part++] = (byte) value;
      if (part == 4) {
        return i == n ? out : null;
      }
      if (i >= n || s.charAt(i) != '.') {
        return null;
      }
      i++;
    }
  }

  /** Sixteen bytes from IPv6 text: groups of 1-4 hex digits, one "::" at most, IPv4 tail. */
  static byte[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    // A dotted IPv4 part may only end the address.
    int[] head = gap < 0 ? groups(s, true) : groups(s.substring(0, gap), false);
    int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), true);
    if (head == null || tail == null) {
      return null;
    }
    int total = head.length + tail.length;
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int g = 0; g < head.length; g++) {
      put(out, g, head[g]);
    }
    for (int g = 0; g < tail.length; g++) {
      put(out, 8 - tail.length + g, tail[g]);
    }
    return out;
  }

  /**
   * The 16-bit groups of a colon-separated run ("" is none); a dotted IPv4 last part, when {@code
   * ipv4Allowed}, counts as two. Null when a group is empty or not 1-4 hex digits.
   */
  private static int[] groups(String run, boolean ipv4Allowed) {
    if (run.isEmpty()) {
      return new int[0];
    }
    String[] parts = run.split(":", -1);
    boolean ipv4Tail = ipv4Allowed && parts[parts.length - 1].indexOf('.') >= 0;
    int[] out = new int[parts.length + (ipv4Tail ? 1 : 0)];
    for (int p = 0; p < parts.length; p++) {
      String part = parts[p];
      if (ipv4Tail && p == parts.length - 1) {
        byte[] v4 = ipv4(part);
        if (v4 == null) {
          return null;
        }
        out[p] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[p + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        continue;
      }
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int i = 0; i < part.length(); i++) {
        int d = Character.digit(part.charAt(i), 16);
        if (d < 0 || part.charAt(i) > 'f') { // Character.digit also takes non-ASCII digits
          return null;
        }
        value = (value << 4) | d;
      }
      out[p] = value;
    }
    return out;
  }

  private static void put(byte[] out, int group, int value) {
    out[2 * group] = (byte) (value >> 8);
    out[2 * group + 1] = (byte) value;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean hasNonHexLetter(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (Character.isLetter(c) && !(c >= 'a' && c <= 'f')) {
        return true;
      }
    }
    return false;
  }
}
