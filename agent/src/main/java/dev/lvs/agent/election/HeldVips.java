package dev.lvs.agent.election;

import dev.lvs.agent.state.OwnedAddress;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director VIPs this node holds and the kernel lifetime each was given: the registry that the
 * sync (which adds and removes VIPs) and the Lease renewals (which extend their lifetimes) share.
 * Both change the kernel only while holding this object's lock, because a lifetime refresh
 * (RTM_NEWADDR with NLM_F_REPLACE) re-creates an address that is gone: a refresh must never race a
 * removal, nor extend an address the kernel has already let expire.
 */
public final class HeldVips {
  private static final Logger log = LoggerFactory.getLogger(HeldVips.class);

  /** Sets the valid lifetime of an address the agent holds ({@link DirectorElection#FOREVER}). */
  public interface LifetimeWriter {
    void write(OwnedAddress address, long validSeconds) throws IOException;
  }

  /** {@code known}: this agent set the lifetime (false: adopted, the kernel's lifetime unknown). */
  private record Entry(OwnedAddress address, boolean bounded, long expiresAtNanos, boolean known) {}

  /** Kept in hand against the kernel removing an address a little early (HZ/50). */
  static final long EARLY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final LongSupplier nanos;
  private final Map<String, Entry> entries = new TreeMap<>();

  public HeldVips(LongSupplier nanos) {
    this.nanos = nanos;
  }

  public HeldVips() {
    this(System::nanoTime);
  }

  /** Records an address just added with {@code validSeconds} of lifetime; call under the lock. */
  public synchronized void added(OwnedAddress a, long validSeconds) {
    entries.put(a.address().getHostAddress(), entry(a, validSeconds));
  }

  /** Records an address just removed; call under the lock. */
  public synchronized void removed(OwnedAddress.Key key) {
    entries.remove(key.address().getHostAddress());
  }

  /**
   * After a sync: the director addresses it owns. Ones not yet known (held before a restart, with
   * whatever lifetime the kernel has left) are taken in as unbounded, which is what peers must
   * assume of them (they take such a VIP over only from a node that is not Ready); the next renewal
   * gives them the lifetime they should have. Ones no longer owned are dropped.
   */
  public synchronized void reconcile(Collection<OwnedAddress> owned) {
    Set<String> now = new TreeSet<>();
    for (OwnedAddress a : owned) {
      String vip = a.address().getHostAddress();
      now.add(vip);
      entries.computeIfAbsent(vip, v -> new Entry(a, false, Long.MAX_VALUE, false));
    }
    entries.keySet().retainAll(now);
  }

  /**
   * Gives every held VIP the lifetime {@code lifetimeFor} says (0: do not extend it). A bounded VIP
   * whose lifetime has run out is dropped from the registry, not re-created.
   *
   * @return whether a VIP was found expired (the caller then syncs)
   */
  public synchronized boolean refresh(LifetimeWriter writer, ToLongFunction<String> lifetimeFor) {
    boolean expired = false;
    long now = nanos.getAsLong();
    for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Entry> e = it.next();
      Entry old = e.getValue();
      if (old.bounded() && now >= old.expiresAtNanos()) {
        it.remove();
        expired = true;
        log.warn(
            "election: VIP {}'s lifetime ran out before a renewal could extend it: the kernel has"
                + " removed it",
            e.getKey());
        continue;
      }
      if (!old.known()) {
        // Adopted: the kernel may have let it expire already, and a refresh (a replace) would
        // re-create it behind the election's back. Only the sync adds it again, if still chosen.
        continue;
      }
      long lifetime = lifetimeFor.applyAsLong(e.getKey());
      if (lifetime == 0 || (!old.bounded() && lifetime == DirectorElection.FOREVER)) {
        continue;
      }
      try {
        writer.write(old.address(), lifetime);
        e.setValue(entry(old.address(), lifetime));
      } catch (IOException ex) {
        log.warn(
            "election: cannot set the lifetime of VIP {} on {}: {}",
            e.getKey(),
            old.address().interfaceName(),
            ex.getMessage());
      }
    }
    return expired;
  }

  /** The VIPs held with a lifetime. */
  public synchronized Set<String> bounded() {
    Set<String> s = new TreeSet<>();
    entries.forEach(
        (vip, e) -> {
          if (e.bounded()) {
            s.add(vip);
          }
        });
    return s;
  }

  /** The VIPs held without one. */
  public synchronized Set<String> unbounded() {
    Set<String> s = new TreeSet<>();
    entries.forEach(
        (vip, e) -> {
          if (!e.bounded()) {
            s.add(vip);
          }
        });
    return s;
  }

  private Entry entry(OwnedAddress a, long validSeconds) {
    boolean bounded = validSeconds != DirectorElection.FOREVER;
    long expires =
        bounded
            ? nanos.getAsLong() + TimeUnit.SECONDS.toNanos(validSeconds) - EARLY_NANOS
            : Long.MAX_VALUE;
    return new Entry(a, bounded, expires, true);
  }
}
