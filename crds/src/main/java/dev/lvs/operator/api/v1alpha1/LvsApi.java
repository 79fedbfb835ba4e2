package dev.lvs.operator.api.v1alpha1;

/** Names shared by the API, the operator and the agents: group, version, condition types. */
public final class LvsApi {
  private LvsApi() {}

  public static final String GROUP = "lvs.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String CATEGORY = "lvs";

  /** The one forwarding method implemented end to end. */
  public static final String FORWARDING_DIRECT_ROUTING = "DirectRouting";

  /** Condition types. */
  public static final String CONDITION_READY = "Ready";

  public static final String CONDITION_PROGRAMMED = "Programmed";
  public static final String CONDITION_CONFLICT = "Conflict";
  public static final String CONDITION_DEGRADED = "Degraded";

  /** Roles an agent reports in {@link NodeReport#getRoles()}. */
  public static final String ROLE_DIRECTOR = "Director";

  /** {@code status.nodes.<node>.directorRole}: this director holds the VIP. */
  public static final String DIRECTOR_ACTIVE = "Active";

  /** {@code status.nodes.<node>.directorRole}: this director keeps the IPVS service only. */
  public static final String DIRECTOR_STANDBY = "Standby";

  public static final String ROLE_REAL_SERVER = "RealServer";
}
