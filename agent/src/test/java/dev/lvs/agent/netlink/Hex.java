package dev.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex dumps for golden-byte tests. */
public final class Hex {
  private Hex() {}

  /** Parses hex digits, ignoring whitespace and '|' separators. */
  public static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
  }

  public static String of(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return HexFormat.ofDelimiter(" ").formatHex(a);
  }

  public static String of(byte[] a) {
    return HexFormat.ofDelimiter(" ").formatHex(a);
  }
}
