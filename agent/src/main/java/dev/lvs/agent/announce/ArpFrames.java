package dev.lvs.agent.announce;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Gratuitous ARP payloads (RFC 826 with RFC 5227's announcement form), pure. The Ethernet header is
 * the kernel's: the packet socket is SOCK_DGRAM and the destination is the broadcast address.
 */
public final class ArpFrames {
  public static final int ETH_P_ARP = 0x0806;
  static final int HTYPE_ETHERNET = 1;
  static final int PTYPE_IPV4 = 0x0800;
  public static final int REQUEST = 1;
  public static final int REPLY = 2;
  public static final int LENGTH = 28;

  private ArpFrames() {}

  /**
   * A gratuitous ARP for {@code vip} from {@code mac}: sender and target protocol address both the
   * VIP. As a request the target hardware address is zero (the RFC 5227 announcement), as a reply
   * it is the broadcast address. Linux updates an existing neighbour entry from either (arp.c:
   * {@code is_garp} overrides the lock time); some other stacks heed only one of them, which is why
   * a burst sends both.
   */
  public static byte[] gratuitous(int op, byte[] mac, Inet4Address vip) {
    if (mac.length != 6) {
      throw new IllegalArgumentException("an Ethernet address has 6 bytes, not " + mac.length);
    }
    if (op != REQUEST && op != REPLY) {
      throw new IllegalArgumentException("ARP op must be 1 (request) or 2 (reply): " + op);
    }
    byte[] ip = vip.getAddress();
    ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.BIG_ENDIAN);
    b.putShort((short) HTYPE_ETHERNET);
    b.putShort((short) PTYPE_IPV4);
    b.put((byte) 6);
    b.put((byte) 4);
    b.putShort((short) op);
    b.put(mac);
    b.put(ip);
    b.put(op == REQUEST ? new byte[6] : broadcast());
    b.put(ip);
    return b.array();
  }

  public static byte[] broadcast() {
    return new byte[] {
      (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff
    };
  }

  /** {@code sockaddr_ll} for {@code ifindex}: family AF_PACKET, protocol ARP, 6-byte address. */
  static ByteBuffer sockaddrLl(int ifindex, byte[] address) {
    ByteBuffer b = ByteBuffer.allocateDirect(20).order(ByteOrder.nativeOrder());
    b.putShort((short) PacketSocket.AF_PACKET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) ETH_P_ARP);
    b.order(ByteOrder.nativeOrder()).putInt(ifindex);
    b.putShort((short) 1); // sll_hatype ARPHRD_ETHER (ignored on send)
    b.put((byte) 0); // sll_pkttype
    b.put((byte) (address == null ? 0 : address.length));
    byte[] a = new byte[8];
    if (address != null) {
      System.arraycopy(address, 0, a, 0, address.length);
    }
    b.put(a);
    b.flip();
    return b;
  }

  /** The hardware address in a {@code sockaddr_ll} as getsockname fills it. */
  static byte[] hardwareAddress(ByteBuffer sll) {
    int len = sll.get(11) & 0xff;
    byte[] mac = new byte[Math.min(len, 8)];
    for (int i = 0; i < mac.length; i++) {
      mac[i] = sll.get(12 + i);
    }
    return mac;
  }
}
