package dev.lvs.agent.cli;

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
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IpvsClient} that opens the real one on first use, retries opening on failure, and
 * re-opens it when the socket or the family id it holds has gone bad:
 *
 * <ul>
 *   <li>ENOENT: the generic netlink controller no longer knows the family id, as after {@code rmmod
 *       ip_vs; modprobe ip_vs} (the new family gets another id);
 *   <li>EBUSY: the socket still has a dump in progress, as after a timeout in the middle of one;
 *   <li>a protocol error or a timeout: what comes next on that socket cannot be trusted.
 * </ul>
 *
 * <p>Reads are then tried once more on the new socket. A change is tried once more only after
 * ENOENT or EBUSY, which the kernel answers before doing anything; after a timeout or a garbled
 * reply it may have been done, so the error is passed on and the next sync reads the kernel again.
 * (ENOENT is also how IPVS says a destination is missing: the retry then answers the same.)
 */
final class LazyIpvsClient implements IpvsClient {
  private static final Logger log = LoggerFactory.getLogger(LazyIpvsClient.class);

  interface Opener {
    IpvsClient open() throws IOException;
  }

  private interface Call<T> {
    T on(IpvsClient c) throws IOException;
  }

  private interface Change {
    void on(IpvsClient c) throws IOException;
  }

  private final Opener opener;
  private IpvsClient delegate;

  LazyIpvsClient(Opener opener) {
    this.opener = opener;
  }

  private synchronized IpvsClient get() throws IOException {
    if (delegate == null) {
      delegate = opener.open();
    }
    return delegate;
  }

  /** Whether {@code e} means the socket or its family id is no longer good. */
  static boolean needsReopen(IOException e) {
    if (e instanceof NetlinkProtocolException) {
      return true;
    }
    if (e instanceof NetlinkException ne) {
      int errno = ne.errno();
      return errno == NetlinkException.ENOENT
          || errno == NetlinkException.EBUSY
          || errno == NetlinkException.EPROTO
          || errno == NetlinkException.EAGAIN;
    }
    return false;
  }

  /** Whether the kernel refused before doing anything, so a change may be sent again. */
  private static boolean refusedBeforeDoing(IOException e) {
    return !(e instanceof NetlinkProtocolException)
        && e instanceof NetlinkException ne
        && (ne.errno() == NetlinkException.ENOENT || ne.errno() == NetlinkException.EBUSY);
  }

  private synchronized void discard(IpvsClient broken, IOException e) {
    if (delegate != broken) {
      return;
    }
    log.info(
        "ipvs: re-opening the generic netlink socket and resolving IPVS again ({})",
        e.getMessage());
    delegate = null;
    try {
      broken.close();
    } catch (RuntimeException closeFailed) {
      log.debug("ipvs: closing the old socket failed: {}", closeFailed.toString());
    }
  }

  private <T> T read(Call<T> call) throws IOException {
    IpvsClient c = get();
    try {
      return call.on(c);
    } catch (IOException e) {
      if (!needsReopen(e)) {
        throw e;
      }
      discard(c, e);
      return call.on(get());
    }
  }

  private void change(Change change) throws IOException {
    IpvsClient c = get();
    try {
      change.on(c);
    } catch (IOException e) {
      if (!needsReopen(e)) {
        throw e;
      }
      discard(c, e);
      if (!refusedBeforeDoing(e)) {
        throw e;
      }
      change.on(get());
    }
  }

  @Override
  public IpvsInfo info() throws IOException {
    return read(IpvsClient::info);
  }

  @Override
  public List<ServiceEntry> listServices() throws IOException {
    return read(IpvsClient::listServices);
  }

  @Override
  public Optional<IpvsService> getService(ServiceKey key) throws IOException {
    return read(c -> c.getService(key));
  }

  @Override
  public void addService(IpvsService service) throws IOException {
    change(c -> c.addService(service));
  }

  @Override
  public void updateService(IpvsService service) throws IOException {
    change(c -> c.updateService(service));
  }

  @Override
  public void deleteService(ServiceKey key) throws IOException {
    change(c -> c.deleteService(key));
  }

  @Override
  public List<DestinationEntry> listDestinations(ServiceKey service) throws IOException {
    return read(c -> c.listDestinations(service));
  }

  @Override
  public void addDestination(ServiceKey service, IpvsDestination destination) throws IOException {
    change(c -> c.addDestination(service, destination));
  }

  @Override
  public void updateDestination(ServiceKey service, IpvsDestination destination)
      throws IOException {
    change(c -> c.updateDestination(service, destination));
  }

  @Override
  public void deleteDestination(ServiceKey service, IpvsDestination.DestinationKey destination)
      throws IOException {
    change(c -> c.deleteDestination(service, destination));
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    return read(IpvsClient::timeouts);
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    change(c -> c.setTimeouts(timeouts));
  }

  @Override
  public List<SyncDaemon> daemons() throws IOException {
    return read(IpvsClient::daemons);
  }

  @Override
  public void startDaemon(SyncDaemon daemon) throws IOException {
    change(c -> c.startDaemon(daemon));
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) throws IOException {
    change(c -> c.stopDaemon(state));
  }

  @Override
  public synchronized void close() {
    if (delegate != null) {
      delegate.close();
      delegate = null;
    }
  }
}
