package dev.lvs.agent.fake;

import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.link.Link;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Wraps an {@link AddressClient}: counts the calls per method and the time spent inside them. */
public final class TimedAddressClient implements AddressClient {
  private final AddressClient delegate;
  private final Map<String, Integer> counts = new TreeMap<>();
  private long nanos;

  public TimedAddressClient(AddressClient delegate) {
    this.delegate = delegate;
  }

  public Map<String, Integer> counts() {
    return counts;
  }

  public int count(String method) {
    return counts.getOrDefault(method, 0);
  }

  public long nanos() {
    return nanos;
  }

  public void reset() {
    counts.clear();
    nanos = 0;
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

  @Override
  public List<Link> links() throws IOException {
    return timed("links", delegate::links);
  }

  @Override
  public Optional<Link> link(String name) throws IOException {
    return timed("link", () -> delegate.link(name));
  }

  @Override
  public Optional<Link> link(int index) throws IOException {
    return timed("link", () -> delegate.link(index));
  }

  @Override
  public List<IfAddress> addresses() throws IOException {
    return timed("addresses", delegate::addresses);
  }

  @Override
  public void addAddress(IfAddress address) throws IOException {
    timed(
        "addAddress",
        () -> {
          delegate.addAddress(address);
          return null;
        });
  }

  @Override
  public void deleteAddress(IfAddress address) throws IOException {
    timed(
        "deleteAddress",
        () -> {
          delegate.deleteAddress(address);
          return null;
        });
  }

  @Override
  public void close() {
    delegate.close();
  }
}
