package dev.lvs.operator.status;

import dev.lvs.operator.api.Texts;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Condition types and reasons the operator writes, and the one way to build a condition. */
public final class Conditions {
  private Conditions() {}

  public static final String READY = LvsApi.CONDITION_READY;
  public static final String PROGRAMMED = LvsApi.CONDITION_PROGRAMMED;
  public static final String CONFLICT = LvsApi.CONDITION_CONFLICT;
  public static final String DEGRADED = LvsApi.CONDITION_DEGRADED;

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  /** Reasons: CamelCase, stable, part of the API (users and alerts match on them). */
  public static final class Reasons {
    private Reasons() {}

    // Ready / Programmed
    public static final String ALL_AGENTS_APPLIED = "AllAgentsApplied";
    public static final String AGENTS_PENDING = "AgentsPending";
    public static final String AGENT_FAILED = "AgentFailed";
    public static final String CONFLICT_LOST = "ConflictLost";
    public static final String TERMINATING = "Terminating";
    public static final String NOT_SELECTED = "NotSelected";

    // Conflict
    public static final String DUPLICATE_VIRTUAL_SERVICE = "DuplicateVirtualService";
    public static final String NO_CONFLICT = "NoConflict";

    // Degraded (VirtualService)
    public static final String AS_EXPECTED = "AsExpected";
    public static final String NO_DIRECTOR_NODES = "NoDirectorNodes";
    public static final String NO_REAL_SERVERS = "NoRealServers";
    public static final String REAL_SERVER_NODE_NOT_FOUND = "RealServerNodeNotFound";
    public static final String REAL_SERVER_ADDRESS_IS_VIP = "RealServerAddressIsVip";
    public static final String REAL_SERVER_ADDRESS_UNRESOLVED = "RealServerAddressUnresolved";
    public static final String REAL_SERVER_ON_DIRECTOR = "RealServerOnDirector";
    // Degraded (and Ready=False when no selected RealServer can serve): the skipped ones are in
    // status.skippedRealServers, each with one of the four reasons above or this one.
    public static final String REAL_SERVERS_SKIPPED = "RealServersSkipped";
    public static final String SKIPPED_BY_AGENT = "SkippedByAgent";
    public static final String AGENT_GONE = "AgentGone";
    // Degraded, and Ready=False when every selected RealServer is on such a node
    public static final String REAL_SERVER_NODE_NOT_READY = "RealServerNodeNotReady";

    // Degraded (RealServer)
    public static final String NODE_NOT_FOUND = "NodeNotFound";
    public static final String ADDRESS_IS_VIP = "AddressIsVip";
    public static final String ADDRESS_UNRESOLVED = "AddressUnresolved";
    public static final String ON_DIRECTOR_NODE = "OnDirectorNode";

    // Ready (RealServer): its node is not Ready, the directors quiesce it
    public static final String NODE_NOT_READY = "NodeNotReady";

    // Events only
    public static final String RESOLVED = "Resolved";
    public static final String DELETION_TIMED_OUT = "DeletionTimedOut";
    public static final String CLEANED_UP = "CleanedUp";
  }

  /** Messages longer than this are cut (the API server accepts 32 KiB; humans read far less). */
  static final int MAX_MESSAGE = 1024;

  /**
   * A condition whose lastTransitionTime is carried over from {@code previous} unless its status
   * flips; then it is {@code now} (whole seconds, as the API server stores it).
   */
  public static Condition of(
      String type,
      boolean status,
      String reason,
      String message,
      Long generation,
      List<Condition> previous,
      Instant now) {
    String s = status ? TRUE : FALSE;
    String transition =
        find(previous, type)
            .filter(c -> s.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(s)
        .withReason(reason)
        .withMessage(cut(message))
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  static String cut(String message) {
    return Texts.cut(message, MAX_MESSAGE);
  }
}
