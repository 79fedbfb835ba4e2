package dev.lvs.agent.election;

import dev.lvs.agent.ipvs.IpvsClient;
import dev.lvs.agent.ipvs.SyncDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel's IPVS connection sync daemons running on an electing director: a master and a
 * backup at once, always, so that no failover changes their state (a director is active for some
 * VIPs and standby for others). Read back and compared on every sync, as the rest of the kernel
 * state: a missing daemon is started; one with other settings, which this agent did not start, is
 * left alone and reported. When the node is no longer a director, daemons with exactly this agent's
 * settings are stopped.
 */
public final class SyncDaemons {
  private static final Logger log = LoggerFactory.getLogger(SyncDaemons.class);

  private final IpvsClient ipvs;
  private final SyncDaemonSettings settings;
  private final ElectionMetrics metrics;
  private String lastProblem;
  private boolean wasDirector;

  public SyncDaemons(IpvsClient ipvs, SyncDaemonSettings settings, ElectionMetrics metrics) {
    this.ipvs = ipvs;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The daemons wanted on this node: both states, or none. */
  static List<SyncDaemon> desired(
      SyncDaemonSettings s, boolean director, Optional<String> defaultInterface) {
    if (!s.enabled() || !director) {
      return List.of();
    }
    Optional<String> iface = s.interfaceName().or(() -> defaultInterface);
    if (iface.isEmpty()) {
      return List.of();
    }
    List<SyncDaemon> d = new ArrayList<>();
    for (SyncDaemon.State state : SyncDaemon.State.values()) {
      d.add(new SyncDaemon(state, iface.get(), s.syncId(), s.group().orElse(null), s.port(), 0, 0));
    }
    return d;
  }

  /** Whether a daemon read from the kernel (defaults filled in) is the one wanted. */
  static boolean matches(SyncDaemon want, SyncDaemon have) {
    InetAddress group = want.group() != null ? want.group() : literal(SyncDaemon.DEFAULT_GROUP);
    int port = want.port() != 0 ? want.port() : SyncDaemon.DEFAULT_PORT;
    return want.state() == have.state()
        && want.interfaceName().equals(have.interfaceName())
        && want.syncId() == have.syncId()
        && (have.group() == null || group.equals(have.group()))
        && (have.port() == 0 || port == have.port());
  }

  /**
   * One check: start what is missing, stop ours when no longer wanted.
   *
   * @return problems, for the log and the node report (empty when all is well)
   */
  public List<String> reconcile(boolean director, Optional<String> defaultInterface) {
    // A node that never directed a VIP leaves IPVS alone (its module may not even be loaded).
    boolean check = director || wasDirector;
    wasDirector = director;
    if (!check) {
      return List.of();
    }
    List<SyncDaemon> want = desired(settings, director, defaultInterface);
    List<String> problems = new ArrayList<>();
    Map<SyncDaemon.State, SyncDaemon> have = new EnumMap<>(SyncDaemon.State.class);
    try {
      for (SyncDaemon d : ipvs.daemons()) {
        have.put(d.state(), d);
      }
    } catch (IOException e) {
      problems.add("cannot read the IPVS sync daemons: " + e.getMessage());
      report(problems, have);
      return problems;
    }
    if (settings.enabled() && director && want.isEmpty()) {
      problems.add(
          "no interface for the IPVS sync daemons: the node has no IPv4 InternalIP on an"
              + " interface; set --sync-interface");
    }
    for (SyncDaemon w : want) {
      SyncDaemon h = have.get(w.state());
      if (h == null) {
        try {
          ipvs.startDaemon(w);
          have.put(w.state(), w);
          log.info(
              "sync daemon: started the {} on {} (syncid {})",
              name(w.state()),
              w.interfaceName(),
              w.syncId());
        } catch (IOException e) {
          problems.add(
              "cannot start the IPVS sync daemon ("
                  + name(w.state())
                  + " on "
                  + w.interfaceName()
                  + "): "
                  + e.getMessage());
        }
      } else if (!matches(w, h)) {
        problems.add(
            "an IPVS sync "
                + name(w.state())
                + " runs on "
                + h.interfaceName()
                + " with syncid "
                + h.syncId()
                + ", not as configured ("
                + w.interfaceName()
                + ", syncid "
                + w.syncId()
                + "): it was not started by this agent and is left alone; connections are not"
                + " synced as configured");
      }
    }
    if (want.isEmpty() && settings.enabled()) {
      for (SyncDaemon h : List.copyOf(have.values())) {
        boolean ours =
            desired(settings, true, Optional.of(h.interfaceName())).stream()
                .anyMatch(w -> matches(w, h));
        if (ours && settings.interfaceName().map(i -> i.equals(h.interfaceName())).orElse(true)) {
          try {
            ipvs.stopDaemon(h.state());
            have.remove(h.state());
            log.info(
                "sync daemon: stopped the {}: this node is no longer a director", name(h.state()));
          } catch (IOException e) {
            problems.add("cannot stop the IPVS sync " + name(h.state()) + ": " + e.getMessage());
          }
        }
      }
    }
    report(problems, have);
    return problems;
  }

  private void report(List<String> problems, Map<SyncDaemon.State, SyncDaemon> have) {
    Map<String, Boolean> running = new TreeMap<>();
    for (SyncDaemon.State s : SyncDaemon.State.values()) {
      running.put(name(s), have.containsKey(s));
    }
    metrics.syncDaemons(running);
    String joined = String.join("; ", problems);
    if (!problems.isEmpty() && !Objects.equals(joined, lastProblem)) {
      log.warn("sync daemon: {}", joined);
    }
    lastProblem = problems.isEmpty() ? null : joined;
  }

  private static String name(SyncDaemon.State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static InetAddress literal(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }
}
