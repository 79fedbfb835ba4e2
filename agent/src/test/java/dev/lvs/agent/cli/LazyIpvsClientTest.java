package dev.lvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.state.Ips;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 13: the IPVS family id is resolved once per socket. After a module reload every
 * request with the old id gets ENOENT, and after a timeout in the middle of a dump the socket
 * answers EBUSY: the client must open a new socket (and resolve the family again).
 */
class LazyIpvsClientTest {
  static final ServiceKey KEY = ServiceKey.of(6, Ips.literal("172.16.58.1"), 80);
  static final IpvsService SERVICE = new IpvsService(KEY, "wrr", 0, 0, 0xffffffff);

  final FakeIpvsClient kernel = new FakeIpvsClient();
  final Deque<IpvsClient> sockets = new ArrayDeque<>();
  final List<String> closed = new ArrayList<>();
  int opened;

  LazyIpvsClient client() {
    return new LazyIpvsClient(
        () -> {
          opened++;
          return sockets.isEmpty() ? kernel : sockets.pop();
        });
  }

  /** A socket whose every request fails with {@code error}. */
  IpvsClient broken(String name, IOException error) {
    return (IpvsClient)
        Proxy.newProxyInstance(
            IpvsClient.class.getClassLoader(),
            new Class<?>[] {IpvsClient.class},
            (proxy, m, args) -> {
              if (m.getName().equals("close")) {
                closed.add(name);
                return null;
              }
              throw error;
            });
  }

  static NetlinkException errno(int errno) {
    return new NetlinkException("IPVS GET_SERVICE (dump)", errno, null);
  }

  @Test
  void afterAModuleReloadTheFamilyIsResolvedAgain() throws IOException {
    kernel.addService(SERVICE);
    sockets.push(broken("stale family id", errno(NetlinkException.ENOENT)));
    LazyIpvsClient c = client();

    assertThat(c.listServices()).hasSize(1);
    assertThat(opened).isEqualTo(2);
    assertThat(closed).containsExactly("stale family id");
    assertThat(c.listServices()).hasSize(1);
    assertThat(opened).isEqualTo(2); // the new socket is kept
  }

  @Test
  void aSocketLeftInADumpIsReplaced() throws IOException {
    kernel.addService(SERVICE);
    sockets.push(broken("dump in progress", errno(NetlinkException.EBUSY)));
    assertThat(client().getService(KEY)).isPresent();
    assertThat(closed).containsExactly("dump in progress");
  }

  @Test
  void aChangeRefusedWithEnoentIsSentAgainOnTheNewSocket() throws IOException {
    sockets.push(broken("stale family id", errno(NetlinkException.ENOENT)));
    client().addService(SERVICE);
    assertThat(kernel.services()).containsKey(KEY);
  }

  @Test
  void aChangeWhoseReplyWasGarbledIsNotSentTwiceButTheSocketIsReplaced() throws IOException {
    sockets.push(broken("garbled", new NetlinkProtocolException("truncated attribute")));
    LazyIpvsClient c = client();
    assertThatThrownBy(() -> c.addService(SERVICE)).isInstanceOf(NetlinkProtocolException.class);
    assertThat(kernel.services()).isEmpty();
    assertThat(closed).containsExactly("garbled");
    c.addService(SERVICE);
    assertThat(kernel.services()).containsKey(KEY);
  }

  @Test
  void aRefusalThatSaysNothingAboutTheSocketKeepsIt() {
    sockets.push(broken("refuses", errno(NetlinkException.EINVAL)));
    LazyIpvsClient c = client();
    assertThatThrownBy(() -> c.addService(SERVICE)).hasMessageContaining("EINVAL");
    assertThatThrownBy(c::listServices).hasMessageContaining("EINVAL");
    assertThat(opened).isEqualTo(1);
    assertThat(closed).isEmpty();
  }
}
