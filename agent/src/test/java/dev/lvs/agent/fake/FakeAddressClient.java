package dev.lvs.agent.fake;

import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import dev.lvs.agent.netlink.NetlinkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** In-memory links and addresses: lo (1) and eth0 (2) by default. */
public final class FakeAddressClient implements AddressClient {
  private final List<Link> links = new ArrayList<>();
  private final List<IfAddress> addresses = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private Predicate<IfAddress> failing = a -> false;
  private Predicate<IfAddress> failingDeletes = a -> false;

  public FakeAddressClient() {
    links.add(new Link(1, "lo", Link.IFF_UP | Link.IFF_LOOPBACK, 65536));
  }

  /** A node with eth0 holding {@code internalIp}/24. */
  public static FakeAddressClient withEth0(String internalIp) {
    FakeAddressClient f = new FakeAddressClient();
    f.links.add(new Link(2, "eth0", Link.IFF_UP, 1500));
    f.addresses.add(new IfAddress(2, dev.lvs.agent.state.Ips.literal(internalIp), 24, "eth0"));
    return f;
  }

  public List<IfAddress> all() {
    return addresses;
  }

  public List<String> calls() {
    return calls;
  }

  public void failWhen(Predicate<IfAddress> p) {
    failing = p;
  }

  /** Makes deletes of matching addresses fail with EPERM. */
  public void failDeletesWhen(Predicate<IfAddress> p) {
    failingDeletes = p;
  }

  /** An address put there by someone else (an administrator, keepalived). */
  public void addByHand(IfAddress a) {
    addresses.add(a);
  }

  @Override
  public List<Link> links() {
    return List.copyOf(links);
  }

  @Override
  public Optional<Link> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  @Override
  public Optional<Link> link(int index) {
    return links.stream().filter(l -> l.index() == index).findFirst();
  }

  @Override
  public List<IfAddress> addresses() {
    return List.copyOf(addresses);
  }

  @Override
  public void addAddress(IfAddress a) throws IOException {
    calls.add("add " + a.address().getHostAddress() + "/" + a.prefixLength() + " " + a.linkIndex());
    if (failing.test(a)) {
      throw new NetlinkException("RTM_NEWADDR", NetlinkException.EINVAL, "injected");
    }
    if (addresses.stream()
        .anyMatch(x -> x.linkIndex() == a.linkIndex() && x.address().equals(a.address()))) {
      throw new NetlinkException("RTM_NEWADDR", NetlinkException.EEXIST, null);
    }
    addresses.add(a);
  }

  /** Lifetimes given by {@link #addAddress(IfAddress, long)} and {@link #setLifetime}. */
  public final java.util.Map<String, Long> lifetimes = new java.util.TreeMap<>();

  @Override
  public void addAddress(IfAddress a, long validSeconds) throws IOException {
    addAddress(a);
    calls.add("lifetime " + a.address().getHostAddress() + " " + validSeconds);
    lifetimes.put(a.address().getHostAddress(), validSeconds);
  }

  @Override
  public void setLifetime(IfAddress a, long validSeconds) throws IOException {
    calls.add("lifetime " + a.address().getHostAddress() + " " + validSeconds);
    if (addresses.stream()
        .noneMatch(x -> x.linkIndex() == a.linkIndex() && x.address().equals(a.address()))) {
      addresses.add(a); // as the kernel: a replace re-creates a missing address
    }
    lifetimes.put(a.address().getHostAddress(), validSeconds);
  }

  @Override
  public void deleteAddress(IfAddress a) throws IOException {
    calls.add("delete " + a.address().getHostAddress() + " " + a.linkIndex());
    if (failingDeletes.test(a)) {
      throw new NetlinkException("RTM_DELADDR", NetlinkException.EPERM, "injected");
    }
    boolean removed =
        addresses.removeIf(x -> x.linkIndex() == a.linkIndex() && x.address().equals(a.address()));
    if (!removed) {
      throw new NetlinkException("RTM_DELADDR", NetlinkException.EADDRNOTAVAIL, null);
    }
  }

  @Override
  public void close() {}
}
