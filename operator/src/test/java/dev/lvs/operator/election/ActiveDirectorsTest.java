package dev.lvs.operator.election;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActiveDirectorsTest {
  static NodeReport report(String role, String time) {
    NodeReport r = new NodeReport();
    r.setDirectorRole(role);
    r.setLastUpdateTime(time);
    return r;
  }

  @Test
  void theActiveIsTheOneReportingActiveTheLatestWinsAMomentaryTie() {
    Map<String, NodeReport> reports =
        Map.of(
            "director", report("Active", "2026-12-03T12:00:00Z"),
            "director2", report("Active", "2026-12-03T12:00:05Z"),
            "director3", report("Standby", "2026-12-03T12:00:01Z"));
    List<String> directors = List.of("director", "director2", "director3");
    assertThat(ActiveDirectors.active(reports, directors)).contains("director2");
    assertThat(ActiveDirectors.standbys(reports, directors)).containsExactly("director3");
    // Reports of nodes that are no longer directors do not count.
    assertThat(ActiveDirectors.active(reports, List.of("director3"))).isEmpty();
  }

  @Test
  void noElectionNoRoles() {
    Map<String, NodeReport> reports = Map.of("director", report(null, "2026-12-03T12:00:00Z"));
    assertThat(ActiveDirectors.active(reports, List.of("director"))).isEmpty();
    assertThat(ActiveDirectors.standbys(reports, List.of("director"))).isEmpty();
  }

  @Test
  void aFailoverEventNamesTheOldAndTheNewDirector() {
    assertThat(ActiveDirectors.failover("172.16.58.1", "director", "director2"))
        .hasValueSatisfying(
            e -> {
              assertThat(e.reason()).isEqualTo("DirectorFailover");
              assertThat(e.message()).contains("from director director").contains("director2");
            });
    assertThat(ActiveDirectors.failover("172.16.58.1", null, "director2")).isEmpty();
    assertThat(ActiveDirectors.failover("172.16.58.1", "d", "d")).isEmpty();
  }
}
