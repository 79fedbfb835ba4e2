package dev.lvs.agent.netlink.wire;

import static dev.lvs.agent.netlink.FakeKernel.ack;
import static dev.lvs.agent.netlink.FakeKernel.datagram;
import static dev.lvs.agent.netlink.FakeKernel.done;
import static dev.lvs.agent.netlink.FakeKernel.error;
import static dev.lvs.agent.netlink.FakeKernel.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.netlink.FakeKernel;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.ScriptedTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetlinkChannelTest {
  private final ScriptedTransport kernel = new ScriptedTransport();
  private final NetlinkChannel channel = new NetlinkChannel(kernel, 100);

  private static MessageBuilder request() {
    return new MessageBuilder(0x20, 0).putU32(1, 7);
  }

  private static MessageBuilder data(int value) {
    return new MessageBuilder(0x20, 0).putU32(1, value);
  }

  private static int value(NetlinkMessage m) throws Exception {
    return AttributeReader.parse(m.body(), "t").u32(1);
  }

  @Test
  void executeWaitsForTheAckAndSetsRequestAndAckFlags() throws Exception {
    kernel.then(req -> List.of(datagram(ack(req))));
    assertThat(channel.execute(request(), "op")).isEmpty();
    NetlinkMessage sent = kernel.lastSent();
    assertThat(sent.flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
    assertThat(sent.seq()).isEqualTo(100);
  }

  @Test
  void executeReturnsTheRepliesBeforeTheAck() throws Exception {
    kernel.then(req -> List.of(datagram(reply(req, data(5), 0)), datagram(ack(req))));
    List<NetlinkMessage> replies = channel.execute(request(), "op");
    assertThat(replies).hasSize(1);
    assertThat(value(replies.get(0))).isEqualTo(5);
  }

  @Test
  void sequenceNumbersAdvanceAndStaleRepliesAreSkipped() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(error(req.seq() - 1, 0x20, NetlinkException.EEXIST, null)),
                datagram(reply(req, data(1), 0), ack(req))));
    assertThat(channel.execute(request(), "op")).hasSize(1);
    kernel.then(req -> List.of(datagram(ack(req))));
    channel.execute(request(), "op");
    assertThat(kernel.sent()).extracting(NetlinkMessage::seq).containsExactly(100, 101);
  }

  @Test
  void kernelErrorsCarryErrnoOperationAndExtAck() {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EEXIST, "File exists here"))));
    assertThatThrownBy(() -> channel.execute(request(), "IPVS NEW_SERVICE TCP 10.0.0.1:80"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST);
              assertThat(e.isExists()).isTrue();
              assertThat(e.operation()).isEqualTo("IPVS NEW_SERVICE TCP 10.0.0.1:80");
              assertThat(e.detail()).isEqualTo("File exists here");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "IPVS NEW_SERVICE TCP 10.0.0.1:80: EEXIST (already exists) (File exists here)");
            });
  }

  @Test
  void extAckAfterAnUncappedEchoOfTheRequestIsFound() {
    kernel.then(
        req -> {
          // NLMSG_ERROR without NLM_F_CAPPED: the whole request is echoed before the TLVs.
          ByteBuffer orig = kernel.sentBytes().get(0);
          byte[] echoed = new byte[orig.remaining()];
          orig.duplicate().get(echoed);
          MessageBuilder b =
              new MessageBuilder(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS)
                  .u32(-NetlinkException.EINVAL)
                  .raw(echoed)
                  .pad()
                  .putString(Netlink.NLMSGERR_ATTR_MSG, "missing attribute")
                  .putU32(Netlink.NLMSGERR_ATTR_OFFS, 20);
          return List.of(datagram(b.build(req.seq(), 1)));
        });
    assertThatThrownBy(() -> channel.execute(request(), "op"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EINVAL);
              assertThat(e.detail()).isEqualTo("missing attribute");
            });
  }

  @Test
  void errorsWithoutExtAckAndCommonErrnos() {
    for (int errno :
        new int[] {
          NetlinkException.EPERM,
          NetlinkException.ESRCH,
          NetlinkException.ENOENT,
          NetlinkException.EINVAL
        }) {
      kernel.then(req -> List.of(datagram(error(req, errno, null))));
      assertThatThrownBy(() -> channel.execute(request(), "op"))
          .isInstanceOfSatisfying(
              NetlinkException.class,
              e -> {
                assertThat(e.errno()).isEqualTo(errno);
                assertThat(e.detail()).isNull();
              });
    }
  }

  @Test
  void dumpCollectsMultipartMessagesAcrossDatagramsUntilDone() throws Exception {
    kernel.then(
        FakeKernel.dumpOf(
            req -> {
              List<List<MessageBuilder>> parts = new ArrayList<>();
              int v = 0;
              for (int d = 0; d < 4; d++) {
                List<MessageBuilder> part = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                  part.add(data(v++));
                }
                parts.add(part);
              }
              return parts;
            }));
    List<NetlinkMessage> all = channel.dump(request(), "dump");
    assertThat(all).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(value(all.get(i))).isEqualTo(i);
    }
    assertThat(kernel.lastSent().flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
  }

  @Test
  void emptyDump() throws Exception {
    kernel.then(FakeKernel.dumpOf(req -> List.of()));
    assertThat(channel.dump(request(), "dump")).isEmpty();
  }

  @Test
  void errorInsideDoneIsThrown() {
    kernel.then(
        req ->
            List.of(
                datagram(reply(req, data(1), Netlink.NLM_F_MULTI)),
                datagram(FakeKernel.doneWithError(req, NetlinkException.EINVAL, "bad filter"))));
    assertThatThrownBy(() -> channel.dump(request(), "RTM_GETADDR (dump)"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EINVAL);
              assertThat(e.detail()).isEqualTo("bad filter");
              assertThat(e.operation()).isEqualTo("RTM_GETADDR (dump)");
            });
  }

  @Test
  void dumpAnsweredByAnErrorIsThrown() {
    kernel.then(req -> List.of(datagram(error(req, NetlinkException.EPERM, null))));
    assertThatThrownBy(() -> channel.dump(request(), "dump"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.isPermissionDenied()).isTrue());
  }

  @Test
  void interruptedDumpIsRetriedAndTheCleanOneReturned() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(reply(req, data(1), Netlink.NLM_F_MULTI)),
                datagram(
                    reply(req, data(2), Netlink.NLM_F_MULTI | Netlink.NLM_F_DUMP_INTR),
                    done(req))));
    kernel.then(req -> List.of(datagram(reply(req, data(1), Netlink.NLM_F_MULTI), done(req))));
    List<NetlinkMessage> all = channel.dump(request(), "dump");
    assertThat(all).hasSize(1);
    assertThat(kernel.sent()).hasSize(2);
    assertThat(kernel.sent().get(1).seq()).isNotEqualTo(kernel.sent().get(0).seq());
  }

  @Test
  void dumpInterruptedEveryTimeGivesUpWithEINTR() {
    for (int i = 0; i < NetlinkChannel.MAX_DUMP_ATTEMPTS; i++) {
      kernel.then(
          req ->
              List.of(
                  datagram(
                      reply(req, data(1), Netlink.NLM_F_MULTI | Netlink.NLM_F_DUMP_INTR),
                      done(req))));
    }
    assertThatThrownBy(() -> channel.dump(request(), "RTM_GETLINK (dump)"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EINTR);
              assertThat(e.detail()).contains("NLM_F_DUMP_INTR");
            });
    assertThat(kernel.unusedResponders()).isZero();
  }

  @Test
  void receiveTimeoutIsSurfacedWithTheOperation() {
    kernel.then(req -> List.of());
    assertThatThrownBy(() -> channel.execute(request(), "IPVS GET_INFO"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EAGAIN);
              assertThat(e.operation()).isEqualTo("IPVS GET_INFO");
              assertThat(e.getMessage()).contains("no reply from the kernel");
            });
  }

  @Test
  void enobufsIsSurfacedSoCallersReList() {
    kernel.then(
        req -> {
          throw new NetlinkException(
              "netlink receive", NetlinkException.ENOBUFS, "receive buffer overrun");
        });
    assertThatThrownBy(() -> channel.dump(request(), "IPVS GET_SERVICE (dump)"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.ENOBUFS);
              assertThat(e.operation()).isEqualTo("IPVS GET_SERVICE (dump)");
            });
  }

  @Test
  void overrunMessageIsENOBUFS() {
    kernel.then(
        req -> List.of(datagram(new MessageBuilder(Netlink.NLMSG_OVERRUN, 0).build(req.seq(), 0))));
    assertThatThrownBy(() -> channel.dump(request(), "dump"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(NetlinkException.ENOBUFS));
  }

  @Test
  void garbageIsAProtocolError() {
    kernel.then(
        req -> {
          ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
          b.putInt(0, 1000).putInt(8, req.seq());
          return List.of(b);
        });
    assertThatThrownBy(() -> channel.execute(request(), "op"))
        .isInstanceOf(NetlinkProtocolException.class)
        .hasMessageContaining("nlmsg_len 1000");
  }

  @Test
  void positiveErrorIsAProtocolError() {
    kernel.then(req -> List.of(datagram(error(req, -5, null))));
    assertThatThrownBy(() -> channel.execute(request(), "op"))
        .isInstanceOf(NetlinkProtocolException.class);
  }

  @Test
  void closeClosesTheTransport() {
    channel.close();
    assertThat(kernel.isClosed()).isTrue();
  }
}
