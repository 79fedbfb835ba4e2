package dev.lvs.agent.ipvs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's IPVS table, one network namespace's worth. Implemented over generic netlink by
 * {@code dev.lvs.agent.netlink.genl.ipvs.NetlinkIpvsClient}, and in memory for tests.
 *
 * <p>Errors are {@link dev.lvs.agent.netlink.NetlinkException}s carrying the errno: adding an
 * existing service is EEXIST, touching a missing one ESRCH (destinations: ENOENT).
 */
public interface IpvsClient extends AutoCloseable {

  IpvsInfo info() throws IOException;

  List<ServiceEntry> listServices() throws IOException;

  /**
   * One service, asked for by its key (GET_SERVICE without NLM_F_DUMP): empty when the kernel has
   * none (ESRCH). Unlike a dump, which resumes by index and may skip a service when another IPVS
   * user deletes one meanwhile, this answer is exact.
   */
  Optional<IpvsService> getService(ServiceKey key) throws IOException;

  void addService(IpvsService service) throws IOException;

  /** Edits a service in place (SET_SERVICE): connections and destinations survive. */
  void updateService(IpvsService service) throws IOException;

  void deleteService(ServiceKey key) throws IOException;

  List<DestinationEntry> listDestinations(ServiceKey service) throws IOException;

  void addDestination(ServiceKey service, IpvsDestination destination) throws IOException;

  /** Edits a destination in place (SET_DEST): weight, thresholds, forwarding method. */
  void updateDestination(ServiceKey service, IpvsDestination destination) throws IOException;

  void deleteDestination(ServiceKey service, IpvsDestination.DestinationKey destination)
      throws IOException;

  IpvsTimeouts timeouts() throws IOException;

  void setTimeouts(IpvsTimeouts timeouts) throws IOException;

  @Override
  void close();
}
