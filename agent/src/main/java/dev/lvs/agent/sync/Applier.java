package dev.lvs.agent.sync;

import dev.lvs.agent.announce.Announcer;
import dev.lvs.agent.election.DirectorElection;
import dev.lvs.agent.election.HeldVips;
import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.link.AddressClient;
import dev.lvs.agent.netlink.NetlinkException;
import dev.lvs.agent.state.ArpSysctls;
import dev.lvs.agent.state.DesiredAddress;
import dev.lvs.agent.state.Intents;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.OwnedSysctl;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.sync.ApplyResult.StepFailure;
import dev.lvs.agent.sysctl.Sysctls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a {@link Plan} against the kernel interfaces, one step at a time, logging one line per
 * change. A failing step is logged with the object it concerns and recorded; the rest of the plan
 * goes on, except the steps that need it ({@link Dependencies}): those are skipped, recorded as
 * failed with the prerequisite named, and count as failed for their own dependents. Ownership is
 * taken only for what was actually created, and dropped only for what was actually removed (or was
 * already gone).
 */
public final class Applier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);

  private final IpvsClient ipvs;
  private final AddressClient addresses;
  private final Sysctls sysctls;

  private volatile DirectorElection election = DirectorElection.NONE;
  private volatile Announcer announcer;

  public Applier(IpvsClient ipvs, AddressClient addresses, Sysctls sysctls) {
    this.ipvs = ipvs;
    this.addresses = addresses;
    this.sysctls = sysctls;
  }

  /**
   * Director VIPs are added with the lifetime {@code election} gives them and recorded in its
   * {@link HeldVips}, under that registry's lock (so a lifetime refresh never races a removal).
   */
  public Applier withElection(DirectorElection election) {
    this.election = election;
    return this;
  }

  /** A director VIP just added is announced (gratuitous ARP) through {@code announcer}. */
  public Applier withAnnouncer(Announcer announcer) {
    this.announcer = announcer;
    return this;
  }

  /**
   * Applies {@code plan}; {@code ownership} is not changed, the result carries the new one. The
   * intents in {@code ownership} are those an earlier, interrupted apply left ({@link Adoption});
   * the result keeps intents only for creates whose outcome is unknown (a timeout).
   */
  public ApplyResult apply(Plan plan, Ownership ownership) {
    Ownership owned = ownership.copy();
    Intents prior = owned.intents().copy();
    owned.intents().clear();
    for (Forget f : plan.forgets()) {
      log.info(f.describe());
      f.applyTo(owned);
    }
    List<Step> applied = new ArrayList<>();
    List<StepFailure> failures = new ArrayList<>();
    List<Step> steps = plan.steps();
    List<List<Dependencies.Clause>> prerequisites = Dependencies.of(steps, plan.servicesInPlace());
    boolean[] done = new boolean[steps.size()]; // succeeded, or found in place (EEXIST, ours)
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Optional<String> unmet = unmet(prerequisites.get(i), done);
      if (unmet.isPresent()) {
        log.warn("failed: {}: {}", step.describe(), unmet.get());
        failures.add(new StepFailure(step, unmet.get()));
        continue;
      }
      try {
        String note = execute(step, owned);
        log.info(note == null ? step.describe() : step.describe() + "; " + note);
        applied.add(step);
        done[i] = true;
      } catch (IOException | RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        boolean exists = e instanceof NetlinkException ne && ne.isExists();
        if (exists && owns(owned, step)) {
          message += ": already in the kernel though the read did not list it: kept as ours";
          done[i] = true; // there, so what needs it may go on; the next sync re-reads
        } else if (exists && Adoption.adoptOnExists(step, prior, owned)) {
          message +=
              ": already in the kernel though the read did not list it, and intended by an"
                  + " apply that was interrupted: adopted";
          done[i] = true;
        } else if (exists) {
          message += ": created by something else meanwhile, left alone";
        } else if (Adoption.outcomeUnknown(e)) {
          Adoption.intend(step, owned); // it may have been created: the next sync resolves it
        }
        log.warn("failed: {}: {}", step.describe(), message);
        failures.add(new StepFailure(step, message));
      }
    }
    return new ApplyResult(applied, failures, owned);
  }

  /** The message of the first clause none of whose steps is done, if any. */
  private static Optional<String> unmet(List<Dependencies.Clause> clauses, boolean[] done) {
    for (Dependencies.Clause c : clauses) {
      if (c.anyOf().stream().noneMatch(j -> done[j])) {
        return Optional.of(c.unmet());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether an add refused with EEXIST is of something the record says is ours: a read that missed
   * it (a racing dump), not something else's. The record is kept as it is.
   */
  private static boolean owns(Ownership owned, Step step) {
    if (step instanceof Step.AddService s) {
      return owned.ownsService(s.service().key());
    }
    if (step instanceof Step.AddDestination d) {
      return owned.destinations(d.service()).contains(d.destination().key());
    }
    return false;
  }

  /** Runs one step and updates {@code owned}; returns a note for the log line, or null. */
  private String execute(Step step, Ownership owned) throws IOException {
    if (step instanceof Step.AddService s) {
      ipvs.addService(s.service());
      // A new service has no destinations: what the record held for an earlier one is gone.
      owned.removeService(s.service().key());
      owned.addService(s.service().key());
      return null;
    }
    if (step instanceof Step.UpdateService s) {
      ipvs.updateService(s.to());
      return null;
    }
    if (step instanceof Step.DeleteService s) {
      String note = null;
      try {
        ipvs.deleteService(s.key());
      } catch (NetlinkException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        note = "already gone";
      }
      owned.removeService(s.key());
      return note;
    }
    if (step instanceof Step.AddDestination s) {
      ipvs.addDestination(s.service(), s.destination());
      owned.addDestination(s.service(), s.destination().key());
      return null;
    }
    if (step instanceof Step.UpdateDestination s) {
      ipvs.updateDestination(s.service(), s.to());
      return null;
    }
    if (step instanceof Step.DeleteDestination s) {
      String note = null;
      try {
        ipvs.deleteDestination(s.service(), s.destination());
      } catch (NetlinkException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        note = "already gone";
      }
      owned.removeDestination(s.service(), s.destination());
      return note;
    }
    if (step instanceof Step.AddAddress s) {
      OwnedAddress a =
          new OwnedAddress(
              s.address().linkIndex(),
              s.interfaceName(),
              s.address().address(),
              s.address().prefixLength(),
              s.address().label());
      HeldVips held = election.heldVips();
      if (held == null || !DesiredAddress.DIRECTOR_VIP.equals(s.role())) {
        addresses.addAddress(s.address());
        owned.addAddress(a);
        return null;
      }
      String vip = s.address().address().getHostAddress();
      long lifetime = election.vipLifetimeSeconds(vip); // before the lock: it takes none
      if (lifetime == 0) {
        throw new IOException(
            "not adding director VIP "
                + vip
                + ": this director's Lease renewal is too old to give it a lifetime (the API"
                + " server is slow or away); retried at the next sync");
      }
      synchronized (held) {
        addresses.addAddress(s.address(), lifetime);
        owned.addAddress(a);
        held.added(a, lifetime);
      }
      Announcer an = announcer;
      if (an != null) {
        an.announce(a.linkIndex(), a.interfaceName(), a.address());
      }
      return lifetime == DirectorElection.FOREVER ? null : "valid_lft " + lifetime + "s";
    }
    if (step instanceof Step.DeleteAddress s) {
      HeldVips held = election.heldVips();
      Object lock = held == null ? new Object() : held;
      Announcer an = announcer;
      if (an != null) {
        an.cancel(s.address().address()); // before the VIP goes: no announcement after it
      }
      synchronized (lock) {
        String note = null;
        try {
          addresses.deleteAddress(s.address());
        } catch (NetlinkException e) {
          if (!e.isNotFound()) {
            throw e;
          }
          note = "already gone";
        }
        OwnedAddress.Key key = new OwnedAddress.Key(s.address().linkIndex(), s.address().address());
        owned.removeAddress(key);
        if (held != null) {
          held.removed(key);
        }
        return note;
      }
    }
    if (step instanceof Step.SetSysctl s) {
      Optional<String> before = sysctls.read(s.path());
      if (before.isEmpty()) {
        throw new IOException(
            "no kernel parameter /proc/sys/"
                + s.path()
                + (s.path().startsWith("net/ipv4/vs/") ? " (is the ip_vs module loaded?)" : ""));
      }
      if (ArpSysctls.satisfies(s.path(), s.value(), before.get())) {
        return "already " + before.get() + ", which is as strict: left as it is";
      }
      sysctls.write(s.path(), s.value());
      String original = owned.sysctl(s.path()).map(OwnedSysctl::original).orElse(before.get());
      owned.putSysctl(s.path(), new OwnedSysctl(original, s.value()));
      return null;
    }
    if (step instanceof Step.RestoreSysctl s) {
      Optional<String> now = sysctls.read(s.path());
      String note = null;
      if (now.isEmpty()) {
        note = "parameter is gone";
      } else if (!now.get().equals(s.applied())) {
        note = "changed meanwhile to " + now.get() + ", left as it is";
      } else {
        sysctls.write(s.path(), s.original());
      }
      owned.removeSysctl(s.path());
      return note;
    }
    throw new IllegalStateException("unknown step " + step);
  }
}
