package dev.lvs.operator.election;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.events.ConditionEvents.EventSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The active and standby directors of a VirtualService, read from what the directors' agents report
 * (the election itself runs on the agents, over their Leases), and the DirectorFailover event when
 * the active one changes.
 */
public final class ActiveDirectors {
  public static final String EVENT_FAILOVER = "DirectorFailover";

  private ActiveDirectors() {}

  /**
   * The director reporting itself Active. Should two do so for a moment (the old one's report is
   * not yet rewritten, or its agent is gone), the latest report wins.
   */
  public static Optional<String> active(Map<String, NodeReport> reports, List<String> directors) {
    return directors.stream()
        .filter(d -> reports.containsKey(d))
        .filter(d -> LvsApi.DIRECTOR_ACTIVE.equals(reports.get(d).getDirectorRole()))
        .max(
            Comparator.comparing(
                    (String d) ->
                        reports.get(d).getLastUpdateTime() == null
                            ? ""
                            : reports.get(d).getLastUpdateTime())
                .thenComparing(Comparator.reverseOrder()));
  }

  /** The directors reporting Standby, sorted. */
  public static List<String> standbys(Map<String, NodeReport> reports, List<String> directors) {
    return directors.stream()
        .filter(d -> reports.containsKey(d))
        .filter(d -> LvsApi.DIRECTOR_STANDBY.equals(reports.get(d).getDirectorRole()))
        .sorted()
        .toList();
  }

  /** The event for a change of the active director, when there is one. */
  public static Optional<EventSpec> failover(String vip, String before, String after) {
    if (before == null || after == null || before.equals(after)) {
      return Optional.empty();
    }
    return Optional.of(
        new EventSpec(
            EVENT_FAILOVER,
            "Normal",
            EVENT_FAILOVER,
            "VIP " + vip + " moved from director " + before + " to director " + after));
  }
}
