package dev.lvs.agent.sync;

import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.Ips;
import dev.lvs.agent.state.OwnedAddress;
import dev.lvs.agent.state.Ownership;

/**
 * A change to the ownership record alone: something owned that is gone from the kernel, or no
 * longer provably the agent's, and is not wanted any more.
 */
public sealed interface Forget {

  void applyTo(Ownership ownership);

  String describe();

  record Service(ServiceKey key, String why) implements Forget {
    @Override
    public void applyTo(Ownership ownership) {
      ownership.removeService(key);
    }

    @Override
    public String describe() {
      return "state: forget service " + key + " (" + why + ")";
    }
  }

  record Destination(ServiceKey service, DestinationKey destination, String why) implements Forget {
    @Override
    public void applyTo(Ownership ownership) {
      ownership.removeDestination(service, destination);
    }

    @Override
    public String describe() {
      return "state: forget destination "
          + Ips.hostPort(destination.address(), destination.port())
          + " of "
          + service
          + " ("
          + why
          + ")";
    }
  }

  record Address(OwnedAddress address, String why) implements Forget {
    @Override
    public void applyTo(Ownership ownership) {
      ownership.removeAddress(address.key());
    }

    @Override
    public String describe() {
      return "state: forget address "
          + address.address().getHostAddress()
          + " on "
          + address.interfaceName()
          + " ("
          + why
          + ")";
    }
  }

  record Sysctl(String path, String why) implements Forget {
    @Override
    public void applyTo(Ownership ownership) {
      ownership.removeSysctl(path);
    }

    @Override
    public String describe() {
      return "state: forget sysctl " + path + " (" + why + ")";
    }
  }
}
