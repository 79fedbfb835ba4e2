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

  /**
   * The connection synchronisation daemons that run in this network namespace (GET_DAEMON dump):
   * none, a master, a backup, or both, with the values the kernel uses (its defaults filled in).
   */
  List<SyncDaemon> daemons() throws IOException;

  /**
   * Starts a sync daemon (NEW_DAEMON). EEXIST when one already runs in that state (stop it first:
   * the kernel does not reconfigure a running daemon), ENODEV when the interface does not exist,
   * EINVAL when the namespace has services with destinations of the other family (the sync protocol
   * cannot carry them).
   */
  void startDaemon(SyncDaemon daemon) throws IOException;

  /** Stops the daemon in that state (DEL_DAEMON): ESRCH when none runs. */
  void stopDaemon(SyncDaemon.State state) throws IOException;

  @Override
  void close();
}
