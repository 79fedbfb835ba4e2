package dev.lvs.agent.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.state.OwnedAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeldVipsTest {
  static final long S = 1_000_000_000L;
  final AtomicLong now = new AtomicLong(100 * S);
  final HeldVips held = new HeldVips(now::get);
  final List<String> writes = new ArrayList<>();
  final HeldVips.LifetimeWriter writer =
      (a, seconds) -> writes.add(a.address().getHostAddress() + "=" + seconds);

  static OwnedAddress vip(String ip) throws Exception {
    return new OwnedAddress(2, "eth0", InetAddress.getByName(ip), 32, "eth0:lvs");
  }

  @Test
  void renewalsExtendBoundedVipsAndLeaveUnboundedOnesAlone() throws Exception {
    held.added(vip("10.0.0.1"), 2);
    held.added(vip("10.0.0.2"), DirectorElection.FOREVER);
    assertThat(held.bounded()).containsExactly("10.0.0.1");
    assertThat(held.unbounded()).containsExactly("10.0.0.2");
    now.addAndGet(S / 2);
    assertThat(held.refresh(writer, v -> v.endsWith(".1") ? 2 : DirectorElection.FOREVER))
        .isFalse();
    assertThat(writes).containsExactly("10.0.0.1=2");
  }

  @Test
  void anExpiredVipIsNeverRecreatedByARefresh() throws Exception {
    held.added(vip("10.0.0.1"), 1);
    now.addAndGet(S); // its lifetime has run out: the kernel removed it
    assertThat(held.refresh(writer, v -> 2)).isTrue();
    assertThat(writes).isEmpty();
    assertThat(held.bounded()).isEmpty();
  }

  @Test
  void aVipThatGainsAStandbyGetsALifetimeAndOneThatLosesItGetsNone() throws Exception {
    held.added(vip("10.0.0.1"), DirectorElection.FOREVER);
    held.refresh(writer, v -> 2);
    assertThat(held.bounded()).containsExactly("10.0.0.1");
    held.refresh(writer, v -> DirectorElection.FOREVER);
    assertThat(held.unbounded()).containsExactly("10.0.0.1");
    assertThat(writes).containsExactly("10.0.0.1=2", "10.0.0.1=" + DirectorElection.FOREVER);
  }

  @Test
  void zeroMeansDoNotExtend() throws Exception {
    held.added(vip("10.0.0.1"), 2);
    held.refresh(writer, v -> 0);
    assertThat(writes).isEmpty();
  }

  @Test
  void reconcileFollowsWhatTheSyncOwns() throws Exception {
    held.added(vip("10.0.0.1"), 2);
    held.reconcile(List.of(vip("10.0.0.2")));
    // Adopted (held before a restart): unbounded for the peers until a renewal sets its lifetime.
    assertThat(held.bounded()).isEmpty();
    assertThat(held.unbounded()).containsExactly("10.0.0.2");
    // Never refreshed: its kernel lifetime may have run out, and a refresh would re-create it.
    held.refresh(writer, v -> DirectorElection.FOREVER);
    held.refresh(writer, v -> 2);
    assertThat(writes).isEmpty();
    assertThat(held.unbounded()).containsExactly("10.0.0.2");
    // Once the sync adds it again itself, it is known and refreshed.
    held.added(vip("10.0.0.2"), 2);
    held.refresh(writer, v -> 2);
    assertThat(writes).containsExactly("10.0.0.2=2");
    assertThat(held.bounded()).containsExactly("10.0.0.2");
    held.removed(vip("10.0.0.2").key());
    assertThat(held.bounded()).isEmpty();
    assertThat(held.unbounded()).isEmpty();
  }
}
