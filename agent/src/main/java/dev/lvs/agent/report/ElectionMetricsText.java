package dev.lvs.agent.report;

import dev.lvs.agent.election.DirectorRoles.Role;
import dev.lvs.agent.election.ElectionMetrics;
import java.util.Map;

/** The election's part of /metrics. */
final class ElectionMetricsText {
  private ElectionMetricsText() {}

  static void write(ElectionMetrics m, PrometheusText t) {
    t.header(
        "lvs_director_vip_active",
        "gauge",
        "1 when this director holds the VIP (active), 0 when it is standby or waiting for the"
            + " previous holder to release it.");
    m.roles()
        .forEach(
            (vip, role) ->
                t.sample(
                    "lvs_director_vip_active",
                    Map.of("vip", vip, "role", role.name().toLowerCase(java.util.Locale.ROOT)),
                    role == Role.ACTIVE ? 1 : 0));
    t.header(
            "lvs_director_failovers_total",
            "counter",
            "VIPs this director took over from another director.")
        .sample("lvs_director_failovers_total", m.failovers());
    if (!Double.isNaN(m.lastFailoverSeconds())) {
      t.header(
              "lvs_director_last_failover_seconds",
              "gauge",
              "The last takeover: from the previous holder's last Lease renewal seen here to the"
                  + " decision to hold the VIP.")
          .sample("lvs_director_last_failover_seconds", m.lastFailoverSeconds());
    }
    t.header("lvs_director_lease_renewals_total", "counter", "Successful Lease renewals.")
        .sample("lvs_director_lease_renewals_total", m.renewals());
    t.header(
            "lvs_director_lease_renew_failures_total",
            "counter",
            "Lease renewals the API server did not accept in time.")
        .sample("lvs_director_lease_renew_failures_total", m.renewFailures());
    if (!m.syncDaemons().isEmpty()) {
      t.header(
          "lvs_ipvs_sync_daemon_running",
          "gauge",
          "1 when the kernel's IPVS connection sync daemon in this state runs as configured.");
      m.syncDaemons()
          .forEach(
              (state, running) ->
                  t.sample(
                      "lvs_ipvs_sync_daemon_running", Map.of("state", state), running ? 1 : 0));
    }
  }
}
