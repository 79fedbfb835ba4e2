package dev.lvs.agent.state;

import java.util.Optional;

/**
 * The agent's node-wide settings, from its command line.
 *
 * @param directorInterface the interface directors put VIPs on; empty: the one holding the node's
 *     InternalIP of the VIP's family
 * @param expireNodestConn {@code net/ipv4/vs/expire_nodest_conn} on directors (expire the
 *     connections of a removed destination at once); empty: leave it alone
 * @param expireQuiescentTemplate {@code net/ipv4/vs/expire_quiescent_template} on directors (expire
 *     the persistence templates of a weight-0 destination, so persistent clients of a drained or
 *     lost real server move on); empty: leave it alone
 * @param connReuseMode {@code net/ipv4/vs/conn_reuse_mode} on directors; empty: leave it alone
 */
public record AgentSettings(
    Optional<String> directorInterface,
    Optional<Integer> expireNodestConn,
    Optional<Integer> expireQuiescentTemplate,
    Optional<Integer> connReuseMode) {
  public static final int DEFAULT_EXPIRE_NODEST_CONN = 1;
  public static final int DEFAULT_EXPIRE_QUIESCENT_TEMPLATE = 1;

  /** What {@code lvs-agent run} uses without options (CliArgs' defaults). */
  public static final AgentSettings COMMAND_LINE =
      new AgentSettings(
          Optional.empty(),
          Optional.of(DEFAULT_EXPIRE_NODEST_CONN),
          Optional.of(DEFAULT_EXPIRE_QUIESCENT_TEMPLATE),
          Optional.empty());

  public AgentSettings withDirectorInterface(String name) {
    return new AgentSettings(
        Optional.ofNullable(name), expireNodestConn, expireQuiescentTemplate, connReuseMode);
  }

  public AgentSettings withConnReuseMode(Integer mode) {
    return new AgentSettings(
        directorInterface, expireNodestConn, expireQuiescentTemplate, Optional.ofNullable(mode));
  }
}
