package dev.lvs.agent.netlink.wire;

import dev.lvs.agent.netlink.NetlinkProtocolException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attributes of one message or nest, indexed by type (NLA_F_NESTED and NLA_F_NET_BYTEORDER
 * masked off; a repeated type keeps its last value, as the kernel's nla_parse does). Every read is
 * size-checked: a missing required attribute or one with the wrong size for its type is a {@link
 * NetlinkProtocolException} naming the context and the attribute.
 */
public final class AttributeReader {
  private final String context;
  private final Map<Integer, ByteBuffer> attrs;

  private AttributeReader(String context, Map<Integer, ByteBuffer> attrs) {
    this.context = context;
    this.attrs = attrs;
  }

  /** Parses the attributes between the buffer's position and limit. */
  public static AttributeReader parse(ByteBuffer region, String context)
      throws NetlinkProtocolException {
    ByteBuffer b = region.duplicate().order(ByteOrder.nativeOrder());
    Map<Integer, ByteBuffer> attrs = new HashMap<>();
    int pos = b.position();
    int limit = b.limit();
    while (limit - pos >= Netlink.NLA_HDRLEN) {
      int len = b.getShort(pos) & 0xffff;
      int type = b.getShort(pos + 2) & Netlink.NLA_TYPE_MASK;
      if (len < Netlink.NLA_HDRLEN) {
        throw new NetlinkProtocolException(
            context + ": attribute " + type + " has nla_len " + len + " (< 4)");
      }
      if (len > limit - pos) {
        throw new NetlinkProtocolException(
            context
                + ": attribute "
                + type
                + " of "
                + len
                + " bytes overruns its container ("
                + (limit - pos)
                + " bytes left)");
      }
      ByteBuffer value =
          b.slice(pos + Netlink.NLA_HDRLEN, len - Netlink.NLA_HDRLEN)
              .asReadOnlyBuffer()
              .order(ByteOrder.nativeOrder());
      attrs.put(type, value);
      pos += Math.min(Netlink.align(len), limit - pos);
    }
    // Fewer than 4 bytes left can only be padding; nla_parse tolerates it too.
    return new AttributeReader(context, attrs);
  }

  /** Parses the attributes that follow a fixed header of {@code headerLen} bytes in a payload. */
  public static AttributeReader parse(ByteBuffer payload, int headerLen, String context)
      throws NetlinkProtocolException {
    ByteBuffer b = payload.duplicate().order(ByteOrder.nativeOrder());
    if (b.remaining() < headerLen) {
      throw new NetlinkProtocolException(
          context
              + ": payload of "
              + b.remaining()
              + " bytes is shorter than its "
              + headerLen
              + "-byte header");
    }
    b.position(b.position() + headerLen);
    return parse(b, context);
  }

  public String context() {
    return context;
  }

  public boolean has(int type) {
    return attrs.containsKey(type);
  }

  /** The raw value (a fresh read-only view), if present. */
  public Optional<ByteBuffer> raw(int type) {
    ByteBuffer v = attrs.get(type);
    return v == null ? Optional.empty() : Optional.of(v.duplicate().order(ByteOrder.nativeOrder()));
  }

  private ByteBuffer required(int type) throws NetlinkProtocolException {
    ByteBuffer v = attrs.get(type);
    if (v == null) {
      throw new NetlinkProtocolException(context + ": attribute " + type + " missing");
    }
    return v.duplicate().order(ByteOrder.nativeOrder());
  }

  private ByteBuffer sized(int type, int size) throws NetlinkProtocolException {
    ByteBuffer v = required(type);
    if (v.remaining() != size) {
      throw new NetlinkProtocolException(
          context + ": attribute " + type + " has " + v.remaining() + " bytes, expected " + size);
    }
    return v;
  }

  public int u8(int type) throws NetlinkProtocolException {
    return sized(type, 1).get(0) & 0xff;
  }

  public int u16(int type) throws NetlinkProtocolException {
    return sized(type, 2).getShort(0) & 0xffff;
  }

  public int be16(int type) throws NetlinkProtocolException {
    ByteBuffer v = sized(type, 2);
    return ((v.get(0) & 0xff) << 8) | (v.get(1) & 0xff);
  }

  /** A u32 as a Java int (callers that need the unsigned value use Integer.toUnsignedLong). */
  public int u32(int type) throws NetlinkProtocolException {
    return sized(type, 4).getInt(0);
  }

  public int be32(int type) throws NetlinkProtocolException {
    return sized(type, 4).order(ByteOrder.BIG_ENDIAN).getInt(0);
  }

  public long u64(int type) throws NetlinkProtocolException {
    return sized(type, 8).getLong(0);
  }

  /** A counter that the kernel sends as either u32 or u64 (IPVS stats): unsigned, widened. */
  public long u32or64(int type) throws NetlinkProtocolException {
    ByteBuffer v = required(type);
    return switch (v.remaining()) {
      case 4 -> Integer.toUnsignedLong(v.getInt(0));
      case 8 -> v.getLong(0);
      default ->
          throw new NetlinkProtocolException(
              context
                  + ": attribute "
                  + type
                  + " has "
                  + v.remaining()
                  + " bytes, expected 4 or 8");
    };
  }

  public OptionalInt optU16(int type) throws NetlinkProtocolException {
    return has(type) ? OptionalInt.of(u16(type)) : OptionalInt.empty();
  }

  public OptionalInt optU32(int type) throws NetlinkProtocolException {
    return has(type) ? OptionalInt.of(u32(type)) : OptionalInt.empty();
  }

  public OptionalLong optCounter(int type) throws NetlinkProtocolException {
    return has(type) ? OptionalLong.of(u32or64(type)) : OptionalLong.empty();
  }

  public byte[] bytes(int type) throws NetlinkProtocolException {
    ByteBuffer v = required(type);
    byte[] out = new byte[v.remaining()];
    v.get(out);
    return out;
  }

  /** A string up to its first NUL (or the whole value when there is none). */
  public String string(int type) throws NetlinkProtocolException {
    byte[] b = bytes(type);
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  public Optional<String> optString(int type) throws NetlinkProtocolException {
    return has(type) ? Optional.of(string(type)) : Optional.empty();
  }

  /** The first {@code length} bytes (4 or 16) as an address; longer values are allowed (IPVS). */
  public InetAddress address(int type, int length) throws NetlinkProtocolException {
    ByteBuffer v = required(type);
    if (v.remaining() < length) {
      throw new NetlinkProtocolException(
          context
              + ": address attribute "
              + type
              + " has "
              + v.remaining()
              + " bytes, expected at least "
              + length);
    }
    byte[] b = new byte[length];
    v.get(b);
    return toAddress(b);
  }

  /** An address attribute that must be exactly 4 or 16 bytes (rtnetlink). */
  public InetAddress exactAddress(int type, int length) throws NetlinkProtocolException {
    sized(type, length);
    return address(type, length);
  }

  private InetAddress toAddress(byte[] b) throws NetlinkProtocolException {
    try {
      // Inet6Address explicitly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
      return b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new NetlinkProtocolException(context + ": bad address length " + b.length, e);
    }
  }

  public AttributeReader nested(int type) throws NetlinkProtocolException {
    return parse(required(type), context + "/" + type);
  }

  public Optional<AttributeReader> optNested(int type) throws NetlinkProtocolException {
    return has(type) ? Optional.of(nested(type)) : Optional.empty();
  }
}
