package dev.lvs.agent.netlink.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink request: the nlmsghdr, a family header (written with the raw {@code u8..}
 * methods) and attributes, in native byte order except where the kernel wants network order ({@link
 * #putBe16}, {@link #putBe32}). Attributes are 4-byte aligned; nests carry NLA_F_NESTED. The
 * header's length and sequence number are filled in by {@link #build}.
 */
public final class MessageBuilder {
  private static final int MAX_ATTR_LEN = 0xffff;

  private ByteBuffer buf;
  private final int type;
  private int flags;

  public MessageBuilder(int type, int flags) {
    if (type < 0 || type > 0xffff) {
      throw new IllegalArgumentException("message type out of range: " + type);
    }
    this.type = type;
    this.flags = flags & 0xffff;
    this.buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    buf.position(Netlink.NLMSG_HDRLEN);
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public MessageBuilder addFlags(int more) {
    this.flags = (flags | more) & 0xffff;
    return this;
  }

  public MessageBuilder clearFlags(int these) {
    this.flags = flags & ~these & 0xffff;
    return this;
  }

  private void ensure(int more) {
    if (buf.remaining() < more) {
      int cap = Math.max(buf.capacity() * 2, buf.position() + more + 64);
      ByteBuffer bigger = ByteBuffer.allocate(cap).order(ByteOrder.nativeOrder());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }

  // ---- family header fields (raw, unaligned; call pad() after a header that isn't 4-aligned)

  public MessageBuilder u8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  public MessageBuilder u16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  public MessageBuilder u32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  public MessageBuilder raw(byte[] bytes) {
    ensure(bytes.length);
    buf.put(bytes);
    return this;
  }

  /** Zero bytes up to the next 4-byte boundary. */
  public MessageBuilder pad() {
    int n = Netlink.align(buf.position()) - buf.position();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf.put((byte) 0);
    }
    return this;
  }

  // ---- attributes

  private void header(int len, int attrType) {
    if (len > MAX_ATTR_LEN) {
      throw new IllegalArgumentException("attribute " + attrType + " too long: " + len);
    }
    buf.putShort((short) len);
    buf.putShort((short) attrType);
  }

  private MessageBuilder attr(int attrType, int payloadLen) {
    int total = Netlink.NLA_HDRLEN + payloadLen;
    ensure(Netlink.align(total));
    header(total, attrType);
    return this;
  }

  private void padAttr(int payloadLen) {
    int n = Netlink.align(payloadLen) - payloadLen;
    for (int i = 0; i < n; i++) {
      buf.put((byte) 0);
    }
  }

  public MessageBuilder putU8(int attrType, int v) {
    attr(attrType, 1);
    buf.put((byte) v);
    padAttr(1);
    return this;
  }

  public MessageBuilder putU16(int attrType, int v) {
    attr(attrType, 2);
    buf.putShort((short) v);
    padAttr(2);
    return this;
  }

  /** A 16-bit value in network byte order (ports). */
  public MessageBuilder putBe16(int attrType, int v) {
    attr(attrType, 2);
    buf.put((byte) (v >>> 8)).put((byte) v);
    padAttr(2);
    return this;
  }

  public MessageBuilder putU32(int attrType, int v) {
    attr(attrType, 4);
    buf.putInt(v);
    return this;
  }

  /** A 32-bit value in network byte order (IPv4 netmasks). */
  public MessageBuilder putBe32(int attrType, int v) {
    attr(attrType, 4);
    buf.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    return this;
  }

  public MessageBuilder putU64(int attrType, long v) {
    attr(attrType, 8);
    buf.putLong(v);
    return this;
  }

  public MessageBuilder putBytes(int attrType, byte[] value) {
    attr(attrType, value.length);
    buf.put(value);
    padAttr(value.length);
    return this;
  }

  /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING both accept it). */
  public MessageBuilder putString(int attrType, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    attr(attrType, b.length + 1);
    buf.put(b).put((byte) 0);
    padAttr(b.length + 1);
    return this;
  }

  /** Opens a nested attribute; close it with {@link #endNested(int)}. */
  public int beginNested(int attrType) {
    ensure(Netlink.NLA_HDRLEN);
    int start = buf.position();
    header(Netlink.NLA_HDRLEN, attrType | Netlink.NLA_F_NESTED);
    return start;
  }

  public MessageBuilder endNested(int start) {
    int len = buf.position() - start;
    if (len > MAX_ATTR_LEN) {
      throw new IllegalArgumentException("nested attribute too long: " + len);
    }
    buf.putShort(start, (short) len);
    return this;
  }

  /** Current length of the message, header included. */
  public int length() {
    return buf.position();
  }

  /** The finished message: a fresh buffer positioned at 0, in native byte order. */
  public ByteBuffer build(int seq, int pid) {
    int len = buf.position();
    ByteBuffer out = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
    out.put(buf.array(), 0, len);
    out.putInt(0, len);
    out.putShort(4, (short) type);
    out.putShort(6, (short) flags);
    out.putInt(8, seq);
    out.putInt(12, pid);
    out.position(0);
    return out;
  }
}
