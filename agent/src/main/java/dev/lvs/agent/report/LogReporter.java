package dev.lvs.agent.report;

import dev.lvs.agent.state.Problem;
import dev.lvs.agent.sync.SyncResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The standalone reporter: logs problems when they change, and otherwise stays quiet. */
public final class LogReporter implements Reporter {
  private static final Logger log = LoggerFactory.getLogger(LogReporter.class);

  private List<Problem> lastProblems = List.of();

  @Override
  public void report(SyncResult result) {
    List<Problem> problems = result.problems();
    if (problems.equals(lastProblems)) {
      return;
    }
    lastProblems = problems;
    if (problems.isEmpty()) {
      log.info("report: everything desired is applied");
    }
    for (Problem p : problems) {
      log.warn("report: {}", p);
    }
  }
}
