package dev.lvs.agent.netlink.genl.ipvs;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsInfo;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.ipvs.SyncDaemon;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.netlink.NetlinkSocket;
import dev.lvs.agent.netlink.NetlinkTransport;
import dev.lvs.agent.netlink.genl.GenericNetlink;
import dev.lvs.agent.netlink.genl.GenlFamily;
import dev.lvs.agent.netlink.wire.NetlinkChannel;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link IpvsClient} over generic netlink. The IPVS family id is dynamic and resolved once, when
 * the client is created; without the ip_vs module that fails with a {@link
 * dev.lvs.agent.netlink.genl.GenlFamilyNotFoundException} saying so. A module reload gives the
 * family a new id, and the old one then fails with ENOENT: the agent's {@code
 * dev.lvs.agent.cli.LazyIpvsClient} opens a new client then.
 *
 * <p>Every failure is a {@link dev.lvs.agent.netlink.NetlinkException} whose operation names the
 * command and the objects, e.g. {@code IPVS NEW_DEST TCP 172.16.58.1:80 -> 172.16.58.7:80}.
 */
public final class NetlinkIpvsClient implements IpvsClient {
  static final String MISSING_HINT =
      "IPVS is not available in this kernel: the ip_vs module is not loaded"
          + " (modprobe ip_vs) or IPVS is not built (CONFIG_IP_VS)";

  private final NetlinkChannel channel;
  private final GenlFamily family;

  /** Resolves the IPVS family over {@code transport}; closes nothing on failure. */
  public NetlinkIpvsClient(NetlinkTransport transport) throws IOException {
    this.channel = new NetlinkChannel(transport);
    this.family = GenericNetlink.resolve(channel, IpvsConstants.IPVS_GENL_NAME, MISSING_HINT);
  }

  /** Opens a NETLINK_GENERIC socket with default options and resolves the IPVS family. */
  public static NetlinkIpvsClient open() throws IOException {
    return open(NetlinkSocket.Options.defaults());
  }

  public static NetlinkIpvsClient open(NetlinkSocket.Options options) throws IOException {
    NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC, options);
    try {
      return new NetlinkIpvsClient(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  public GenlFamily family() {
    return family;
  }

  private static String op(int cmd, Object what) {
    return "IPVS " + IpvsConstants.commandName(cmd) + (what == null ? "" : " " + what);
  }

  private static String destOp(int cmd, ServiceKey service, IpvsDestination.DestinationKey d) {
    return op(cmd, service + " -> " + IpvsCodec.describe(d.address(), d.port()));
  }

  private static NetlinkMessage single(List<NetlinkMessage> replies, String op)
      throws NetlinkProtocolException {
    if (replies.isEmpty()) {
      throw new NetlinkProtocolException(op + ": the kernel acknowledged but sent no reply");
    }
    return replies.get(0);
  }

  @Override
  public IpvsInfo info() throws IOException {
    String op = op(IpvsConstants.IPVS_CMD_GET_INFO, null);
    return IpvsCodec.decodeInfo(single(channel.execute(IpvsCodec.getInfo(family.id()), op), op));
  }

  @Override
  public List<ServiceEntry> listServices() throws IOException {
    String op = op(IpvsConstants.IPVS_CMD_GET_SERVICE, "(dump)");
    List<ServiceEntry> out = new ArrayList<>();
    for (NetlinkMessage m : channel.dump(IpvsCodec.getServices(family.id()), op)) {
      out.add(IpvsCodec.decodeService(m));
    }
    return out;
  }

  /**
   * GET_SERVICE without NLM_F_DUMP: the kernel (ip_vs_genl_get_cmd) looks the key up under its
   * mutex and answers one NEW_SERVICE message, or ESRCH when there is no such service.
   */
  @Override
  public Optional<IpvsService> getService(ServiceKey key) throws IOException {
    String op = op(IpvsConstants.IPVS_CMD_GET_SERVICE, key);
    List<NetlinkMessage> replies;
    try {
      replies = channel.execute(IpvsCodec.getService(family.id(), key), op);
    } catch (NetlinkException e) {
      // ESRCH only: ENOENT here is a stale family id (a module reload), not a missing service.
      if (e.errno() == NetlinkException.ESRCH && !(e instanceof NetlinkProtocolException)) {
        return Optional.empty();
      }
      throw e;
    }
    return Optional.of(IpvsCodec.decodeService(single(replies, op)).service());
  }

  @Override
  public void addService(IpvsService service) throws IOException {
    channel.execute(
        IpvsCodec.newService(family.id(), service),
        op(IpvsConstants.IPVS_CMD_NEW_SERVICE, service.key()));
  }

  @Override
  public void updateService(IpvsService service) throws IOException {
    channel.execute(
        IpvsCodec.setService(family.id(), service),
        op(IpvsConstants.IPVS_CMD_SET_SERVICE, service.key()));
  }

  @Override
  public void deleteService(ServiceKey key) throws IOException {
    channel.execute(
        IpvsCodec.delService(family.id(), key), op(IpvsConstants.IPVS_CMD_DEL_SERVICE, key));
  }

  /**
   * Lists a service's destinations. The kernel answers a dump for a missing service with an empty
   * list, not an error.
   */
  @Override
  public List<DestinationEntry> listDestinations(ServiceKey service) throws IOException {
    String op = op(IpvsConstants.IPVS_CMD_GET_DEST, service + " (dump)");
    List<DestinationEntry> out = new ArrayList<>();
    for (NetlinkMessage m : channel.dump(IpvsCodec.getDestinations(family.id(), service), op)) {
      out.add(IpvsCodec.decodeDestination(m, service.family()));
    }
    return out;
  }

  @Override
  public void addDestination(ServiceKey service, IpvsDestination destination) throws IOException {
    channel.execute(
        IpvsCodec.newDestination(family.id(), service, destination),
        destOp(IpvsConstants.IPVS_CMD_NEW_DEST, service, destination.key()));
  }

  @Override
  public void updateDestination(ServiceKey service, IpvsDestination destination)
      throws IOException {
    channel.execute(
        IpvsCodec.setDestination(family.id(), service, destination),
        destOp(IpvsConstants.IPVS_CMD_SET_DEST, service, destination.key()));
  }

  @Override
  public void deleteDestination(ServiceKey service, IpvsDestination.DestinationKey destination)
      throws IOException {
    channel.execute(
        IpvsCodec.delDestination(family.id(), service, destination),
        destOp(IpvsConstants.IPVS_CMD_DEL_DEST, service, destination));
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    String op = op(IpvsConstants.IPVS_CMD_GET_CONFIG, null);
    return IpvsCodec.decodeTimeouts(
        single(channel.execute(IpvsCodec.getConfig(family.id()), op), op));
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    channel.execute(
        IpvsCodec.setConfig(family.id(), timeouts),
        op(IpvsConstants.IPVS_CMD_SET_CONFIG, timeouts));
  }

  @Override
  public List<SyncDaemon> daemons() throws IOException {
    String op = op(IpvsConstants.IPVS_CMD_GET_DAEMON, "(dump)");
    List<SyncDaemon> out = new ArrayList<>();
    for (NetlinkMessage m : channel.dump(SyncDaemonCodec.getDaemons(family.id()), op)) {
      out.add(SyncDaemonCodec.decodeDaemon(m));
    }
    return out;
  }

  @Override
  public void startDaemon(SyncDaemon daemon) throws IOException {
    int cmd = IpvsConstants.IPVS_CMD_NEW_DAEMON;
    String op = op(cmd, daemon.describe());
    try {
      channel.execute(SyncDaemonCodec.newDaemon(family.id(), daemon), op);
    } catch (NetlinkException e) {
      throw explained(e, cmd, daemon.interfaceName(), daemon.state());
    }
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) throws IOException {
    int cmd = IpvsConstants.IPVS_CMD_DEL_DAEMON;
    String op = op(cmd, state.name().toLowerCase(java.util.Locale.ROOT));
    try {
      channel.execute(SyncDaemonCodec.delDaemon(family.id(), state), op);
    } catch (NetlinkException e) {
      throw explained(e, cmd, null, state);
    }
  }

  /** The kernel's errno with what it means for a sync daemon; protocol errors pass unchanged. */
  private static NetlinkException explained(
      NetlinkException e, int cmd, String interfaceName, SyncDaemon.State state) {
    String why = SyncDaemonCodec.explain(cmd, e.errno(), interfaceName, state);
    if (why == null || e instanceof NetlinkProtocolException) {
      return e;
    }
    String detail = e.detail() == null || e.detail().isEmpty() ? why : why + "; " + e.detail();
    NetlinkException out = new NetlinkException(e.operation(), e.errno(), detail);
    out.initCause(e);
    return out;
  }

  @Override
  public void close() {
    channel.close();
  }
}
