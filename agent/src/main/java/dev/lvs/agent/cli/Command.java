package dev.lvs.agent.cli;

import java.nio.file.Path;

/** A parsed command line. */
public sealed interface Command {
  record Help(String text) implements Command {}

  record Run(RunOptions options) implements Command {}

  record Cleanup(Path stateDir) implements Command {}
}
