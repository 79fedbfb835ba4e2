package dev.lvs.operator.model;

import dev.lvs.operator.api.IpLiterals;
import java.net.InetAddress;
import java.util.Locale;

/** IP literal helpers that never resolve names. */
public final class IpAddresses {
  private IpAddresses() {}

  /**
   * The canonical text of an IP literal (so 2001:DB8:0::1 and 2001:db8::1 compare equal), or the
   * input trimmed and lower-cased when it is not an IP literal.
   */
  public static String canonical(String address) {
    if (address == null) {
      return null;
    }
    String a = address.trim().toLowerCase(Locale.ROOT);
    // Parsed by hand (IpLiterals): a host name or a malformed literal is never resolved.
    return IpLiterals.tryParse(a)
        .map(InetAddress::getHostAddress)
        .map(s -> s.contains(":") ? compressIpv6(s) : s)
        .orElse(a);
  }

  public static boolean isIpv6(String address) {
    return address != null && address.contains(":");
  }

  /** InetAddress prints IPv6 uncompressed (2001:db8:0:0:0:0:0:1); compress the longest zero run. */
  private static String compressIpv6(String full) {
    String[] parts = full.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < parts.length; ) {
      if (parts[i].equals("0")) {
        int j = i;
        while (j < parts.length && parts[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen && j - i > 1) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
    String tail =
        String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLen, parts.length));
    return head + "::" + tail;
  }
}
