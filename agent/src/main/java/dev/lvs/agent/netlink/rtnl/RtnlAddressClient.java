package dev.lvs.agent.netlink.rtnl;

import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkSocket;
import dev.lvs.agent.netlink.NetlinkTransport;
import dev.lvs.agent.netlink.wire.NetlinkChannel;
import dev.lvs.agent.netlink.wire.NetlinkMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link AddressClient} over rtnetlink (NETLINK_ROUTE). */
public final class RtnlAddressClient implements AddressClient {
  private final NetlinkChannel channel;

  public RtnlAddressClient(NetlinkTransport transport) {
    this.channel = new NetlinkChannel(transport);
  }

  public static RtnlAddressClient open() throws IOException {
    return open(NetlinkSocket.Options.defaults());
  }

  public static RtnlAddressClient open(NetlinkSocket.Options options) throws IOException {
    return new RtnlAddressClient(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, options));
  }

  @Override
  public List<Link> links() throws IOException {
    List<Link> out = new ArrayList<>();
    for (NetlinkMessage m : channel.dump(RtnlCodec.getLinks(), "RTM_GETLINK (dump)")) {
      if (m.type() == Rtnl.RTM_NEWLINK) {
        out.add(RtnlCodec.decodeLink(m));
      }
    }
    return out;
  }

  @Override
  public Optional<Link> link(String name) throws IOException {
    return one(channel, RtnlCodec.getLink(name), "RTM_GETLINK " + name);
  }

  @Override
  public Optional<Link> link(int index) throws IOException {
    if (index <= 0) {
      return Optional.empty();
    }
    return one(channel, RtnlCodec.getLink(index), "RTM_GETLINK index " + index);
  }

  private static Optional<Link> one(
      NetlinkChannel channel, dev.lvs.agent.netlink.wire.MessageBuilder request, String op)
      throws IOException {
    try {
      for (NetlinkMessage m : channel.execute(request, op)) {
        if (m.type() == Rtnl.RTM_NEWLINK) {
          return Optional.of(RtnlCodec.decodeLink(m));
        }
      }
      return Optional.empty();
    } catch (NetlinkException e) {
      if (e.errno() == NetlinkException.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<IfAddress> addresses() throws IOException {
    List<IfAddress> out = new ArrayList<>();
    for (NetlinkMessage m : channel.dump(RtnlCodec.getAddresses(), "RTM_GETADDR (dump)")) {
      if (m.type() == Rtnl.RTM_NEWADDR) {
        IfAddress a = RtnlCodec.decodeAddress(m);
        if (a != null) {
          out.add(a);
        }
      }
    }
    return out;
  }

  @Override
  public void addAddress(IfAddress address) throws IOException {
    channel.execute(RtnlCodec.newAddress(address), "RTM_NEWADDR " + describe(address));
  }

  @Override
  public void addAddress(IfAddress address, long validSeconds) throws IOException {
    if (validSeconds == FOREVER) {
      addAddress(address);
      return;
    }
    channel.execute(
        RtnlCodec.newAddress(address, validSeconds),
        "RTM_NEWADDR " + describe(address) + " valid_lft " + validSeconds);
  }

  @Override
  public void setLifetime(IfAddress address, long validSeconds) throws IOException {
    channel.execute(
        RtnlCodec.replaceLifetime(address, validSeconds),
        "RTM_NEWADDR (replace) " + describe(address) + " valid_lft " + validSeconds);
  }

  @Override
  public void deleteAddress(IfAddress address) throws IOException {
    channel.execute(RtnlCodec.deleteAddress(address), "RTM_DELADDR " + describe(address));
  }

  static String describe(IfAddress a) {
    return a.address().getHostAddress()
        + "/"
        + a.prefixLength()
        + " dev #"
        + a.linkIndex()
        + (a.label() == null ? "" : " label " + a.label());
  }

  @Override
  public void close() {
    channel.close();
  }
}
