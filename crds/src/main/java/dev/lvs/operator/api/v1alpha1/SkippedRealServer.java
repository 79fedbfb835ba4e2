package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A selected RealServer that cannot serve its VirtualService, and why. Written by the operator. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SkippedRealServer {

  @JsonPropertyDescription("The RealServer's name (in the VirtualService's namespace).")
  private String name;

  @JsonPropertyDescription(
      "Why, in CamelCase: RealServerNodeNotFound, RealServerAddressUnresolved,"
          + " RealServerAddressIsVip, RealServerOnDirector, or SkippedByAgent (an agent skipped"
          + " it; the message is the agent's).")
  private String reason;

  @JsonPropertyDescription("What is wrong and what to do, for a human.")
  private String message;

  public SkippedRealServer() {}

  public SkippedRealServer(String name, String reason, String message) {
    this.name = name;
    this.reason = reason;
    this.message = message;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SkippedRealServer s
        && Objects.equals(name, s.name)
        && Objects.equals(reason, s.reason)
        && Objects.equals(message, s.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, reason, message);
  }

  @Override
  public String toString() {
    return name + " (" + reason + ")";
  }
}
