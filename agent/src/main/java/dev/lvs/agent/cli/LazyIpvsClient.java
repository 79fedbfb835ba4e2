package dev.lvs.agent.cli;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsInfo;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** An {@link IpvsClient} that opens the real one on first use, and retries opening on failure. */
final class LazyIpvsClient implements IpvsClient {
  interface Opener {
    IpvsClient open() throws IOException;
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

  @Override
  public IpvsInfo info() throws IOException {
    return get().info();
  }

  @Override
  public List<ServiceEntry> listServices() throws IOException {
    return get().listServices();
  }

  @Override
  public Optional<IpvsService> getService(ServiceKey key) throws IOException {
    return get().getService(key);
  }

  @Override
  public void addService(IpvsService service) throws IOException {
    get().addService(service);
  }

  @Override
  public void updateService(IpvsService service) throws IOException {
    get().updateService(service);
  }

  @Override
  public void deleteService(ServiceKey key) throws IOException {
    get().deleteService(key);
  }

  @Override
  public List<DestinationEntry> listDestinations(ServiceKey service) throws IOException {
    return get().listDestinations(service);
  }

  @Override
  public void addDestination(ServiceKey service, IpvsDestination destination) throws IOException {
    get().addDestination(service, destination);
  }

  @Override
  public void updateDestination(ServiceKey service, IpvsDestination destination)
      throws IOException {
    get().updateDestination(service, destination);
  }

  @Override
  public void deleteDestination(ServiceKey service, IpvsDestination.DestinationKey destination)
      throws IOException {
    get().deleteDestination(service, destination);
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    return get().timeouts();
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    get().setTimeouts(timeouts);
  }

  @Override
  public synchronized void close() {
    if (delegate != null) {
      delegate.close();
    }
  }
}
