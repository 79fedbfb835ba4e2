package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.link.IfAddress;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One kernel change of a {@link Plan}. Each describes itself in one log line: what changes, and for
 * which VirtualService (or why, for removals).
 */
public sealed interface Step {

  /** The VirtualServices this step serves, to attribute a failure; empty for removals. */
  Set<ObjectRef> wantedBy();

  /** Whether the step removes or restores something (never done before sources are loaded). */
  boolean isRemoval();

  /** The log line: {@code ipvs: add destination ... for default/web <- default/rs1}. */
  String describe();

  /** Where the step goes in a plan: sysctls first, then IPVS, then addresses, then removals. */
  int rank();

  record AddService(IpvsService service, ObjectRef virtualService, String why) implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of(virtualService);
    }

    @Override
    public boolean isRemoval() {
      return false;
    }

    @Override
    public String describe() {
      return "ipvs: add service "
          + service.key()
          + " ("
          + serviceSettings(service)
          + ") for "
          + virtualService
          + (why == null ? "" : " (" + why + ")");
    }

    @Override
    public int rank() {
      return 10;
    }
  }

  record UpdateService(IpvsService from, IpvsService to, ObjectRef virtualService) implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of(virtualService);
    }

    @Override
    public boolean isRemoval() {
      return false;
    }

    @Override
    public String describe() {
      List<String> changes = new ArrayList<>();
      if (!from.scheduler().equals(to.scheduler())) {
        changes.add("scheduler " + from.scheduler() + " -> " + to.scheduler());
      }
      if (from.flags() != to.flags()) {
        changes.add(
            "flags 0x"
                + Integer.toHexString(from.flags())
                + " -> 0x"
                + Integer.toHexString(to.flags()));
      }
      if (from.timeoutSeconds() != to.timeoutSeconds()) {
        changes.add("persistence " + from.timeoutSeconds() + "s -> " + to.timeoutSeconds() + "s");
      }
      if (from.netmask() != to.netmask()) {
        changes.add(
            "netmask "
                + netmask(from.key(), from.netmask())
                + " -> "
                + netmask(to.key(), to.netmask()));
      }
      return "ipvs: update service "
          + to.key()
          + " in place ("
          + String.join(", ", changes)
          + ") for "
          + virtualService;
    }

    @Override
    public int rank() {
      return 20;
    }
  }

  record DeleteService(ServiceKey key, String why) implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of();
    }

    @Override
    public boolean isRemoval() {
      return true;
    }

    @Override
    public String describe() {
      return "ipvs: delete service " + key + " (" + why + ")";
    }

    @Override
    public int rank() {
      return 90;
    }
  }

  record AddDestination(
      ServiceKey service, IpvsDestination destination, ObjectRef virtualService, String source)
      implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of(virtualService);
    }

    @Override
    public boolean isRemoval() {
      return false;
    }

    @Override
    public String describe() {
      return "ipvs: add destination "
          + Ips.hostPort(destination.address(), destination.port())
          + " to "
          + service
          + " ("
          + destinationSettings(destination)
          + ") for "
          + virtualService
          + " <- "
          + source;
    }

    @Override
    public int rank() {
      return 30;
    }
  }

  record UpdateDestination(
      ServiceKey service,
      IpvsDestination from,
      IpvsDestination to,
      ObjectRef virtualService,
      String source)
      implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of(virtualService);
    }

    @Override
    public boolean isRemoval() {
      return false;
    }

    @Override
    public String describe() {
      return "ipvs: update destination "
          + Ips.hostPort(to.address(), to.port())
          + " of "
          + service
          + " in place ("
          + destinationSettings(from)
          + " -> "
          + destinationSettings(to)
          + ") for "
          + virtualService
          + " <- "
          + source;
    }

    @Override
    public int rank() {
      return 40;
    }
  }

  record DeleteDestination(ServiceKey service, DestinationKey destination, String why)
      implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of();
    }

    @Override
    public boolean isRemoval() {
      return true;
    }

    @Override
    public String describe() {
      return "ipvs: delete destination "
          + Ips.hostPort(destination.address(), destination.port())
          + " from "
          + service
          + " ("
          + why
          + ")";
    }

    @Override
    public int rank() {
      return 50;
    }
  }

  record DeleteAddress(IfAddress address, String interfaceName, String why) implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of();
    }

    @Override
    public boolean isRemoval() {
      return true;
    }

    @Override
    public String describe() {
      return "addr: delete " + addressText(address) + " from " + interfaceName + " (" + why + ")";
    }

    @Override
    public int rank() {
      return 60;
    }
  }

  record AddAddress(IfAddress address, String interfaceName, Set<ObjectRef> wantedBy, String role)
      implements Step {
    @Override
    public boolean isRemoval() {
      return false;
    }

    @Override
    public String describe() {
      return "addr: add "
          + addressText(address)
          + " to "
          + interfaceName
          + (address.label() == null ? "" : " label " + address.label())
          + " ("
          + role
          + ") for "
          + refs(wantedBy);
    }

    @Override
    public int rank() {
      return 70;
    }
  }

  /** Sets a sysctl; IPVS parameters go after the services (the ip_vs module may load first). */
  record SetSysctl(String path, String value, String current, Set<ObjectRef> wantedBy, String why)
      implements Step {
    @Override
    public boolean isRemoval() {
      return false;
    }

    @Override
    public String describe() {
      return "sysctl: set "
          + path
          + " = "
          + value
          + " (was "
          + (current == null ? "unknown" : current)
          + "; "
          + why
          + ") for "
          + refs(wantedBy);
    }

    @Override
    public int rank() {
      return path.startsWith("net/ipv4/vs/") ? 45 : 0;
    }
  }

  /** Puts back a sysctl's original value, if it still holds the value the agent wrote. */
  record RestoreSysctl(String path, String original, String applied, String why) implements Step {
    @Override
    public Set<ObjectRef> wantedBy() {
      return Set.of();
    }

    @Override
    public boolean isRemoval() {
      return true;
    }

    @Override
    public String describe() {
      return "sysctl: restore " + path + " = " + original + " (was " + applied + "; " + why + ")";
    }

    @Override
    public int rank() {
      return 100;
    }
  }

  static String serviceSettings(IpvsService s) {
    StringBuilder b = new StringBuilder("scheduler ").append(s.scheduler());
    if ((s.flags() & IpvsService.F_PERSISTENT) != 0) {
      b.append(", persistent ")
          .append(s.timeoutSeconds())
          .append("s netmask ")
          .append(netmask(s.key(), s.netmask()));
    }
    return b.toString();
  }

  static String netmask(ServiceKey key, int netmask) {
    if (key.family() == ServiceKey.AF_INET6) {
      return "/" + netmask;
    }
    return "/" + Integer.bitCount(netmask);
  }

  static String destinationSettings(IpvsDestination d) {
    StringBuilder b = new StringBuilder("weight ").append(d.weight()).append(", ");
    b.append(forwardName(d.forward()));
    if (d.upperThreshold() != 0 || d.lowerThreshold() != 0) {
      b.append(", thresholds ").append(d.lowerThreshold()).append("-").append(d.upperThreshold());
    }
    return b.toString();
  }

  static String forwardName(ForwardMethod m) {
    return switch (m) {
      case DIRECT_ROUTE -> "route";
      case LOCAL_NODE -> "local";
      case TUNNEL -> "tunnel";
      case MASQUERADE -> "masq";
    };
  }

  static String addressText(IfAddress a) {
    return a.address().getHostAddress() + "/" + a.prefixLength();
  }

  static String refs(Set<ObjectRef> refs) {
    return refs.stream().map(ObjectRef::toString).sorted().collect(Collectors.joining(", "));
  }
}
