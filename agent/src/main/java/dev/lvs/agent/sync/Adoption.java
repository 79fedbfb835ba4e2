package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.netlink.NetlinkProtocolException;
import dev.lvs.agent.state.ActualState;
import dev.lvs.agent.state.Intents;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnedSysctl;
import dev.lvs.agent.state.Ownership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Write-ahead ownership. Pure. Before a plan creates anything, {@link #writeAhead} records each
 * object it will create as an {@link Intents intent}, and the syncer writes that to the state file
 * (one fsynced write per plan, not per object). An apply that completes turns intents into
 * ownership or drops them; one that is killed leaves them on disk, and the next sync {@link
 * #resolve resolves} them against the kernel: an intended object the kernel holds exactly as it was
 * asked for is adopted; one that differs is someone else's and is left alone. An add refused with
 * EEXIST for an intent left by an earlier apply is adopted too (the read missed it).
 */
public final class Adoption {
  private Adoption() {}

  /** A copy of {@code owned} with an intent for every object {@code plan} creates. */
  public static Ownership writeAhead(Plan plan, Ownership owned) {
    Ownership ahead = owned.copy();
    for (Step step : plan.steps()) {
      intend(step, ahead);
    }
    return ahead;
  }

  /** Records the intent of {@code step} in {@code owned}, if it creates something. */
  static void intend(Step step, Ownership owned) {
    Intents intents = owned.intents();
    if (step instanceof Step.AddService s) {
      intents.service(s.service());
    } else if (step instanceof Step.AddDestination s) {
      intents.destination(s.service(), s.destination());
    } else if (step instanceof Step.AddAddress s) {
      intents.address(owned(s));
    } else if (step instanceof Step.SetSysctl s && s.current() != null) {
      String original = owned.sysctl(s.path()).map(OwnedSysctl::original).orElse(s.current());
      intents.sysctl(s.path(), new OwnedSysctl(original, s.value()));
    }
  }

  static OwnedAddress owned(Step.AddAddress s) {
    IfAddress a = s.address();
    return new OwnedAddress(
        a.linkIndex(), s.interfaceName(), a.address(), a.prefixLength(), a.label());
  }

  /**
   * Whether a failed create may nevertheless have happened: the request timed out or the reply was
   * garbled, so its intent is kept for the next sync to resolve. A refusal the kernel sent (an
   * errno) is a known outcome: nothing was created.
   */
  static boolean outcomeUnknown(Exception e) {
    if (e instanceof NetlinkProtocolException) {
      return true;
    }
    if (e instanceof NetlinkException ne) {
      return ne.errno() == NetlinkException.EAGAIN || ne.errno() == NetlinkException.EINTR;
    }
    return e instanceof java.io.IOException;
  }

  /**
   * Adopts, in {@code owned}, every intended object that {@code actual} holds exactly as intended,
   * and drops the intents of objects that differ. Intents of objects the kernel does not list stay:
   * the plan may create them again, and an EEXIST then means the read missed one that is ours
   * ({@link Applier}). Returns a log line per decision.
   */
  public static List<String> resolve(Ownership owned, ActualState actual) {
    List<String> notes = new ArrayList<>();
    Intents intents = owned.intents();
    if (intents.isEmpty()) {
      return notes;
    }
    Intents kept = new Intents();
    for (IpvsService want : intents.services().values()) {
      ServiceKey key = want.key();
      IpvsService have = actual.services().get(key);
      if (have == null) {
        kept.service(want);
      } else if (Planner.sameService(have, want)) {
        // A service created for this intent: whatever the record held for an earlier one is gone.
        owned.removeService(key);
        owned.addService(key);
        notes.add("adopted IPVS service " + key + ": created before the agent was stopped");
      } else {
        notes.add(
            "not adopting IPVS service "
                + key
                + ": it differs from what was asked for ("
                + Step.serviceSettings(have)
                + ")");
      }
    }
    for (Map.Entry<ServiceKey, Map<DestinationKey, IpvsDestination>> e :
        intents.destinations().entrySet()) {
      ServiceKey key = e.getKey();
      for (IpvsDestination want : e.getValue().values()) {
        if (!owned.ownsService(key)) {
          if (kept.hasService(key)) {
            kept.destination(key, want); // the service may be created (or found) yet
          }
          continue;
        }
        IpvsDestination have = actual.destinationsOf(key).get(want.key());
        if (have == null) {
          kept.destination(key, want);
        } else if (sameDestination(have, want)) {
          owned.addDestination(key, want.key());
          notes.add(
              "adopted destination "
                  + want.address().getHostAddress()
                  + ":"
                  + want.port()
                  + " of "
                  + key
                  + ": added before the agent was stopped");
        } else if (!owned.destinations(key).contains(want.key())) {
          notes.add(
              "not adopting destination "
                  + want.address().getHostAddress()
                  + ":"
                  + want.port()
                  + " of "
                  + key
                  + ": it differs from what was asked for");
        }
      }
    }
    for (OwnedAddress want : intents.addresses().values()) {
      Optional<IfAddress> have =
          actual.addresses().stream()
              .filter(a -> a.linkIndex() == want.linkIndex() && a.address().equals(want.address()))
              .findFirst();
      if (have.isEmpty()) {
        kept.address(want);
      } else if (have.get().prefixLength() == want.prefixLength()
          && Objects.equals(have.get().label(), want.label())) {
        owned.addAddress(want);
        notes.add(
            "adopted address "
                + want.address().getHostAddress()
                + "/"
                + want.prefixLength()
                + " on "
                + want.interfaceName()
                + ": added before the agent was stopped");
      } else {
        notes.add(
            "not adopting address "
                + want.address().getHostAddress()
                + " on "
                + want.interfaceName()
                + ": its prefix or label differs from what was asked for");
      }
    }
    intents
        .sysctls()
        .forEach(
            (path, want) -> {
              Optional<String> have = actual.sysctls().getOrDefault(path, Optional.empty());
              if (have.isPresent() && have.get().equals(want.applied())) {
                String original =
                    owned.sysctl(path).map(OwnedSysctl::original).orElse(want.original());
                owned.putSysctl(path, new OwnedSysctl(original, want.applied()));
                notes.add(
                    "adopted sysctl "
                        + path
                        + " = "
                        + want.applied()
                        + " (original "
                        + original
                        + "): written before the agent was stopped");
              }
              // Otherwise it was not written, or someone else has changed it since: not ours.
            });
    intents.clear();
    intents.addAll(kept);
    return notes;
  }

  /** The kernel may list a route destination to a local address as Local: both are as asked. */
  static boolean sameDestination(IpvsDestination have, IpvsDestination want) {
    boolean forwardOk =
        have.forward() == want.forward()
            || (isRouteOrLocal(have.forward()) && isRouteOrLocal(want.forward()));
    return forwardOk
        && have.weight() == want.weight()
        && have.upperThreshold() == want.upperThreshold()
        && have.lowerThreshold() == want.lowerThreshold();
  }

  private static boolean isRouteOrLocal(ForwardMethod m) {
    return m == ForwardMethod.DIRECT_ROUTE || m == ForwardMethod.LOCAL_NODE;
  }

  /**
   * Whether an add refused with EEXIST is of an object a previous, interrupted apply intended: the
   * read missed it (a racing dump), and it is adopted. Returns true after taking ownership.
   */
  static boolean adoptOnExists(Step step, Intents prior, Ownership owned) {
    if (step instanceof Step.AddService s && prior.hasService(s.service().key())) {
      owned.addService(s.service().key());
      return true;
    }
    if (step instanceof Step.AddDestination d
        && prior.hasDestination(d.service(), d.destination().key())) {
      owned.addDestination(d.service(), d.destination().key());
      return true;
    }
    if (step instanceof Step.AddAddress a) {
      OwnedAddress want = owned(a);
      if (prior.hasAddress(want.key()) && prior.addresses().get(want.key()).equals(want)) {
        owned.addAddress(want);
        return true;
      }
    }
    return false;
  }
}
