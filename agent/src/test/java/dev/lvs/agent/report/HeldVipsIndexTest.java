package dev.lvs.agent.report;

import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.sync.SyncResult;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which VIPs a RealServer holds is decided from one index of the desired addresses per sync, not by
 * a scan of every address for every VIP (issue #17 item 7: O(VIPs x addresses)). Counted, not
 * timed.
 */
class HeldVipsIndexTest {
  /** The collection's elements, counting how many are visited. */
  static final class Counting<T> extends AbstractCollection<T> {
    final Collection<T> inner;
    long visited;

    Counting(Collection<T> inner) {
      this.inner = inner;
    }

    @Override
    public Iterator<T> iterator() {
      Iterator<T> it = inner.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public T next() {
          visited++;
          return it.next();
        }
      };
    }

    @Override
    public int size() {
      return inner.size();
    }
  }

  @Test
  void oneRealServerWithManyVipsVisitsEachDesiredAddressOnce() {
    int n = 200;
    List<VirtualService> services = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      services.add(vs("web" + i, "10.0." + (i / 250) + "." + (1 + i % 250), 80, s -> {}));
    }
    SyncResult result =
        StatusReportsTest.result("rs1", services, List.of(rs("rs1", "172.16.58.7", "rs1", 1)));
    Counting<DesiredAddress> addresses = new Counting<>(result.desired().addresses().values());
    assertThat(addresses.size()).isEqualTo(n);

    StatusReports.Writes w = StatusReports.compute(result, "rs1", addresses);

    assertThat(w.vips()).singleElement().satisfies(v -> assertThat(v.vips()).hasSize(n));
    assertThat(addresses.visited).as("desired addresses visited").isLessThanOrEqualTo(n);
  }
}
