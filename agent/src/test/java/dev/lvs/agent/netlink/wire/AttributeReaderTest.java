package dev.lvs.agent.netlink.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.netlink.Hex;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class AttributeReaderTest {
  private static ByteBuffer buf(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
  }

  private static ByteBuffer attrs(MessageBuilder b) {
    ByteBuffer m = b.build(0, 0);
    return m.position(Netlink.NLMSG_HDRLEN);
  }

  @Test
  void readsEveryKindBackAndMasksTheNestedFlag() throws Exception {
    MessageBuilder b =
        new MessageBuilder(0x10, 0)
            .putU8(1, 200)
            .putU16(2, 65535)
            .putBe16(3, 8080)
            .putU32(4, -1)
            .putBe32(5, 0xffffff00)
            .putU64(6, Long.MIN_VALUE)
            .putString(7, "lo:lvs");
    int n = b.beginNested(8);
    b.putU32(1, 42);
    b.endNested(n);
    AttributeReader a = AttributeReader.parse(attrs(b), "test");
    assertThat(a.u8(1)).isEqualTo(200);
    assertThat(a.u16(2)).isEqualTo(65535);
    assertThat(a.be16(3)).isEqualTo(8080);
    assertThat(a.u32(4)).isEqualTo(-1);
    assertThat(a.be32(5)).isEqualTo(0xffffff00);
    assertThat(a.u64(6)).isEqualTo(Long.MIN_VALUE);
    assertThat(a.string(7)).isEqualTo("lo:lvs");
    assertThat(a.nested(8).u32(1)).isEqualTo(42);
    assertThat(a.has(9)).isFalse();
    assertThat(a.optU32(9)).isEmpty();
  }

  @Test
  void wrongSizesAndMissingAttributesAreProtocolErrors() throws Exception {
    AttributeReader a =
        AttributeReader.parse(attrs(new MessageBuilder(0x10, 0).putU16(1, 5)), "svc");
    assertThatThrownBy(() -> a.u32(1))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("svc: attribute 1 has 2 bytes, expected 4");
    assertThatThrownBy(() -> a.u8(1)).isInstanceOf(NetlinkProtocolException.class);
    assertThatThrownBy(() -> a.u32(2))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("attribute 2 missing");
    assertThatThrownBy(() -> a.address(1, 4)).isInstanceOf(NetlinkProtocolException.class);
    assertThatThrownBy(() -> a.nested(2)).isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void lengthBelowHeaderIsRefused() {
    assertThatThrownBy(() -> AttributeReader.parse(buf(Hex.bytes("0200 0100 00000000")), "x"))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("nla_len 2");
  }

  @Test
  void overrunIsRefused() {
    assertThatThrownBy(() -> AttributeReader.parse(buf(Hex.bytes("0c00 0100 01000000")), "x"))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("overruns");
  }

  @Test
  void trailingPaddingIsTolerated() throws Exception {
    AttributeReader a = AttributeReader.parse(buf(Hex.bytes("0500 0100 07 000000 | 0000")), "x");
    assertThat(a.u8(1)).isEqualTo(7);
  }

  @Test
  void lastOfARepeatedTypeWins() throws Exception {
    AttributeReader a =
        AttributeReader.parse(attrs(new MessageBuilder(0x10, 0).putU32(1, 1).putU32(1, 2)), "x");
    assertThat(a.u32(1)).isEqualTo(2);
  }

  private static final byte[] MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 1};

  @Test
  void stringsWithoutNulAndSixteenByteMappedAddresses() throws Exception {
    AttributeReader a =
        AttributeReader.parse(
            attrs(new MessageBuilder(0x10, 0).putBytes(1, "abc".getBytes()).putBytes(2, MAPPED)),
            "x");
    assertThat(a.string(1)).isEqualTo("abc");
    // ::ffff:10.0.0.1 stays IPv6: the family decides, not the bytes.
    assertThat(a.address(2, 16)).isInstanceOf(Inet6Address.class);
    assertThat(a.address(2, 4).getHostAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void countersMayBe32Or64Bits() throws Exception {
    AttributeReader a =
        AttributeReader.parse(
            attrs(new MessageBuilder(0x10, 0).putU32(1, -1).putU64(2, 1L << 40).putU16(3, 1)), "x");
    assertThat(a.u32or64(1)).isEqualTo(0xffffffffL);
    assertThat(a.u32or64(2)).isEqualTo(1L << 40);
    assertThatThrownBy(() -> a.u32or64(3)).isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void headerLongerThanPayloadIsRefused() {
    assertThatThrownBy(() -> AttributeReader.parse(buf(new byte[3]), 4, "genl"))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("shorter than its 4-byte header");
  }
}
