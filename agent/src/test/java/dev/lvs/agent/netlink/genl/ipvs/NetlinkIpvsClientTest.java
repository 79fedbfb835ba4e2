package dev.lvs.agent.netlink.genl.ipvs;

import static dev.lvs.agent.netlink.FakeKernel.ack;
import static dev.lvs.agent.netlink.FakeKernel.datagram;
import static dev.lvs.agent.netlink.FakeKernel.error;
import static dev.lvs.agent.netlink.FakeKernel.reply;
import static dev.lvs.agent.netlink.genl.ipvs.IpvsConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.netlink.FakeKernel;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.ScriptedTransport;
import dev.lvs.agent.netlink.genl.GenericNetlinkTest;
import dev.lvs.agent.netlink.genl.GenlMessage;
import dev.lvs.agent.netlink.wire.MessageBuilder;
import dev.lvs.agent.netlink.wire.Netlink;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted kernel: commands sent, replies decoded, errors mapped. */
class NetlinkIpvsClientTest {
  static final int ID = 0x23;
  final ScriptedTransport kernel = new ScriptedTransport();
  NetlinkIpvsClient ipvs;
  ServiceKey key;
  IpvsService svc;
  IpvsDestination dest;

  @BeforeEach
  void resolve() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(reply(req, GenericNetlinkTest.family(ID, "IPVS", 1, 6), 0), ack(req))));
    ipvs = new NetlinkIpvsClient(kernel);
    key = ServiceKey.of(ServiceKey.IPPROTO_TCP, InetAddress.getByName("172.16.58.1"), 80);
    svc = new IpvsService(key, "wlc", 0, 0, 0xffffffff);
    dest =
        new IpvsDestination(
            InetAddress.getByName("172.16.58.7"), 80, ForwardMethod.DIRECT_ROUTE, 70000, 0, 0);
  }

  private GenlMessage lastCommand() throws Exception {
    NetlinkMessage m = kernel.lastSent();
    assertThat(m.type()).isEqualTo(ID);
    return GenlMessage.parse(m, "sent");
  }

  @Test
  void resolvedTheDynamicFamilyId() {
    assertThat(ipvs.family().id()).isEqualTo(ID);
    assertThat(ipvs.family().version()).isEqualTo(1);
  }

  @Test
  void addUpdateDeleteSendTheRightCommandsAndWaitForAcks() throws Exception {
    for (int i = 0; i < 7; i++) {
      kernel.then(req -> List.of(datagram(ack(req))));
    }
    ipvs.addService(svc);
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_NEW_SERVICE);
    assertThat(kernel.lastSent().flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
    assertThat(IpvsCodec.decodeService(kernel.lastSent()).service()).isEqualTo(svc);
    ipvs.updateService(svc);
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_SET_SERVICE);
    ipvs.addDestination(key, dest);
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_NEW_DEST);
    assertThat(IpvsCodec.decodeDestination(kernel.lastSent(), 2).destination()).isEqualTo(dest);
    ipvs.updateDestination(key, dest);
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_SET_DEST);
    ipvs.deleteDestination(key, dest.key());
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_DEL_DEST);
    ipvs.deleteService(key);
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_DEL_SERVICE);
    assertThat(
            lastCommand().attributes().nested(IPVS_CMD_ATTR_SERVICE).has(IPVS_SVC_ATTR_SCHED_NAME))
        .isFalse();
    ipvs.setTimeouts(new IpvsTimeouts(900, 120, 300));
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_SET_CONFIG);
  }

  private void failsWith(int errno, ThrowingRunnable call, String operation) {
    kernel.then(req -> List.of(datagram(error(req, errno, null))));
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(errno);
              assertThat(e.operation()).isEqualTo(operation);
            });
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void errorsNameTheCommandAndTheObjects() {
    failsWith(
        NetlinkException.EEXIST, () -> ipvs.addService(svc), "IPVS NEW_SERVICE TCP 172.16.58.1:80");
    failsWith(
        NetlinkException.ESRCH,
        () -> ipvs.updateService(svc),
        "IPVS SET_SERVICE TCP 172.16.58.1:80");
    failsWith(
        NetlinkException.ESRCH,
        () -> ipvs.deleteService(key),
        "IPVS DEL_SERVICE TCP 172.16.58.1:80");
    failsWith(
        NetlinkException.EEXIST,
        () -> ipvs.addDestination(key, dest),
        "IPVS NEW_DEST TCP 172.16.58.1:80 -> 172.16.58.7:80");
    failsWith(
        NetlinkException.ENOENT,
        () -> ipvs.updateDestination(key, dest),
        "IPVS SET_DEST TCP 172.16.58.1:80 -> 172.16.58.7:80");
    failsWith(
        NetlinkException.ENOENT,
        () -> ipvs.deleteDestination(key, dest.key()),
        "IPVS DEL_DEST TCP 172.16.58.1:80 -> 172.16.58.7:80");
    failsWith(NetlinkException.EPERM, () -> ipvs.info(), "IPVS GET_INFO");
    failsWith(
        NetlinkException.EINVAL,
        () -> ipvs.setTimeouts(new IpvsTimeouts(1, 1, 1)),
        "IPVS SET_CONFIG IpvsTimeouts[tcp=1, tcpFin=1, udp=1]");
  }

  @Test
  void ipv6DestinationsAreBracketedInOperations() throws Exception {
    ServiceKey v6 = ServiceKey.of(ServiceKey.IPPROTO_UDP, InetAddress.getByName("2001:db8::1"), 53);
    IpvsDestination d6 =
        new IpvsDestination(
            InetAddress.getByName("2001:db8::7"), 53, ForwardMethod.TUNNEL, 1, 0, 0);
    failsWith(
        NetlinkException.EEXIST,
        () -> ipvs.addDestination(v6, d6),
        "IPVS NEW_DEST UDP [2001:db8:0:0:0:0:0:1]:53 -> [2001:db8:0:0:0:0:0:7]:53");
  }

  @Test
  void listsServicesFromAMultipartDumpAcrossDatagrams() throws Exception {
    Random r = new Random(1);
    List<IpvsService> want = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      want.add(IpvsCodecTest.randomService(r));
    }
    kernel.then(
        FakeKernel.dumpOf(
            req -> {
              List<List<MessageBuilder>> parts = new ArrayList<>();
              for (int i = 0; i < want.size(); i += 60) {
                List<MessageBuilder> part = new ArrayList<>();
                for (IpvsService s : want.subList(i, Math.min(want.size(), i + 60))) {
                  part.add(IpvsCodec.newService(ID, s));
                }
                parts.add(part);
              }
              return parts;
            }));
    List<ServiceEntry> got = ipvs.listServices();
    assertThat(got).extracting(ServiceEntry::service).containsExactlyElementsOf(want);
    assertThat(lastCommand().cmd()).isEqualTo(IPVS_CMD_GET_SERVICE);
    assertThat(kernel.lastSent().flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
  }

  @Test
  void listsDestinationsOfAServiceWithItsIdentityNested() throws Exception {
    long[] c = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    IpvsDestination drained =
        new IpvsDestination(
            InetAddress.getByName("172.16.58.8"), 80, ForwardMethod.DIRECT_ROUTE, 0, 0, 0);
    kernel.then(
        FakeKernel.dumpOf(
            req ->
                List.of(
                    List.of(IpvsCodecTest.kernelDest(dest, false, true, c)),
                    List.of(IpvsCodecTest.kernelDest(drained, true, false, c)))));
    List<DestinationEntry> got = ipvs.listDestinations(key);
    assertThat(got).hasSize(2);
    assertThat(got.get(0).destination()).isEqualTo(dest);
    assertThat(got.get(0).stats().connections()).isEqualTo(1);
    assertThat(got.get(1).destination().weight()).isZero();
    GenlMessage sent = lastCommand();
    assertThat(sent.cmd()).isEqualTo(IPVS_CMD_GET_DEST);
    var nested = sent.attributes().nested(IPVS_CMD_ATTR_SERVICE);
    assertThat(nested.u16(IPVS_SVC_ATTR_AF)).isEqualTo(ServiceKey.AF_INET);
    assertThat(nested.u16(IPVS_SVC_ATTR_PROTOCOL)).isEqualTo(ServiceKey.IPPROTO_TCP);
    assertThat(nested.address(IPVS_SVC_ATTR_ADDR, 4)).isEqualTo(key.address());
    assertThat(nested.be16(IPVS_SVC_ATTR_PORT)).isEqualTo(80);
    assertThat(nested.has(IPVS_SVC_ATTR_SCHED_NAME)).isFalse();
  }

  @Test
  void infoAndTimeouts() throws Exception {
    kernel.then(
        req ->
            List.of(
                datagram(
                    reply(
                        req,
                        GenlMessage.request(ID, IPVS_CMD_SET_INFO, 1)
                            .putU32(IPVS_INFO_ATTR_VERSION, 0x010201)
                            .putU32(IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096),
                        0),
                    ack(req))));
    assertThat(ipvs.info().versionString()).isEqualTo("1.2.1");
    kernel.then(
        req ->
            List.of(
                datagram(
                    reply(
                        req,
                        GenlMessage.request(ID, IPVS_CMD_SET_CONFIG, 1)
                            .putU32(IPVS_CMD_ATTR_TIMEOUT_TCP, 900)
                            .putU32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 120)
                            .putU32(IPVS_CMD_ATTR_TIMEOUT_UDP, 300),
                        0)),
                datagram(ack(req))));
    assertThat(ipvs.timeouts()).isEqualTo(new IpvsTimeouts(900, 120, 300));
  }

  @Test
  void receiveTimeoutNamesTheCommand() {
    kernel.then(req -> List.of());
    assertThatThrownBy(() -> ipvs.listServices())
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(NetlinkException.EAGAIN);
              assertThat(e.operation()).isEqualTo("IPVS GET_SERVICE (dump)");
            });
  }

  @Test
  void closeClosesTheSocket() {
    ipvs.close();
    assertThat(kernel.isClosed()).isTrue();
  }
}
