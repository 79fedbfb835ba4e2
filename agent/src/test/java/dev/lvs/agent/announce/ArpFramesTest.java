package dev.lvs.agent.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ArpFramesTest {
  static final byte[] MAC = HexFormat.of().parseHex("525400580003");

  @Test
  void aGratuitousRequestAnnouncesTheVipFromTheNewMac() throws Exception {
    byte[] f =
        ArpFrames.gratuitous(
            ArpFrames.REQUEST, MAC, (Inet4Address) InetAddress.getByName("172.16.58.1"));
    assertThat(HexFormat.of().formatHex(f))
        .isEqualTo(
            "0001" // Ethernet
                + "0800" // IPv4
                + "06"
                + "04"
                + "0001" // request
                + "525400580003"
                + "ac103a01" // sender: new MAC, the VIP
                + "000000000000"
                + "ac103a01"); // target: zero MAC, the VIP
  }

  @Test
  void aGratuitousReplyTargetsTheBroadcastAddress() throws Exception {
    byte[] f =
        ArpFrames.gratuitous(
            ArpFrames.REPLY, MAC, (Inet4Address) InetAddress.getByName("10.0.0.9"));
    assertThat(HexFormat.of().formatHex(f, 6, 8)).isEqualTo("0002");
    assertThat(HexFormat.of().formatHex(f, 18, 28)).isEqualTo("ffffffffffff0a000009");
  }

  @Test
  void badInputIsRefused() throws Exception {
    Inet4Address v = (Inet4Address) InetAddress.getByName("10.0.0.9");
    assertThatThrownBy(() -> ArpFrames.gratuitous(3, MAC, v)).hasMessageContaining("op");
    assertThatThrownBy(() -> ArpFrames.gratuitous(1, new byte[4], v))
        .hasMessageContaining("6 bytes");
  }

  @Test
  void sockaddrLlCarriesIfindexProtocolAndAddress() {
    ByteBuffer b = ArpFrames.sockaddrLl(7, ArpFrames.broadcast());
    assertThat(b.remaining()).isEqualTo(20);
    assertThat(Short.toUnsignedInt(b.getShort(0))).isEqualTo(17); // AF_PACKET, native order
    assertThat(b.get(2) & 0xff).isEqualTo(0x08); // ETH_P_ARP, network order
    assertThat(b.get(3) & 0xff).isEqualTo(0x06);
    assertThat(b.getInt(4)).isEqualTo(7);
    assertThat(b.get(11)).isEqualTo((byte) 6);
    assertThat(ArpFrames.hardwareAddress(b)).isEqualTo(ArpFrames.broadcast());
  }

  @Test
  void aBurstSendsCountTimesAndACancelStopsIt() throws Exception {
    List<String> sent = new CopyOnWriteArrayList<>();
    try (Announcer a =
        new Announcer(
            (i, n, v) -> sent.add(n + " " + v.getHostAddress()), 3, Duration.ofMillis(50))) {
      a.announce(2, "eth0", InetAddress.getByName("10.0.0.9"));
      Thread.sleep(400);
      assertThat(sent).containsExactly("eth0 10.0.0.9", "eth0 10.0.0.9", "eth0 10.0.0.9");
      sent.clear();
      a.announce(2, "eth0", InetAddress.getByName("10.0.0.9"));
      a.cancel(InetAddress.getByName("10.0.0.9"));
      Thread.sleep(200);
      assertThat(sent).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void aFailingSendIsLoggedNotThrown() throws Exception {
    try (Announcer a =
        new Announcer(
            (i, n, v) -> {
              throw new java.io.IOException("Operation not permitted (errno 1)");
            },
            1,
            Duration.ofMillis(10))) {
      a.announce(2, "eth0", InetAddress.getByName("10.0.0.9"));
      Thread.sleep(100);
    }
  }
}
