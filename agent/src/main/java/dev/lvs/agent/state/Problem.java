package dev.lvs.agent.state;

/**
 * Something the agent could not do as asked, attributed to a VirtualService when it can be.
 *
 * @param virtualService the service it concerns, or null for node-wide problems
 */
public record Problem(Kind kind, ObjectRef virtualService, String message) {
  public enum Kind {
    /** Another VirtualService, or something outside the agent, holds what this one wants. */
    CONFLICT,
    /** Bad or unsupported input, skipped. */
    INVALID,
    /** A kernel change failed; the next sync retries it. */
    FAILED,
    /**
     * The VIP may not be used here (a forbidden address, or in no VipPool admitting the namespace):
     * nothing is programmed for the service on this node.
     */
    REFUSED
  }

  public static Problem conflict(ObjectRef vs, String message) {
    return new Problem(Kind.CONFLICT, vs, message);
  }

  public static Problem invalid(ObjectRef vs, String message) {
    return new Problem(Kind.INVALID, vs, message);
  }

  public static Problem refused(ObjectRef vs, String message) {
    return new Problem(Kind.REFUSED, vs, message);
  }

  public static Problem failed(ObjectRef vs, String message) {
    return new Problem(Kind.FAILED, vs, message);
  }

  @Override
  public String toString() {
    return kind + (virtualService == null ? "" : " " + virtualService) + ": " + message;
  }
}
