package dev.lvs.agent.netlink.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lvs.agent.netlink.Hex;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {
  @BeforeAll
  static void littleEndian() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are x86/arm64");
  }

  @Test
  void headerAndAlignedAttributes() {
    ByteBuffer m =
        new MessageBuilder(0x20, Netlink.NLM_F_REQUEST)
            .u8(1)
            .u8(1)
            .u16(0)
            .putU8(1, 0xab)
            .putU16(2, 0x1234)
            .putBe16(3, 0x1234)
            .putU32(4, 0x01020304)
            .putBe32(5, 0xffffff00)
            .putU64(6, 0x0102030405060708L)
            .putString(7, "wlc")
            .putBytes(8, new byte[] {1, 2, 3, 4, 5})
            .build(7, 99);
    assertThat(Hex.of(m))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    "5c000000 2000 0100 07000000 63000000"
                        + "| 01010000"
                        + "| 0500 0100 ab000000"
                        + "| 0600 0200 3412 0000"
                        + "| 0600 0300 1234 0000"
                        + "| 0800 0400 04030201"
                        + "| 0800 0500 ffffff00"
                        + "| 0c00 0600 0807060504030201"
                        + "| 0800 0700 776c6300"
                        + "| 0900 0800 0102030405 000000")));
  }

  @Test
  void nestsCarryNestedFlagAndTheirLength() {
    MessageBuilder b = new MessageBuilder(0x10, 0);
    int outer = b.beginNested(1);
    b.putU32(1, 5);
    int inner = b.beginNested(2);
    b.putU16(1, 6);
    b.endNested(inner);
    b.endNested(outer);
    assertThat(Hex.of(b.build(1, 0)))
        .isEqualTo(
            Hex.of(
                Hex.bytes(
                    "28000000 1000 0000 01000000 00000000"
                        + "| 1800 0180 | 0800 0100 05000000 | 0c00 0280 | 0600 0100 0600 0000")));
  }

  @Test
  void emptyStringIsJustItsNul() {
    assertThat(Hex.of(new MessageBuilder(0x10, 0).putString(3, "").build(0, 0)))
        .endsWith("05 00 03 00 00 00 00 00");
  }

  @Test
  void oversizedAttributesAreRefused() {
    assertThatThrownBy(() -> new MessageBuilder(0x10, 0).putBytes(1, new byte[70_000]))
        .isInstanceOf(IllegalArgumentException.class);
    MessageBuilder b = new MessageBuilder(0x10, 0);
    int n = b.beginNested(1);
    for (int i = 0; i < 9000; i++) {
      b.putU32(1, i);
    }
    assertThatThrownBy(() -> b.endNested(n)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildCanBeRepeatedWithNewSequenceNumbers() {
    MessageBuilder b = new MessageBuilder(0x10, Netlink.NLM_F_REQUEST).putU32(1, 1);
    assertThat(b.build(1, 0).getInt(8)).isEqualTo(1);
    assertThat(b.build(2, 0).getInt(8)).isEqualTo(2);
    assertThat(b.build(2, 0).remaining()).isEqualTo(24);
  }
}
