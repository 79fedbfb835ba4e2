package dev.lvs.agent.fake;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsInfo;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.IpvsTimeouts;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.ipvs.SyncDaemon;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Wraps an {@link IpvsClient} (a fake or the real netlink one): counts the calls per method and the
 * time spent inside them, and can make the list calls fail (a read error).
 */
public final class TimedIpvsClient implements IpvsClient {
  private final IpvsClient delegate;
  private final Map<String, Integer> counts = new TreeMap<>();
  private long nanos;
  private boolean failLists;

  public TimedIpvsClient(IpvsClient delegate) {
    this.delegate = delegate;
  }

  /** Calls per method name since the last {@link #reset()}. */
  public Map<String, Integer> counts() {
    return counts;
  }

  public int count(String method) {
    return counts.getOrDefault(method, 0);
  }

  /** Reading calls (service dumps and GETs, destination dumps) since the last reset. */
  public int lists() {
    return count("listServices") + count("getService") + count("listDestinations");
  }

  /** Nanoseconds spent inside the delegate since the last reset. */
  public long nanos() {
    return nanos;
  }

  public void reset() {
    counts.clear();
    nanos = 0;
  }

  public void failLists(boolean fail) {
    failLists = fail;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T timed(String method, Call<T> call) throws IOException {
    counts.merge(method, 1, Integer::sum);
    long start = System.nanoTime();
    try {
      return call.run();
    } finally {
      nanos += System.nanoTime() - start;
    }
  }

  private void listing() throws IOException {
    if (failLists) {
      throw new IOException("injected read error");
    }
  }

  @Override
  public IpvsInfo info() throws IOException {
    return timed("info", delegate::info);
  }

  @Override
  public List<ServiceEntry> listServices() throws IOException {
    listing();
    return timed("listServices", delegate::listServices);
  }

  @Override
  public Optional<IpvsService> getService(ServiceKey key) throws IOException {
    listing();
    return timed("getService", () -> delegate.getService(key));
  }

  @Override
  public void addService(IpvsService service) throws IOException {
    timed(
        "addService",
        () -> {
          delegate.addService(service);
          return null;
        });
  }

  @Override
  public void updateService(IpvsService service) throws IOException {
    timed(
        "updateService",
        () -> {
          delegate.updateService(service);
          return null;
        });
  }

  @Override
  public void deleteService(ServiceKey key) throws IOException {
    timed(
        "deleteService",
        () -> {
          delegate.deleteService(key);
          return null;
        });
  }

  @Override
  public List<DestinationEntry> listDestinations(ServiceKey service) throws IOException {
    listing();
    return timed("listDestinations", () -> delegate.listDestinations(service));
  }

  @Override
  public void addDestination(ServiceKey service, IpvsDestination destination) throws IOException {
    timed(
        "addDestination",
        () -> {
          delegate.addDestination(service, destination);
          return null;
        });
  }

  @Override
  public void updateDestination(ServiceKey service, IpvsDestination destination)
      throws IOException {
    timed(
        "updateDestination",
        () -> {
          delegate.updateDestination(service, destination);
          return null;
        });
  }

  @Override
  public void deleteDestination(ServiceKey service, IpvsDestination.DestinationKey destination)
      throws IOException {
    timed(
        "deleteDestination",
        () -> {
          delegate.deleteDestination(service, destination);
          return null;
        });
  }

  @Override
  public IpvsTimeouts timeouts() throws IOException {
    return timed("timeouts", delegate::timeouts);
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) throws IOException {
    timed(
        "setTimeouts",
        () -> {
          delegate.setTimeouts(timeouts);
          return null;
        });
  }

  @Override
  public List<SyncDaemon> daemons() throws IOException {
    return timed("daemons", delegate::daemons);
  }

  @Override
  public void startDaemon(SyncDaemon daemon) throws IOException {
    timed(
        "startDaemon",
        () -> {
          delegate.startDaemon(daemon);
          return null;
        });
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) throws IOException {
    timed(
        "stopDaemon",
        () -> {
          delegate.stopDaemon(state);
          return null;
        });
  }

  @Override
  public void close() {
    delegate.close();
  }
}
