package dev.lvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.netlink.genl.GenericNetlink;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.genl.ipvs.IpvsCodec;
import dev.lvs.agent.netlink.genl.ipvs.IpvsConstants;
import dev.lvs.agent.netlink.rtnl.Rtnl;
import dev.lvs.agent.netlink.rtnl.RtnlCodec;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import dev.lvs.agent.netlink.wire.NetlinkChannel;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input: valid messages mutated (bit flips, random lengths, truncation, splices) and pure
 * noise, fed to every decoder. The only acceptable failure is a {@link NetlinkProtocolException}
 * (never an IndexOutOfBounds, BufferUnderflow, IllegalArgument, NullPointer or a hang).
 */
class DecoderFuzzTest {
  private static final int ROUNDS = 20_000;

  private static List<byte[]> seeds() throws Exception {
    List<MessageBuilder> b = new ArrayList<>();
    ServiceKey key = ServiceKey.of(6, InetAddress.getByName("172.16.58.1"), 80);
    b.add(IpvsCodec.newService(0x20, new IpvsService(key, "wlc", 1, 300, 0xffffff00)));
    b.add(
        IpvsCodec.newService(
            0x20,
            new IpvsService(
                ServiceKey.of(17, InetAddress.getByName("2001:db8::1"), 53), "rr", 0, 0, 128)));
    b.add(
        IpvsCodec.newService(
            0x20, new IpvsService(ServiceKey.fwmark(2, 5), "sh", 0, 0, 0xffffffff)));
    b.add(
        IpvsCodec.newDestination(
            0x20,
            key,
            new IpvsDestination(
                InetAddress.getByName("172.16.58.7"),
                80,
                ForwardMethod.DIRECT_ROUTE,
                70000,
                1,
                2)));
    b.add(
        IpvsCodec.newDestination(
            0x20,
            key,
            new IpvsDestination(
                InetAddress.getByName("2001:db8::7"), 80, ForwardMethod.TUNNEL, 1, 0, 0)));
    b.add(IpvsCodec.setConfig(0x20, new IpvsTimeouts(900, 120, 300)));
    b.add(
        GenlMessage.request(0x20, IpvsConstants.IPVS_CMD_SET_INFO, 1)
            .putU32(IpvsConstants.IPVS_INFO_ATTR_VERSION, 0x010201)
            .putU32(IpvsConstants.IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096));
    b.add(dev.lvs.agent.netlink.genl.GenericNetlinkTest.family(0x20, "IPVS", 1, 6));
    b.add(
        new MessageBuilder(Rtnl.RTM_NEWLINK, 0)
            .u32(0)
            .u32(1)
            .u32(0x49)
            .u32(0)
            .putString(Rtnl.IFLA_IFNAME, "lo")
            .putU32(Rtnl.IFLA_MTU, 65536));
    b.add(
        retype(
            RtnlCodec.newAddress(IfAddress.host(1, InetAddress.getByName("10.0.0.1"), "lo:lvs"))));
    b.add(
        retype(
            RtnlCodec.newAddress(IfAddress.host(1, InetAddress.getByName("2001:db8::1"), null))));
    List<byte[]> out = new ArrayList<>();
    for (MessageBuilder m : b) {
      ByteBuffer bb = m.build(1, 0);
      byte[] a = new byte[bb.remaining()];
      bb.get(a);
      out.add(a);
    }
    return out;
  }

  private static MessageBuilder retype(MessageBuilder request) {
    ByteBuffer body = request.build(0, 0).position(Netlink.NLMSG_HDRLEN);
    byte[] b = new byte[body.remaining()];
    body.get(b);
    return new MessageBuilder(Rtnl.RTM_NEWADDR, 0).raw(b);
  }

  private static byte[] mutate(byte[] seed, Random r) {
    byte[] m = seed.clone();
    switch (r.nextInt(7)) {
      case 0 -> { // bit flips
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> { // a random 16-bit length somewhere (nla_len / parts of nlmsg_len)
        int at = r.nextInt(m.length - 1) & ~1;
        int v = r.nextInt(8) == 0 ? r.nextInt(4) : r.nextInt(0x10000);
        m[at] = (byte) v;
        m[at + 1] = (byte) (v >> 8);
      }
      case 2 -> { // truncation, with nlmsg_len kept or fixed up
        m = java.util.Arrays.copyOf(m, r.nextInt(m.length + 1));
        if (m.length >= 4 && r.nextBoolean()) {
          ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putInt(0, m.length);
        }
      }
      case 3 -> { // random bytes appended / nlmsg_len grown
        byte[] tail = new byte[r.nextInt(40)];
        r.nextBytes(tail);
        byte[] n = java.util.Arrays.copyOf(m, m.length + tail.length);
        System.arraycopy(tail, 0, n, m.length, tail.length);
        if (r.nextBoolean()) {
          ByteBuffer.wrap(n).order(ByteOrder.nativeOrder()).putInt(0, n.length);
        }
        m = n;
      }
      case 4 -> { // overwrite a random window
        int at = r.nextInt(m.length);
        for (int i = at; i < Math.min(m.length, at + 1 + r.nextInt(12)); i++) {
          m[i] = (byte) r.nextInt();
        }
      }
      case 5 -> { // pure noise
        m = new byte[r.nextInt(200)];
        r.nextBytes(m);
      }
      default -> { // noise with a plausible header
        m = new byte[16 + r.nextInt(200)];
        r.nextBytes(m);
        ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putInt(0, m.length);
      }
    }
    return m;
  }

  @FunctionalInterface
  interface Decoder {
    Object decode(NetlinkMessage m) throws Exception;
  }

  private static final List<Decoder> DECODERS =
      List.of(
          IpvsCodec::decodeService,
          m -> IpvsCodec.decodeDestination(m, ServiceKey.AF_INET),
          m -> IpvsCodec.decodeDestination(m, ServiceKey.AF_INET6),
          IpvsCodec::decodeInfo,
          IpvsCodec::decodeTimeouts,
          GenericNetlink::parseFamily,
          m -> RtnlCodec.decodeLink(new NetlinkMessage(Rtnl.RTM_NEWLINK, 0, 0, 0, m.payload())),
          m -> RtnlCodec.decodeAddress(new NetlinkMessage(Rtnl.RTM_NEWADDR, 0, 0, 0, m.payload())));

  private static void expectOnlyProtocolErrors(ThrowingAction a, byte[] input) {
    try {
      a.run();
    } catch (NetlinkProtocolException expected) {
      // fine
    } catch (Throwable t) {
      fail("decoder threw " + t + " for input " + Hex.of(input), t);
    }
  }

  interface ThrowingAction {
    void run() throws Exception;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyDecoderSurvivesMutatedAndRandomInput() throws Exception {
    Random r = new Random(0x1b5);
    List<byte[]> seeds = seeds();
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
      ByteBuffer datagram = ByteBuffer.wrap(input).order(ByteOrder.nativeOrder());
      List<NetlinkMessage> msgs;
      try {
        msgs = NetlinkMessage.parseAll(datagram);
      } catch (NetlinkProtocolException e) {
        refused++;
        continue;
      } catch (Throwable t) {
        fail("parseAll threw " + t + " for input " + Hex.of(input), t);
        return;
      }
      for (NetlinkMessage m : msgs) {
        for (Decoder d : DECODERS) {
          expectOnlyProtocolErrors(() -> d.decode(m), input);
        }
        decoded++;
      }
    }
    // The mutations must reach the decoders, not just the header check.
    assertThat(decoded).isGreaterThan(ROUNDS / 2);
    assertThat(refused).isPositive();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theChannelSurvivesHostileReplies() throws Exception {
    Random r = new Random(0x2c6);
    List<byte[]> seeds = seeds();
    for (int round = 0; round < 5_000; round++) {
      byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
      int kind = r.nextInt(3);
      ScriptedTransport kernel = new ScriptedTransport();
      NetlinkChannel channel = new NetlinkChannel(kernel, 1);
      // The same garbage for every attempt (a DUMP_INTR flag in it makes the channel retry).
      ScriptedTransport.Responder garbage =
          req -> {
            ByteBuffer b = ByteBuffer.wrap(input.clone()).order(ByteOrder.nativeOrder());
            if (b.remaining() >= 16) {
              b.putInt(8, req.seq()); // make it ours so it is processed
              if (kind == 1) {
                b.putShort(4, (short) Netlink.NLMSG_ERROR);
              } else if (kind == 2) {
                b.putShort(4, (short) Netlink.NLMSG_DONE);
              }
            }
            return List.of(b);
          };
      for (int i = 0; i < NetlinkChannel.MAX_DUMP_ATTEMPTS; i++) {
        kernel.then(garbage);
      }
      try {
        if (r.nextBoolean()) {
          channel.execute(new MessageBuilder(0x20, 0), "op");
        } else {
          channel.dump(new MessageBuilder(0x20, 0), "op");
        }
      } catch (NetlinkException expected) {
        // protocol error, kernel error from garbage, or EAGAIN when no ack ever comes
      } catch (Throwable t) {
        fail("channel threw " + t + " for input " + Hex.of(input), t);
      }
    }
  }
}
