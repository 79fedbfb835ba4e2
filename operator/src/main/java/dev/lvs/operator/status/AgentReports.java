package dev.lvs.operator.status;

import dev.lvs.operator.api.v1alpha1.NodeReport;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reading an agent's {@code NodeReport}. An agent reports {@code Failed} for any problem, also when
 * all it did was skip bad RealServers and program the rest: then the service works, and only those
 * RealServers do not. The report has no structured list of skips, so they are recognised in its
 * message, which is the agent's problems joined by "; ": a skip is a problem that begins with
 * "RealServer &lt;namespace&gt;/&lt;name&gt; " (dev.lvs.agent.state.DesiredStateCalculator), two of
 * which have a "; " of their own ("; use spec.localNode instead", "; skipped"). Anything else (a
 * kernel step that failed, a missing interface, a message cut at its length limit, which may hide
 * such a failure) makes the report a failure, as before: an agent message this class does not know
 * can only keep a service from Ready, never make one Ready.
 */
final class AgentReports {
  private AgentReports() {}

  static final String STATE_APPLIED = "Applied";
  static final String STATE_FAILED = "Failed";
  private static final String PREFIX = "RealServer ";
  private static final Set<String> CONTINUATIONS = Set.of("use spec.localNode instead", "skipped");
  private static final String CUT = "...";

  /**
   * The RealServers (name: the agent's message about it) that the report's node skipped, when that
   * is all that went wrong there: empty for Applied; nothing for a failure of another kind or no
   * report.
   */
  static Optional<SortedMap<String, String>> skipsOnly(NodeReport r, String namespace) {
    if (r == null || r.getState() == null) {
      return Optional.empty();
    }
    if (STATE_APPLIED.equals(r.getState())) {
      return Optional.of(new TreeMap<>());
    }
    String message = r.getMessage();
    if (!STATE_FAILED.equals(r.getState()) || message == null || message.endsWith(CUT)) {
      return Optional.empty();
    }
    SortedMap<String, String> skips = new TreeMap<>();
    String last = null;
    for (String piece : message.split("; ")) {
      Optional<String> name = realServerOf(piece, namespace);
      if (name.isPresent()) {
        last = name.get();
        skips.merge(last, piece, (a, b) -> a + "; " + b);
      } else if (last != null && CONTINUATIONS.contains(piece)) {
        skips.merge(last, piece, (a, b) -> a + "; " + b);
        last = null;
      } else {
        return Optional.empty();
      }
    }
    return skips.isEmpty() ? Optional.empty() : Optional.of(skips);
  }

  /** The report's node applied {@code generation}, skipping at most some RealServers. */
  static boolean applied(NodeReport r, Long generation, String namespace) {
    return r != null
        && Objects.equals(generation, r.getObservedGeneration())
        && skipsOnly(r, namespace).isPresent();
  }

  /** The report says something other than Applied or skipped RealServers went wrong. */
  static boolean failed(NodeReport r, String namespace) {
    return r != null && r.getState() != null && skipsOnly(r, namespace).isEmpty();
  }

  static String describeFailure(NodeReport r) {
    return r.getState() + (r.getMessage() == null ? "" : " (" + r.getMessage() + ")");
  }

  private static Optional<String> realServerOf(String piece, String namespace) {
    String start = PREFIX + namespace + "/";
    if (!piece.startsWith(start)) {
      return Optional.empty();
    }
    int end = piece.indexOf(' ', start.length());
    return end <= start.length()
        ? Optional.empty()
        : Optional.of(piece.substring(start.length(), end));
  }
}
